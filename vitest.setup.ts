import { existsSync } from "node:fs"

/**
 * Local runs may lack a PostgreSQL server or Chromium: those suites then say why they skip. CI must
 * never skip them, so under CI a missing one stops the run here instead.
 */
export default function setup(): void {
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
