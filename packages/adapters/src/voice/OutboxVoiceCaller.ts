import { VoiceCallLog } from "@vigie/domain/channels/VoiceCallLog"
import { VoiceCaller } from "@vigie/domain/channels/VoiceCaller"
import { DateTime, Effect, Layer } from "effect"

/**
 * Calls nobody (development, demos, tests): each call is written to the call log as an outbox call,
 * which the dev inbox shows as "Appel vocal" with its text and, when keys are offered, buttons that
 * press one through the same signed callback Plivo would use. Provider ids are `outbox-voice-<uuid>`.
 */
export const make = Effect.gen(function*() {
  const log = yield* VoiceCallLog
  return VoiceCaller.of({
    call: (call) =>
      Effect.gen(function*() {
        const now = yield* DateTime.now
        const providerId = `outbox-voice-${crypto.randomUUID()}`
        yield* log.placing(call, true, now)
        yield* log.placed(call.reference, providerId, now)
        return { providerId }
      }).pipe(Effect.withSpan("OutboxVoiceCaller.call", { attributes: { reference: call.reference } }))
  })
})

export const layer: Layer.Layer<VoiceCaller, never, VoiceCallLog> = Layer.effect(VoiceCaller, make)
