// The e2e project (the Chromium journeys), defined beside the ui project in vitest.config.ts.
export { e2e as default } from "./vitest.config.js"
