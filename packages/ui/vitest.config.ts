import solid from "vite-plugin-solid"
import { defineProject } from "vitest/config"

/**
 * The projects of packages/ui in the root vitest run:
 * - ui: component tests in jsdom;
 * - e2e: the journeys in Debian's Chromium (test/e2e; they declare the node environment themselves).
 *   Each journey file builds packages/ui/dist and starts a server that serves it, so the files run one
 *   after the other in a single fork: a second build at once would empty the folder under the first's server.
 */
const project = (name: "ui" | "e2e") =>
  defineProject({
    plugins: [solid()],
    // Solid's browser build, not its server one: resolve through vite, with the browser conditions.
    resolve: { conditions: ["development", "browser"] },
    ssr: { resolve: { conditions: ["development", "browser"] } },
    test: {
      name,
      root: import.meta.dirname,
      environment: "jsdom",
      include: name === "ui" ? ["test/**/*.test.{ts,tsx}"] : ["test/e2e/**/*.test.ts"],
      exclude: name === "ui" ? ["test/e2e/**"] : [],
      setupFiles: ["test/setup.ts"],
      ...(name === "e2e" ? { globalSetup: ["test/e2e/BuildOnce.ts"] } : {}),
      server: { deps: { inline: [/solid-js/, /@solidjs\//] } },
      pool: "forks",
      poolOptions: { forks: { singleFork: name === "e2e" } },
      testTimeout: 30_000,
      hookTimeout: 120_000
    }
  })

export const e2e = project("e2e")

export default project("ui")
