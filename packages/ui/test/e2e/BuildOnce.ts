import type { TestProject } from "vitest/node"
import * as ServerBundle from "@vigie/app/test/support/ServerBundle"
import { buildUi } from "./BuildUi"

declare module "vitest" {
  export interface ProvidedContext {
    /** The e2e run built packages/ui/dist and the compiled server once before the first journey. */
    vigieUiBuilt: boolean
  }
}

/**
 * Global setup of the e2e project: builds packages/ui/dist and the compiled server once for every
 * journey of the run (each file used to build the web app again: about 20 s each). A journey run alone
 * still builds both (Harness.ensureBuilt). The server: ServerBundle.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [, server] = await Promise.all([buildUi(), ServerBundle.build()])
  project.provide("vigieUiBuilt", true)
  project.provide(ServerBundle.injectKey, server.main)
  return server.remove
}
