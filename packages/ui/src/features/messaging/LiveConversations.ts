import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { Effect, Fiber, Schedule, Stream } from "effect"
import { onCleanup, onMount } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRuntime } from "../../lib/runtime.js"

/**
 * Calls `onChange` with the conversation's id whenever one of the member's conversations moves (a
 * message, a read mark, someone left), through the app's live stream; the server sends these to the
 * conversation's members only. Reconnects after a drop.
 */
export const onConversationChanged = (onChange: (conversationId: string) => void) => {
  const runtime = useRuntime()
  onMount(() => {
    const onEvent = (event: LiveEvent) =>
      Effect.sync(() => {
        if (event._tag === "ConversationChanged") onChange(event.conversationId)
      })
    const fiber = runtime.runFork(
      Effect.flatMap(Vigie, (client) => client.WatchLiveEvents({}).pipe(Stream.runForEach(onEvent))).pipe(
        Effect.retry(Schedule.exponential("2 seconds").pipe(Schedule.union(Schedule.spaced("30 seconds")))),
        Effect.forever
      )
    )
    onCleanup(() => void runtime.runPromise(Fiber.interrupt(fiber)))
  })
}
