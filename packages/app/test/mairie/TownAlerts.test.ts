import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { TownAlertDraft } from "@vigie/domain/mairie/TownAlert"
import { TownAlertRepo } from "@vigie/domain/mairie/TownAlertRepo"
import { TownAlerts } from "@vigie/domain/mairie/TownAlerts"
import { Array as Arr, DateTime, Duration, Effect, Either, Option } from "effect"
import { CADAUJAC, makeWorld } from "../support/World.js"
import { actorOf, callsOf, deliveriesOf, mairiePlatform, resident } from "./Support.js"

const draft = (
  communityIds: ReadonlyArray<CommunityId> | undefined,
  overrides: Partial<TownAlertDraft> = {}
): TownAlertDraft => ({
  insee: CADAUJAC,
  communityIds: communityIds === undefined
    ? Option.none()
    : Option.some(communityIds as Arr.NonEmptyArray<CommunityId>),
  category: "weather",
  urgency: "urgent",
  text: "Vigilance orange orages : rentrez les objets du jardin",
  place: Option.none(),
  ...overrides
})

/** A world of two communities with residents of every kind; returns the expected reach of [A, B]. */
const townWorld = (tag: string) =>
  Effect.gen(function*() {
    const world = yield* makeWorld(tag)
    const { communityA: a, communityB: b } = world
    yield* resident([a])
    yield* resident([b])
    yield* resident([a, b]) // in both: once per channel
    yield* resident([a], { sms: "none" }) // e-mail only
    yield* resident([b], { sms: "urgent_only", email: "none" }) // SMS for urgent only
    yield* resident([a], { stopped: true }) // STOP: e-mail only
    yield* resident([a], { phone: false }) // no phone: e-mail only
    yield* resident([b], { status: "pending_verification" }) // nothing
    // makeWorld's memberA, memberB, referentA: verified, e-mail only (no phone).
    return { world, urgent: { sms: 4, email: 9 }, info: { sms: 3, email: 9 } }
  })

for (const db of databases) {
  describe(`town alerts: preview then confirm [${db.name}]`, () => {
    layer(mairiePlatform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("TownAlerts", (it) => {
      it.effect("the preview counts recipients per channel after de-duplication and preferences; the deliveries match it exactly", () =>
        Effect.gen(function*() {
          const towns = yield* TownAlerts
          const { urgent, info, world } = yield* townWorld(`ta1-${db.name}`)
          const subset = [world.communityA.id, world.communityB.id]
          const mairie = actorOf(world.accounts.mairie)

          const preview = yield* towns.preview(mairie, draft(subset))
          expect({ sms: preview.sms, email: preview.email }).toStrictEqual(urgent)
          expect(preview.origin).toBe("mairie")
          expect(preview.smsSegments).toBe(1)
          expect(preview.smsText).toContain("Mairie de Cadaujac")
          expect(preview.billedSegments).toBe(4)
          expect(preview.costEur).toBe(0.18)
          expect(preview.estimatedSeconds).toBe(1)
          expect(preview.exceedsProviderQueue).toBe(false)
          expect(preview.voice).toBe(0) // nobody here chose voice calls
          const sent = yield* towns.confirm(mairie, preview.previewToken, false)
          expect(sent.alert.status).toBe("published")
          expect(sent.alert.origin).toBe("mairie")
          expect({ sms: sent.sms, email: sent.email }).toStrictEqual(urgent)
          expect(yield* deliveriesOf(sent.alert.id)).toStrictEqual(urgent)

          const police = actorOf(world.accounts.police)
          const infoPreview = yield* towns.preview(police, draft(subset, { urgency: "info", category: "roads" }))
          expect({ sms: infoPreview.sms, email: infoPreview.email }).toStrictEqual(info)
          const infoSent = yield* towns.confirm(police, infoPreview.previewToken, false)
          expect(infoSent.alert.origin).toBe("police")
          expect(yield* deliveriesOf(infoSent.alert.id)).toStrictEqual(info)

          // The whole commune (communities of other tests included): preview and deliveries still agree.
          const all = yield* towns.preview(mairie, draft(undefined))
          const allSent = yield* towns.confirm(mairie, all.previewToken, false)
          expect(yield* deliveriesOf(allSent.alert.id)).toStrictEqual({ sms: all.sms, email: all.email })
          expect(yield* callsOf(allSent.alert.id)).toBe(all.voice)
        }))

      it.effect("an urgent preview counts the voice calls the confirmation places, apart from the SMS budget; an information one none", () =>
        Effect.gen(function*() {
          const towns = yield* TownAlerts
          const { world } = yield* townWorld(`ta7-${db.name}`)
          const { communityA: a, communityB: b } = world
          yield* resident([a], { voiceUrgent: true }) // called
          yield* resident([a, b], { voiceUrgent: true }) // in both: called once
          yield* resident([b], { voiceUrgent: true, stopped: true }) // STOP is about SMS: called, no SMS
          yield* resident([a], { voiceUrgent: true, landline: true }) // a paper landline: called, no SMS
          yield* resident([a], { voiceUrgent: true, phone: false }) // no phone: not called
          yield* resident([b], { voiceUrgent: true, status: "pending_verification" }) // nothing
          const subset = [a.id, b.id]
          const mairie = actorOf(world.accounts.mairie)

          const preview = yield* towns.preview(mairie, draft(subset))
          expect({ sms: preview.sms, email: preview.email, voice: preview.voice })
            .toStrictEqual({ sms: 6, email: 14, voice: 4 })
          // Calls are not SMS parts: neither billed nor budgeted.
          expect(preview.billedSegments).toBe(preview.sms * preview.smsSegments)
          const sent = yield* towns.confirm(mairie, preview.previewToken, false)
          expect(yield* deliveriesOf(sent.alert.id)).toStrictEqual({ sms: preview.sms, email: preview.email })
          expect(yield* callsOf(sent.alert.id)).toBe(preview.voice)

          const info = yield* towns.preview(mairie, draft(subset, { urgency: "info", category: "roads" }))
          expect(info.voice).toBe(0)
          const infoSent = yield* towns.confirm(mairie, info.previewToken, false)
          expect(yield* callsOf(infoSent.alert.id)).toBe(0)

          // By e-mail only, the previewed calls are not placed.
          const again = yield* towns.preview(mairie, draft(subset, { category: "roads" }))
          expect(again.voice).toBe(4)
          const emailOnly = yield* towns.confirm(mairie, again.previewToken, true)
          expect(yield* callsOf(emailOnly.alert.id)).toBe(0)
        }))

      it.effect("a subset reaches only its communities; a community of another commune is refused", () =>
        Effect.gen(function*() {
          const towns = yield* TownAlerts
          const { world } = yield* townWorld(`ta2-${db.name}`)
          const mairie = actorOf(world.accounts.mairie)
          const onlyB = yield* towns.preview(mairie, draft([world.communityB.id]))
          // B: resident, the one of A and B, urgent-only SMS, memberB (e-mail only)
          expect({ sms: onlyB.sms, email: onlyB.email }).toStrictEqual({ sms: 3, email: 3 })
          const stranger = "00000000-0000-4000-8000-0000000000aa" as CommunityId
          const refused = yield* Effect.flip(towns.preview(mairie, draft([stranger])))
          expect(refused._tag).toBe("CommunityNotFound")
        }))

      it.effect("a confirmation after the world changed is PreviewOutdated and sends nothing; a preview is confirmed once", () =>
        Effect.gen(function*() {
          const towns = yield* TownAlerts
          const sql = yield* SqlClient.SqlClient
          const { world } = yield* townWorld(`ta3-${db.name}`)
          const mairie = actorOf(world.accounts.mairie)
          const subset = [world.communityA.id]
          const preview = yield* towns.preview(mairie, draft(subset))
          yield* resident([world.communityA])
          const [before] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM alerts`
          const outdated = yield* Effect.flip(towns.confirm(mairie, preview.previewToken, false))
          expect(outdated._tag).toBe("PreviewOutdated")
          if (outdated._tag === "PreviewOutdated") {
            expect(outdated.current).toStrictEqual({ sms: preview.sms + 1, email: preview.email + 1 })
          }
          const [after] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM alerts`
          expect(after!.n).toBe(before!.n)

          const again = yield* towns.preview(mairie, draft(subset))
          yield* towns.confirm(mairie, again.previewToken, false)
          const twice = yield* Effect.flip(towns.confirm(mairie, again.previewToken, false))
          expect(twice._tag).toBe("PreviewNotFound")
          // Another agent's preview is not mine to confirm, even of my own commune.
          const police = actorOf(world.accounts.police)
          const other = yield* towns.preview(mairie, draft(subset))
          expect((yield* Effect.flip(towns.confirm(police, other.previewToken, false)))._tag).toBe("PreviewNotFound")
        }))

      it.effect("over the month's budget: BudgetExceeded before anything is sent, or e-mail only when chosen", () =>
        Effect.gen(function*() {
          const towns = yield* TownAlerts
          const repo = yield* TownAlertRepo
          const { urgent, world } = yield* townWorld(`ta4-${db.name}`)
          const mairie = actorOf(world.accounts.mairie)
          const subset = [world.communityA.id, world.communityB.id]
          const first = yield* towns.preview(mairie, draft(subset))
          yield* repo.setBudget(CADAUJAC, Option.some(first.budget.usedSegments + first.billedSegments - 1))
          const preview = yield* towns.preview(mairie, draft(subset))
          expect(preview.fitsBudget).toBe(false)
          expect(preview.budget.remainingSegments).toBe(preview.billedSegments - 1)
          const refused = yield* Effect.flip(towns.confirm(mairie, preview.previewToken, false))
          expect(refused._tag).toBe("BudgetExceeded")
          const emailOnly = yield* towns.confirm(mairie, preview.previewToken, true)
          expect({ sms: emailOnly.sms, email: emailOnly.email }).toStrictEqual({ sms: 0, email: urgent.email })
          expect(yield* deliveriesOf(emailOnly.alert.id)).toStrictEqual({ sms: 0, email: urgent.email })
          yield* repo.setBudget(CADAUJAC, Option.none())
        }))

      it.effect("two agents confirming at the same moment never exceed the budget", () =>
        Effect.gen(function*() {
          const towns = yield* TownAlerts
          const repo = yield* TownAlertRepo
          const { world } = yield* townWorld(`ta5-${db.name}`)
          const subset = [world.communityA.id, world.communityB.id]
          const mairie = actorOf(world.accounts.mairie)
          const police = actorOf(world.accounts.police)
          const p1 = yield* towns.preview(mairie, draft(subset))
          const p2 = yield* towns.preview(police, draft(subset, { category: "roads" }))
          // Room for one of them only.
          yield* repo.setBudget(
            CADAUJAC,
            Option.some(p1.budget.usedSegments + p1.billedSegments + p2.billedSegments - 1)
          )
          for (let round = 0; round < 3; round++) {
            const a = round === 0 ? p1 : yield* towns.preview(mairie, draft(subset))
            const b = round === 0 ? p2 : yield* towns.preview(police, draft(subset))
            yield* repo.setBudget(
              CADAUJAC,
              Option.some(a.budget.usedSegments + a.billedSegments + b.billedSegments - 1)
            )
            const results = yield* Effect.all([
              Effect.either(towns.confirm(mairie, a.previewToken, false)),
              Effect.either(towns.confirm(police, b.previewToken, false))
            ], { concurrency: 2 })
            expect(results.filter(Either.isRight)).toHaveLength(1)
            const lost = results.find(Either.isLeft)!
            expect(Either.isLeft(lost) && lost.left._tag).toBe("BudgetExceeded")
            const state = yield* repo.budget(CADAUJAC, yield* DateTime.now)
            expect(state.usedSegments).toBeLessThanOrEqual(Option.getOrThrow(state.monthlySegments))
          }
          yield* repo.setBudget(CADAUJAC, Option.none())
        }))

      it.effect("only the mairie and police of the commune preview; nobody confirms a token that is not theirs", () =>
        Effect.gen(function*() {
          const towns = yield* TownAlerts
          const { world } = yield* townWorld(`ta6-${db.name}`)
          for (const kind of ["memberA", "referentA", "moderator", "mairieOther"] as const) {
            const refused = yield* Effect.flip(towns.preview(actorOf(world.accounts[kind]), draft(undefined)))
            expect(refused._tag).toBe("Forbidden")
          }
          const preview = yield* towns.preview(actorOf(world.accounts.mairie), draft(undefined))
          const stolen = yield* Effect.flip(
            towns.confirm(actorOf(world.accounts.mairieOther), preview.previewToken, false)
          )
          expect(stolen._tag).toBe("PreviewNotFound")
        }))
    })
  })
}
