import solid from "vite-plugin-solid"
import { defineProject } from "vitest/config"

/**
 * The ui project of the root vitest run: component tests in jsdom. The end-to-end journeys
 * (test/e2e) declare the node environment themselves and drive Debian's Chromium.
 */
export default defineProject({
  plugins: [solid()],
  // Solid's browser build, not its server one: resolve through vite, with the browser conditions.
  resolve: { conditions: ["development", "browser"] },
  ssr: { resolve: { conditions: ["development", "browser"] } },
  test: {
    name: "ui",
    root: import.meta.dirname,
    environment: "jsdom",
    include: ["test/**/*.test.{ts,tsx}"],
    setupFiles: ["test/setup.ts"],
    server: { deps: { inline: [/solid-js/, /@solidjs\//] } },
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
})
