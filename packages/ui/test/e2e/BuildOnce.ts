import type { TestProject } from "vitest/node"
import * as ServerBundle from "@vigie/app/test/support/ServerBundle"
import { buildUi } from "./BuildUi"

declare module "vitest" {
  export interface ProvidedContext {
    /** The e2e run built packages/ui/dist once before the first journey. */
    vigieUiBuilt: boolean
  }
}

/**
 * Global setup of the e2e project: builds packages/ui/dist once for every journey of the run (each
 * file used to build it again: about 20 s each; a journey run alone still builds it: Harness.ensureUi),
 * and the compiled server that the several-processes journey spawns (ServerBundle). The other journeys'
 * servers still run the sources through tsx: with the compiled server, two full e2e runs out of two
 * showed a stale page (the profile's quartiers without the one just joined) that no run through tsx
 * has shown; until that race is understood, they keep tsx.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildUi()
  const server = await ServerBundle.build()
  project.provide("vigieUiBuilt", true)
  project.provide(ServerBundle.injectKey, server.main)
  return server.remove
}
