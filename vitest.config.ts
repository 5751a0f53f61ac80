import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    globalSetup: ["./vitest.setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
