import { EmailSender } from "@vigie/domain/channels/EmailSender"
import type { EmailMessage, EmailOutcome, EmailUnavailable } from "@vigie/domain/channels/EmailSender"
import { SmsSender } from "@vigie/domain/channels/SmsSender"
import type { SmsBatch, SmsReceipt, SmsRejected, SmsUnavailable } from "@vigie/domain/channels/SmsSender"
import { Effect, Layer } from "effect"

/** Zero-latency senders that count what they accepted, with an optional fault per call. */
export interface RecordingSenders {
  readonly smsCalls: Array<SmsBatch>
  readonly emailCalls: Array<ReadonlyArray<EmailMessage>>
  readonly smsCounts: Map<string, number>
  readonly emailCounts: Map<string, number>
  smsFault: (batch: SmsBatch) => Effect.Effect<void, SmsRejected | SmsUnavailable>
  emailFault: (batch: ReadonlyArray<EmailMessage>) => Effect.Effect<void, EmailUnavailable>
  emailOutcome: (message: EmailMessage, i: number) => EmailOutcome
  readonly layer: Layer.Layer<SmsSender | EmailSender>
}

export const recordingSenders = (): RecordingSenders => {
  let n = 0
  const self: RecordingSenders = {
    smsCalls: [],
    emailCalls: [],
    smsCounts: new Map(),
    emailCounts: new Map(),
    smsFault: () => Effect.void,
    emailFault: () => Effect.void,
    emailOutcome: (m) => ({ _tag: "Accepted", to: m.to, providerId: `e-${++n}` }),
    layer: Layer.mergeAll(
      Layer.succeed(SmsSender, {
        send: (batch) =>
          Effect.suspend(() => {
            self.smsCalls.push(batch)
            return Effect.as(self.smsFault(batch), batch)
          }).pipe(Effect.map((b): SmsReceipt => ({
            accepted: b.destinations.map((destination) => {
              self.smsCounts.set(destination, (self.smsCounts.get(destination) ?? 0) + 1)
              return { destination, providerId: `s-${++n}` }
            })
          })))
      }),
      Layer.succeed(EmailSender, {
        send: (batch) =>
          Effect.suspend(() => {
            self.emailCalls.push(batch)
            return Effect.as(self.emailFault(batch), batch)
          }).pipe(Effect.map((b) =>
            b.map((m, i) => {
              const outcome = self.emailOutcome(m, i)
              if (outcome._tag === "Accepted") self.emailCounts.set(m.to, (self.emailCounts.get(m.to) ?? 0) + 1)
              return outcome
            })
          ))
      })
    )
  }
  return self
}
