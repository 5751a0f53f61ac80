import { mkdir, mkdtemp, rm } from "node:fs/promises"
import { join } from "node:path"
import { buildServer, root } from "../../../../scripts/build-server.mjs"

/**
 * The compiled server (scripts/build-server.mjs, as `npm run build` makes dist/main.js) for the tests
 * that spawn the platform as an operator runs it: `node main.js serve | worker | migrate | start`
 * (Processes.spawnApp, the `npm start` test; not the browser journeys' servers: BuildOnce.ts says why).
 * Each run's global setup (vitest.setup.ts for the node project, the e2e project's BuildOnce.ts) bundles
 * it once (0.6 s) into its own folder and hands the path to the test processes (`inject`). Not into
 * dist/, which `npm run build` and the Bundle test replace while a spawned server could be running from
 * it; inside the checkout (node_modules/.cache), so that its bare imports resolve from node_modules as
 * dist/main.js's do. `start` serves in ~9 s here where tsx on the sources took ~13.5 s.
 */
export const injectKey = "vigieServerMain"

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the compiled server's main.js for this run. */
    vigieServerMain: string
  }
}

/** Bundles the server into a fresh folder; `remove` deletes it (the global setup's teardown). */
export const build = async (): Promise<{ readonly main: string; readonly remove: () => Promise<void> }> => {
  const cache = join(root, "node_modules/.cache")
  await mkdir(cache, { recursive: true })
  const dir = await mkdtemp(join(cache, "vigie-server-"))
  await buildServer({ outdir: dir })
  return { main: join(dir, "main.js"), remove: () => rm(dir, { recursive: true, force: true }) }
}

/** The web app the spawned servers serve: the checkout's packages/ui/dist (the bundle is not in dist/). */
export const uiDir = join(root, "packages/ui/dist")
