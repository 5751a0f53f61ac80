import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

// No vitest import here: the e2e global setup (BuildOnce.ts) runs outside any test worker.
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url))

/** Builds packages/ui/dist with vite (the same build `npm run build` runs). */
export const buildUi = (): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const vite = `${repoRoot}node_modules/.bin/vite`
    const child = spawn(vite, ["build", "--logLevel", "warn"], {
      cwd: `${repoRoot}packages/ui`,
      stdio: ["ignore", "inherit", "inherit"]
    })
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))))
  })
