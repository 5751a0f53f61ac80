import { configDefaults, defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    globalSetup: ["./vitest.setup.ts"],
    setupFiles: ["./vitest.equality.ts"],
    // VIGIE_ENV unset means production: the tests ask for development explicitly.
    env: { VIGIE_ENV: "development" },
    pool: "forks",
    // Every core (vitest's default leaves one free: on 2 cores, one file at a time). Many suites wait on
    // PostgreSQL, child processes or paced providers, so two files at once take ~40 % less wall time
    // here; the e2e project keeps one fork (packages/ui/vitest.config.ts).
    maxWorkers: "100%",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      // domain, adapters, app: node environment, the settings above.
      { extends: true, test: { name: "node", exclude: [...configDefaults.exclude, "packages/ui/**"] } },
      // ui: jsdom component tests; e2e: the Chromium journeys, one file at a time (packages/ui/vitest.config.ts).
      "packages/ui/vitest.config.ts",
      "packages/ui/vitest.e2e.config.ts"
    ]
  }
})
