import { EmailSender, type EmailMessage } from "@vigie/domain/channels/EmailSender"
import { SmsSender, type SmsBatch } from "@vigie/domain/channels/SmsSender"
import { type VoiceCall, VoiceCaller } from "@vigie/domain/channels/VoiceCaller"
import { PostalMailer, type PostalLetter } from "@vigie/domain/verification/PostalMailer"
import { Context, Effect, Layer } from "effect"

/** What the messaging doubles received, newest last. Tests read codes from here. */
export class Sent extends Context.Tag("@vigie/app/test/Sent")<
  Sent,
  {
    readonly sms: Array<SmsBatch>
    readonly emails: Array<EmailMessage>
    readonly letters: Array<PostalLetter>
    readonly calls: Array<VoiceCall>
  }
>() {}

/** SMS, e-mail, voice and postal doubles that keep everything in memory. */
export const layer = Layer.effectContext(Effect.sync(() => {
  const sent = {
    sms: [] as Array<SmsBatch>,
    emails: [] as Array<EmailMessage>,
    letters: [] as Array<PostalLetter>,
    calls: [] as Array<VoiceCall>
  }
  return Context.empty().pipe(
    Context.add(Sent, sent),
    Context.add(
      SmsSender,
      SmsSender.of({
        send: (batch) =>
          Effect.sync(() => {
            sent.sms.push(batch)
            return {
              accepted: batch.destinations.map((destination, i) => ({ destination,
                providerId: `test-${sent.sms.length}-${i}` })
              )
            }
          })
      })
    ),
    Context.add(
      EmailSender,
      EmailSender.of({
        send: (batch) =>
          Effect.sync(() => {
            sent.emails.push(...batch)
            return batch.map((m, i) => ({ _tag: "Accepted" as const, to: m.to, providerId: `test-mail-${i}` }))
          })
      })
    ),
    Context.add(
      VoiceCaller,
      VoiceCaller.of({
        call: (call) =>
          Effect.sync(() => {
            sent.calls.push(call)
            return { providerId: `test-call-${sent.calls.length}` }
          })
      })
    ),
    Context.add(
      PostalMailer,
      PostalMailer.of({
        send: (letter) =>
          Effect.sync(() => {
            sent.letters.push(letter)
            return { letterId: `letter-${sent.letters.length}` }
          })
      })
    )
  )
}))
