import type { TestProject } from "vitest/node"
import { buildUi } from "./BuildUi"

declare module "vitest" {
  export interface ProvidedContext {
    /** The e2e run built packages/ui/dist once before the first journey. */
    vigieUiBuilt: boolean
  }
}

/**
 * Global setup of the e2e project: builds packages/ui/dist once for every journey of the run (each
 * file used to build it again: about 20 s each). A journey run alone still builds (buildUi).
 */
export default async function setup(project: TestProject): Promise<void> {
  await buildUi()
  project.provide("vigieUiBuilt", true)
}
