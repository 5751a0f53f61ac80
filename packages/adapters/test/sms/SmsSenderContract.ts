import { assert, layer } from "@effect/vitest"
import { SMS_BATCH_LIMIT, SmsSender } from "@vigie/domain/channels/SmsSender"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import { Cause, Effect, Exit } from "effect"
import type { Layer } from "effect"

/** How a contract test looks at what an adapter actually handed over. */
export interface SmsInspection {
  /** The message stored or received under a provider id, if any. */
  readonly sent: (
    providerId: string
  ) => Effect.Effect<{ readonly destination: string; readonly text: string } | undefined>
  /** Messages handed over so far. */
  readonly count: Effect.Effect<number>
}

export const phones = (n: number, prefix = "+3361"): ReadonlyArray<PhoneE164> =>
  Array.from({ length: n }, (_, i) => PhoneE164.make(`${prefix}${String(i).padStart(7, "0")}`))

/** French, with every character an SMS to a French neighbour is likely to carry. */
export const frenchText =
  "Alerte Vigie : véhicule suspect rue de l’Église, près du café « Chez Gaëlle » — coût 1 500 € ; " +
  "soyez prudents, ne vous interposez pas. Œuvre, ça, où, naïf, Noël. Urgence : 17."

/**
 * The behaviour every SmsSender adapter shares (STYLE rule 17). `layer` provides the adapter and
 * whatever `inspect` needs to read back what the adapter handed over.
 */
export const smsSenderContract = <R, E>(
  name: string,
  adapter: Layer.Layer<SmsSender | R, E>,
  inspect: Effect.Effect<SmsInspection, never, R>
): void => {
  layer(adapter, { excludeTestServices: true })(`SmsSender contract: ${name}`, (it) => {
    it.effect("accepts a batch with one distinct provider id per destination, in order", () =>
      Effect.gen(function*() {
        const sender = yield* SmsSender
        const probe = yield* inspect
        const destinations = phones(25)
        const receipt = yield* sender.send({ text: "Réunion des voisins jeudi à 19 h.", destinations })
        assert.deepStrictEqual(receipt.accepted.map((a) => a.destination), destinations)
        assert.strictEqual(new Set(receipt.accepted.map((a) => a.providerId)).size, destinations.length)
        for (const { destination, providerId } of receipt.accepted) {
          assert.deepStrictEqual(yield* probe.sent(providerId), {
            destination,
            text: "Réunion des voisins jeudi à 19 h."
          })
        }
      }))

    it.effect("delivers the text intact: accents, typographic quotes, œ and €", () =>
      Effect.gen(function*() {
        const sender = yield* SmsSender
        const probe = yield* inspect
        const [destination] = phones(1, "+3362")
        const receipt = yield* sender.send({ text: frenchText, destinations: [destination!] })
        const sent = yield* probe.sent(receipt.accepted[0]!.providerId)
        assert.strictEqual(sent?.text, frenchText)
      }))

    it.effect("sends nothing for an empty destination list and returns an empty receipt", () =>
      Effect.gen(function*() {
        const sender = yield* SmsSender
        const probe = yield* inspect
        const before = yield* probe.count
        const receipt = yield* sender.send({ text: "personne", destinations: [] })
        assert.deepStrictEqual(receipt, { accepted: [] })
        assert.strictEqual(yield* probe.count, before)
      }))

    it.effect(`takes exactly ${SMS_BATCH_LIMIT} destinations in one batch`, () =>
      Effect.gen(function*() {
        const sender = yield* SmsSender
        const destinations = phones(SMS_BATCH_LIMIT, "+3363")
        const receipt = yield* sender.send({ text: "Coupure d’eau demain matin.", destinations })
        assert.strictEqual(receipt.accepted.length, SMS_BATCH_LIMIT)
        assert.strictEqual(receipt.accepted[SMS_BATCH_LIMIT - 1]!.destination, destinations[SMS_BATCH_LIMIT - 1])
      }))

    it.effect("treats a batch above the limit as a defect and sends nothing", () =>
      Effect.gen(function*() {
        const sender = yield* SmsSender
        const probe = yield* inspect
        const before = yield* probe.count
        const exit = yield* sender.send({ text: "trop", destinations: phones(SMS_BATCH_LIMIT + 1, "+3364") }).pipe(
          Effect.exit
        )
        assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
        assert.strictEqual(yield* probe.count, before)
      }))
  })
}
