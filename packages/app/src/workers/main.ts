/**
 * The delivery workers as a process of their own: `npx tsx packages/app/src/workers/main.ts`.
 * Stops gracefully on SIGINT / SIGTERM. The fault tests spawn it.
 */
import { NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import * as Logging from "../telemetry/Logging.js"
import { plainRenderer } from "./PlainTexts.js"
import { worker } from "./WorkerCommand.js"

NodeRuntime.runMain(worker(() => plainRenderer).pipe(Effect.provide(Logging.layerFromEnv)), {
  disablePrettyLogger: true
})
