import { assert, layer } from "@effect/vitest"
import { EMAIL_BATCH_LIMIT, EmailSender } from "@vigie/domain/channels/EmailSender"
import type { EmailMessage } from "@vigie/domain/channels/EmailSender"
import { Email } from "@vigie/domain/shared/Text"
import { Cause, Effect, Exit } from "effect"
import type { Layer } from "effect"

/** How a contract test looks at what an adapter actually handed over. */
export interface EmailInspection {
  /** The message stored or received under a provider id, if any. */
  readonly sent: (providerId: string) => Effect.Effect<
    { readonly to: string; readonly subject: string; readonly text: string; readonly html: string } | undefined
  >
  /** Messages handed over so far. */
  readonly count: Effect.Effect<number>
}

export const messages = (n: number, tag: string): ReadonlyArray<EmailMessage> =>
  Array.from({ length: n }, (_, i) => ({
    to: Email.make(`voisin${i}.${tag}@example.fr`),
    subject: `Alerte n°${i} : véhicule suspect`,
    text: `Bonjour,\nun véhicule suspect a été signalé (${i}).`,
    html: `<p>Bonjour,</p><p>un véhicule suspect a été signalé (${i}).</p>`
  }))

/** The behaviour every EmailSender adapter shares (STYLE rule 17). */
export const emailSenderContract = <R, E>(
  name: string,
  adapter: Layer.Layer<EmailSender | R, E>,
  inspect: Effect.Effect<EmailInspection, never, R>
): void => {
  layer(adapter, { excludeTestServices: true })(`EmailSender contract: ${name}`, (it) => {
    it.effect("accepts every message of a batch, in order, each with its own provider id", () =>
      Effect.gen(function*() {
        const sender = yield* EmailSender
        const probe = yield* inspect
        const batch = messages(7, "order")
        const outcomes = yield* sender.send(batch)
        assert.deepStrictEqual(outcomes.map((o) => [o._tag, o.to]), batch.map((m) => ["Accepted", m.to]))
        const ids = outcomes.map((o) => (o._tag === "Accepted" ? o.providerId : ""))
        assert.strictEqual(new Set(ids).size, batch.length)
        for (const [i, id] of ids.entries()) {
          const sent = yield* probe.sent(id)
          assert.deepStrictEqual(sent, {
            to: batch[i]!.to,
            subject: batch[i]!.subject,
            text: batch[i]!.text,
            html: batch[i]!.html
          })
        }
      }))

    it.effect("keeps French text intact in subject, text and HTML", () =>
      Effect.gen(function*() {
        const sender = yield* EmailSender
        const probe = yield* inspect
        const message: EmailMessage = {
          to: Email.make("gaelle.noel@example.fr"),
          subject: "Alerte Mairie : coupure d’eau « rue de l’Église » — 0 € de frais",
          text: "Œuvre, ça, où, naïf, Noël : l’eau sera coupée de 8 h à 12 h.",
          html: "<p>Œuvre, ça, où, naïf, Noël : l’eau sera coupée de 8&nbsp;h à 12&nbsp;h.</p>"
        }
        const [outcome] = yield* sender.send([message])
        assert.strictEqual(outcome?._tag, "Accepted")
        const sent = yield* probe.sent(outcome?._tag === "Accepted" ? outcome.providerId : "")
        assert.deepStrictEqual(sent, { ...message })
      }))

    it.effect("sends nothing for an empty batch", () =>
      Effect.gen(function*() {
        const sender = yield* EmailSender
        const probe = yield* inspect
        const before = yield* probe.count
        assert.deepStrictEqual(yield* sender.send([]), [])
        assert.strictEqual(yield* probe.count, before)
      }))

    it.effect(`takes exactly ${EMAIL_BATCH_LIMIT} messages in one batch`, () =>
      Effect.gen(function*() {
        const sender = yield* EmailSender
        const outcomes = yield* sender.send(messages(EMAIL_BATCH_LIMIT, "limit"))
        assert.strictEqual(outcomes.filter((o) => o._tag === "Accepted").length, EMAIL_BATCH_LIMIT)
      }))

    it.effect("treats a batch above the limit as a defect and sends nothing", () =>
      Effect.gen(function*() {
        const sender = yield* EmailSender
        const probe = yield* inspect
        const before = yield* probe.count
        const exit = yield* Effect.exit(sender.send(messages(EMAIL_BATCH_LIMIT + 1, "over")))
        assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
        assert.strictEqual(yield* probe.count, before)
      }))
  })
}
