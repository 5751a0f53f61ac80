import { defineConfig } from "vite"
import solid from "vite-plugin-solid"

/**
 * The resident app, built into dist/ and served by the app server (packages/app/src/http/StaticUi.ts).
 * `npm run dev -w @vigie/ui` proxies /rpc and /dev to a server on VIGIE_API (default localhost:3000).
 */
const api = process.env["VIGIE_API"] ?? "http://localhost:3000"

export default defineConfig({
  plugins: [solid()],
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets"
  },
  server: {
    proxy: {
      "/rpc": { target: api, changeOrigin: false },
      "/dev": { target: api }
    }
  }
})
