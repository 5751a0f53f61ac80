import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import type { DeliveryId, MessageId } from "../../src/delivery/Delivery.js"
import { ClaimedDelivery } from "../../src/delivery/DeliveryRepo.js"
import { loadingTexts, renderClaim, storedTexts } from "../../src/delivery/SubjectTexts.js"
import type { MessageRenderers } from "../../src/delivery/SubjectTexts.js"

const claimed = (n: number, kind: string, id: string, body?: string) =>
  new ClaimedDelivery({
    id: String(n) as DeliveryId,
    attempts: 1,
    messageId: "00000000-0000-4000-8000-000000000001" as MessageId,
    subject: { kind, id },
    accountId: "00000000-0000-4000-8000-000000000002" as AccountId,
    channel: "sms",
    destination: `+3361234567${n}`,
    body: Option.fromNullable(body)
  })

describe("SubjectTexts: the texts of a claim, by subject kind", () => {
  it.effect("renders each kind once per claim, keeps the order, and names what cannot be rendered", () =>
    Effect.gen(function*() {
      const loads: Array<ReadonlyArray<string>> = []
      const facts = loadingTexts<string>({
        load: (ids) => {
          loads.push(ids)
          return Effect.succeed(new Map(ids.filter((id) => id !== "gone").map((id) => [id, `fait ${id}`])))
        },
        missing: (d) => `delivery ${d.id}: its subject is missing`,
        sms: (f, d) => {
          if (f === "fait boom") throw new Error("no text for boom")
          return `${d.subject.kind}: ${f}`
        },
        email: (f) => ({ subject: f, text: f, html: f })
      })
      const renderers: MessageRenderers = {
        alert: facts,
        closing: facts,
        notice: storedTexts({ missing: () => "no body", sms: (b) => b,
          email: (b) => ({ subject: b, text: b, html: b }) })
      }
      const rows = [
        claimed(1, "alert", "a"),
        claimed(2, "notice", "n", "Votre alerte a été masquée."),
        claimed(3, "alert", "a"),
        claimed(4, "alert", "gone"),
        claimed(5, "closing", "boom"),
        claimed(6, "gazette", "g"),
        claimed(7, "notice", "m")
      ]
      const texts = yield* renderClaim.sms(renderers, rows)
      expect(texts).toStrictEqual([
        Either.right("alert: fait a"),
        Either.right("Votre alerte a été masquée."),
        Either.right("alert: fait a"),
        Either.left("delivery 4: its subject is missing"),
        Either.left("no text for boom"),
        Either.left("no texts for messages of kind \"gazette\""),
        Either.left("no body")
      ])
      // One load per kind present, each subject once.
      expect(loads).toStrictEqual([["a", "gone"], ["boom"]])
      expect(yield* renderClaim.email(renderers, [])).toStrictEqual([])
    }))
})
