import { existsSync } from "node:fs"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import type { TestProject } from "vitest/node"
import * as PgliteTemplate from "./packages/adapters/test/support/PgliteTemplate"
import * as ServerBundle from "./packages/app/test/support/ServerBundle"

/**
 * Local runs may lack a PostgreSQL server or Chromium: those suites then say why they skip. CI must
 * never skip them, so under CI a missing one stops the run here instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  checkComponents()
  // One migrated PGlite for the run (PgliteTemplate): every test database starts from this copy.
  const dir = await mkdtemp(join(tmpdir(), "vigie-pglite-template-"))
  const path = join(dir, "migrated.tar")
  const template = await Effect.runPromise(PgliteTemplate.build)
  await writeFile(path, new Uint8Array(await template.arrayBuffer()))
  project.provide(PgliteTemplate.injectKey, path)
  // The compiled server, for the suites that spawn the platform's processes (ServerBundle).
  const server = await ServerBundle.build()
  project.provide(ServerBundle.injectKey, server.main)
  return async () => {
    await rm(dir, { recursive: true, force: true })
    await server.remove()
  }
}

function checkComponents(): void {
  const missing = [
    ...(process.env["DATABASE_URL"] ? [] : ["DATABASE_URL (a real PostgreSQL server)"]),
    ...(existsSync("/usr/bin/chromium") ? [] : ["/usr/bin/chromium (the browser journeys)"])
  ]
  if (missing.length === 0) return
  if (process.env["CI"]) {
    throw new Error(`[vigie] CI must run every suite, but these are missing: ${missing.join(", ")}. See .ci/run.`)
  }
  console.info(
    `\n[vigie] Missing here: ${missing.join(", ")}. The suites that need them say so and skip; ` +
      "CI installs and sets them, and refuses to run without them.\n"
  )
}
