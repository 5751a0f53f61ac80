import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { gsm7Segments } from "@vigie/domain/channels/Gsm7"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { Duration, Effect, FastCheck, Option } from "effect"
import { homeAddress } from "../support/World.js"
import {
  actorOf,
  deliverAll,
  draftIn,
  freshQueue,
  messageCounts,
  Moderation,
  moderationPlatform,
  moderatorAccount,
  neighbourhood,
  person,
  phoneActorOf,
  recipientsOf
} from "./Support.js"

const none = Option.none()

for (const db of databases) {
  describe(`moderation [${db.name}]`, () => {
    layer(moderationPlatform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("moderation", (it) => {
      it.effect("a new member's alert with a sensitive descriptor is held with its reasons and spans; its author and moderators see why and when it will be reviewed, other members do not", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, members, newcomer } = yield* neighbourhood(2)
          const moderator = yield* moderatorAccount("Moderatrice")
          const text = "Un homme d'origine maghrébine rôde devant l'école"
          const held = yield* alerts.post(actorOf(newcomer), draftIn(community, "suspicious_person", text))
          assert.strictEqual(held.status, "held_for_review")
          assert.deepStrictEqual(yield* messageCounts(held.id), {})

          const mine = yield* moderation.alertState(actorOf(newcomer), held.id)
          assert.deepStrictEqual(mine.holdReasons, ["new_member", "sensitive_descriptors"])
          assert.isTrue(Option.isSome(mine.expectedReview) && mine.expectedReview.value.text.length > 0)
          assert.isFalse(mine.canAppeal)
          const seenByModerator = yield* moderation.alertState(actorOf(moderator), held.id)
          assert.deepStrictEqual(seenByModerator.holdReasons, mine.holdReasons)
          const other = yield* Effect.flip(moderation.alertState(actorOf(members[0]!), held.id))
          assert.strictEqual(other._tag, "AlertNotFound")

          const page = yield* moderation.queue(actorOf(moderator), { kind: Option.some("held"), offset: none,
            limit: 10 })
          const item = page.items.find((i) => i.alert.alert.id === held.id)!
          assert.strictEqual(item.kind, "held")
          assert.deepStrictEqual(item.alert.flaggedSpans.map((s) => text.slice(s.start, s.end)), [
            "d'origine maghrébine"
          ])
          assert.deepStrictEqual(item.alert.holdReasons, ["new_member", "sensitive_descriptors"])
          assert.strictEqual(item.alert.author.author.accountId, newcomer.id)
          assert.strictEqual(item.alert.author.alertsPosted, 1)
          assert.strictEqual(item.alert.author.alertsHeld, 1)
          assert.deepStrictEqual(item.alert.place.communityName, Option.some(community.name))
          assert.strictEqual(item.alert.place.communeName, "Cadaujac")
          assert.isTrue(item.actionable)
          // Stored with the alert when it was posted, too.
          const sql = yield* SqlClient.SqlClient
          const [stored] = yield* sql<{ hold_reasons: Array<string>; flagged_spans: Array<{ excerpt: string }> }>`
            SELECT hold_reasons, flagged_spans FROM alerts WHERE id = ${held.id}`
          assert.deepStrictEqual(stored!.hold_reasons, ["new_member", "sensitive_descriptors"])
          assert.deepStrictEqual(stored!.flagged_spans.map((s) => s.excerpt), ["d'origine maghrébine"])
        }))

      it.effect("the queue shows held alerts first, oldest first with their waiting time, then published alerts not yet reviewed, then flagged ones", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, members, newcomer, referent } = yield* neighbourhood(3)
          const moderator = yield* moderatorAccount("Moderateur")
          const published = yield* alerts.post(
            actorOf(members[0]!),
            draftIn(community, "road_danger", "Arbre tombé sur la D108")
          )
          const heldFirst = yield* alerts.post(
            actorOf(newcomer),
            draftIn(community, "burglary", "Cambriolage au 4 allée des Pins")
          )
          const heldSecond = yield* alerts.post(
            actorOf(newcomer),
            draftIn(community, "fire_or_smoke", "Fumée noire derrière le stade")
          )
          yield* moderation.flag(actorOf(members[1]!), { alertId: published.id, reason: "false_or_unverifiable",
            text: none })
          const reviewedToo = yield* alerts.post(
            actorOf(referent),
            draftIn(community, "lost_or_found_animal", "Chat roux trouvé rue des Lilas")
          )
          yield* moderation.markReviewed(actorOf(moderator), reviewedToo.id, none)

          const page = yield* moderation.queue(actorOf(moderator), { kind: none, offset: none, limit: 50 })
          assert.deepStrictEqual(
            page.items.map((i) => `${i.kind} ${i.alert.alert.id}`),
            [`held ${heldFirst.id}`, `held ${heldSecond.id}`, `unreviewed ${published.id}`, `flagged ${published.id}`]
          )
          assert.deepStrictEqual(page.counts, { held: 2, unreviewed: 1, flagged: 1, appeal: 0 } as typeof page.counts)
          assert.isTrue(page.items.every((i) => i.waitingSeconds >= 0))
          assert.strictEqual(page.items[3]!.flags.length, 1)
          assert.isTrue(Option.isSome(page.items[3]!.flags[0]!.flaggedBy))

          const first = yield* moderation.queue(actorOf(moderator), { kind: none, offset: none, limit: 3 })
          assert.deepStrictEqual(first.nextOffset, Option.some(3))
          const second = yield* moderation.queue(actorOf(moderator), { kind: none, offset: first.nextOffset, limit: 3 })
          assert.deepStrictEqual(second.items.map((i) => i.kind), ["flagged"])
          assert.isTrue(Option.isNone(second.nextOffset))
        }))

      it.effect("approving a held alert fans it out once and audits before and after; a second approval is refused and sends nothing", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, members, newcomer } = yield* neighbourhood(3)
          const moderator = yield* moderatorAccount("Approbatrice")
          const held = yield* alerts.post(
            actorOf(newcomer),
            draftIn(community, "suspicious_vehicle", "Camionnette blanche arrêtée devant le 12")
          )
          const approved = yield* moderation.approve(actorOf(moderator), held.id, Option.some("Rien à redire"))
          assert.strictEqual(approved.alert.status, "published")
          assert.isTrue(Option.isSome(approved.reviewedAt))
          // Three residents and the référent, on both channels; never the author.
          const sent = yield* recipientsOf(held.id, "alert")
          assert.strictEqual(sent.length, 8)
          assert.isTrue(sent.every((r) => r.account_id !== newcomer.id))

          const again = yield* Effect.flip(moderation.approve(actorOf(moderator), held.id, none))
          assert.strictEqual(again._tag, "InvalidAlertTransition")
          assert.strictEqual((yield* recipientsOf(held.id, "alert")).length, 8)
          assert.strictEqual((yield* alerts.get(actorOf(members[0]!), held.id)).status, "published")

          const audit = yield* moderation.searchAudit(actorOf(moderator), {
            query: { text: none, actorId: Option.some(moderator.id), action: Option.some("approve"), targetKind: none,
              targetId: Option.some(held.id), from: none, to: none },
            before: none,
            beforeId: none,
            limit: 10
          })
          assert.strictEqual(audit.entries.length, 1)
          const entry = audit.entries[0]!
          assert.deepStrictEqual([entry.actor.accountId, entry.actorRole, entry.action, entry.targetKind,
            entry.targetId], [moderator.id, "moderator", "approve", "alert", held.id])
          assert.deepStrictEqual(entry.note, Option.some("Rien à redire"))
          assert.deepStrictEqual(
            Option.map(entry.before, (b) => [b["status"], b["reviewed"]]),
            Option.some(["held_for_review", false])
          )
          assert.deepStrictEqual(
            Option.map(entry.after, (a) => [a["status"], a["reviewed"]]),
            Option.some(["published", true])
          )
          const state = yield* moderation.alertState(actorOf(newcomer), held.id)
          assert.isTrue(Option.isSome(state.approvedAt))
          assert.isTrue(Option.isNone(state.expectedReview))
        }))

      it.effect("whatever moderators do to a held alert (approve, hide, restore, in any order), it is sent at most once, and exactly once if it was ever published", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, members } = yield* neighbourhood(2)
          const moderator = yield* moderatorAccount("Sequences")
          const actions = FastCheck.sample(
            FastCheck.array(FastCheck.constantFrom("approve", "hide", "restore"), { minLength: 1, maxLength: 6 }),
            { numRuns: 12, seed: 7 }
          )
          for (const [n, sequence] of actions.entries()) {
            const newcomer = yield* person(`Seq${n}`)
            yield* (yield* MembershipRepo).insert({
              accountId: newcomer.id,
              communityId: community.id,
              role: "resident",
              status: "verified",
              address: homeAddress(`${n} impasse des Essais`)
            }).pipe(Effect.orDie)
            const held = yield* alerts.post(
              actorOf(newcomer),
              draftIn(community, "road_danger", `Essai ${crypto.randomUUID()} ${crypto.randomUUID()}`)
            )
            // Unlike texts: none is a follow-up of another (DuplicatePolicy).
            assert.isTrue(Option.isNone(held.followupOf))
            let everPublished = false
            for (const action of sequence) {
              const done = yield* Effect.either(
                action === "approve"
                  ? moderation.approve(actorOf(moderator), held.id, none)
                  : action === "hide"
                  ? moderation.hide(actorOf(moderator), { alertId: held.id, reason: "off_topic", details: none })
                  : moderation.restore(actorOf(moderator), held.id, none)
              )
              if (done._tag === "Right" && done.right.alert.status === "published") everPublished = true
            }
            const sent = yield* messageCounts(held.id)
            // Two residents, the first newcomer, the référent and the earlier newcomers, on both channels, once; or nothing.
            assert.deepStrictEqual(
              sent["alert"],
              everPublished ? { messages: 1, deliveries: 2 * (4 + n) } : undefined,
              sequence.join(" → ")
            )
            assert.strictEqual(
              (yield* recipientsOf(held.id, "alert")).filter((r) => r.account_id === members[0]!.id).length,
              everPublished ? 2 : 0
            )
          }
        }))

      it.effect("two moderators approving the same held alert at once: one wins, the other is refused, and it fans out once", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, newcomer } = yield* neighbourhood(4)
          const [first, second] = [yield* moderatorAccount("Premiere"), yield* moderatorAccount("Second")]
          const held = yield* alerts.post(
            actorOf(newcomer),
            draftIn(community, "burglary", "Tentative d'effraction au 7 rue des Lilas")
          )
          const outcomes = yield* Effect.all(
            [moderation.approve(actorOf(first), held.id, none), moderation.approve(actorOf(second), held.id, none)].map(
              Effect.either
            ),
            { concurrency: 2 }
          )
          assert.deepStrictEqual(outcomes.map((o) => o._tag).sort(), ["Left", "Right"])
          const refused = outcomes.find((o) => o._tag === "Left")!
          assert.strictEqual(refused._tag === "Left" ? refused.left._tag : "", "InvalidAlertTransition")
          assert.deepStrictEqual(yield* messageCounts(held.id), { alert: { messages: 1, deliveries: 10 } })
          const audit = yield* moderation.searchAudit(actorOf(first), {
            query: { text: none, actorId: none, action: Option.some("approve"), targetKind: none,
              targetId: Option.some(held.id), from: none, to: none },
            before: none,
            beforeId: none,
            limit: 10
          })
          assert.strictEqual(audit.entries.length, 1)
        }))

      it.effect("approving a held follow-up sends the short follow-up message to the original's recipients, not a second full alert", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, members, newcomer } = yield* neighbourhood(3)
          const moderator = yield* moderatorAccount("Suivi")
          const original = yield* alerts.post(
            actorOf(members[0]!),
            draftIn(community, "suspicious_vehicle", "Voiture suspecte rue des Lilas")
          )
          const followup = yield* alerts.post(
            actorOf(newcomer),
            draftIn(community, "suspicious_vehicle", "voitures suspectes, rue des Lilas !")
          )
          assert.strictEqual(followup.status, "held_for_review")
          assert.deepStrictEqual(followup.followupOf, Option.some(original.id))
          assert.strictEqual((yield* recipientsOf(original.id, "followup")).length, 0)

          yield* moderation.approve(actorOf(moderator), followup.id, none)
          const expected = (yield* recipientsOf(original.id, "alert")).filter((r) => r.account_id !== newcomer.id)
          assert.deepStrictEqual(yield* recipientsOf(original.id, "followup"), expected)
          assert.strictEqual(expected.length, 6)
          assert.deepStrictEqual(yield* messageCounts(followup.id), {})

          // Hidden and restored afterwards: the confirmation is not sent again.
          yield* moderation.hide(actorOf(moderator), { alertId: followup.id, reason: "duplicate", details: none })
          yield* moderation.restore(actorOf(moderator), followup.id, none)
          assert.strictEqual((yield* recipientsOf(original.id, "followup")).length, 6)
        }))

      it.effect("hiding a published alert sends no closing message and removes it from feeds; restoring it sends nothing again; both are audited", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, members } = yield* neighbourhood(3)
          const moderator = yield* moderatorAccount("Masque")
          const [author, reader] = [members[0]!, members[1]!]
          const alert = yield* alerts.post(
            actorOf(author),
            draftIn(community, "suspicious_vehicle", "Scooter sans plaque qui tourne")
          )
          const before = yield* messageCounts(alert.id)
          assert.deepStrictEqual(before, { alert: { messages: 1, deliveries: 8 } })

          const hidden = yield* moderation.hide(actorOf(moderator), {
            alertId: alert.id,
            reason: "personal_data",
            details: Option.some("Nom d'un voisin cité")
          })
          assert.strictEqual(hidden.alert.status, "hidden")
          assert.deepStrictEqual(yield* messageCounts(alert.id), before)
          assert.strictEqual((yield* Effect.flip(alerts.get(actorOf(reader), alert.id)))._tag, "AlertNotFound")
          const feed = yield* alerts.feed(actorOf(reader), { before: none, beforeId: none, limit: 50 })
          assert.isFalse(feed.alerts.some((a) => a.id === alert.id))
          const told = yield* moderation.alertState(actorOf(author), alert.id)
          assert.deepStrictEqual(
            Option.map(told.hidden, (h) => [h.reason, Option.getOrNull(h.details), h.pendingReview]),
            Option.some(["personal_data", "Nom d'un voisin cité", false])
          )
          assert.isTrue(told.canAppeal)

          const restored = yield* moderation.restore(
            actorOf(moderator),
            alert.id,
            Option.some("Nom retiré par l'auteur")
          )
          assert.strictEqual(restored.alert.status, "published")
          assert.isTrue(Option.isNone(restored.hidden))
          assert.deepStrictEqual(yield* messageCounts(alert.id), before)
          assert.strictEqual((yield* alerts.get(actorOf(reader), alert.id)).status, "published")

          const log = yield* moderation.moderationCase(actorOf(moderator), alert.id)
          assert.deepStrictEqual(log.audit.map((e) => e.action), ["restore", "hide"])
          const hide = log.audit[1]!
          assert.deepStrictEqual(hide.reason, Option.some("personal_data"))
          assert.deepStrictEqual(Option.map(hide.before, (b) => b["status"]), Option.some("published"))
          assert.deepStrictEqual(
            Option.map(hide.after, (a) => [a["status"], a["hiddenReason"]]),
            Option.some(["hidden", "personal_data"])
          )
          // Searchable by the words of the note and of the alert.
          const found = yield* moderation.searchAudit(actorOf(moderator), {
            query: { text: Option.some("voisin SCOOTER"), actorId: none, action: none, targetKind: none, targetId: none,
              from: none, to: none },
            before: none,
            beforeId: none,
            limit: 10
          })
          assert.deepStrictEqual(found.entries.map((e) => e.action), ["hide"])

          const other = yield* Effect.flip(
            moderation.hide(actorOf(moderator), { alertId: alert.id, reason: "other", details: none })
          )
          assert.strictEqual(other._tag, "ReasonDetailsRequired")
        }))

      it.effect("deliveries not sent yet when an alert is hidden are held back, and go out once when it is restored", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          const sql = yield* SqlClient.SqlClient
          yield* freshQueue
          const { community, members } = yield* neighbourhood(2)
          const moderator = yield* moderatorAccount("Retenue")
          const alert = yield* alerts.post(
            actorOf(members[0]!),
            draftIn(community, "suspicious_vehicle", "Fourgon garé sur le trottoir depuis ce matin")
          )
          yield* moderation.hide(actorOf(moderator), { alertId: alert.id, reason: "false_or_unverifiable",
            details: none })
          const statuses = () =>
            sql<{ status: string; n: number }>`
              SELECT status, count(*)::int AS n FROM deliveries WHERE alert_id = ${alert.id} GROUP BY status`.pipe(
              Effect.map((rows) => Object.fromEntries(rows.map((r) => [r.status, r.n])))
            )
          assert.deepStrictEqual(yield* statuses(), { withheld: 6 })
          const whileHidden = yield* deliverAll
          assert.isFalse(whileHidden.sms.some((m) => m.text.includes("Fourgon")))

          yield* moderation.restore(actorOf(moderator), alert.id, none)
          const { mails, sms } = yield* deliverAll
          assert.strictEqual(sms.filter((m) => m.text.includes("Fourgon")).length, 3)
          assert.strictEqual(mails.filter((m) => m.text.includes("Fourgon")).length, 3)
          assert.deepStrictEqual(yield* statuses(), { sent: 6 })
        }))

      it.effect("an author appeals a hiding once; the hider may not decide it; another moderator restores it and a never-sent alert then fans out", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, newcomer } = yield* neighbourhood(2)
          const [hider, other] = [yield* moderatorAccount("Hider"), yield* moderatorAccount("Other")]
          const held = yield* alerts.post(
            actorOf(newcomer),
            draftIn(community, "suspicious_person", "Un individu noir qui regarde les voitures")
          )
          yield* moderation.hide(actorOf(hider), { alertId: held.id, reason: "profiling", details: none })
          assert.deepStrictEqual(yield* messageCounts(held.id), {})

          const state = yield* moderation.appeal(
            actorOf(newcomer),
            held.id,
            "Il essayait les poignées de portières, je précise."
          )
          assert.deepStrictEqual(Option.map(state.appeal, (a) => a.status), Option.some("pending"))
          assert.isFalse(state.canAppeal)
          const twice = yield* Effect.flip(moderation.appeal(actorOf(newcomer), held.id, "Encore une fois"))
          assert.strictEqual(twice._tag, "AlreadyAppealed")

          const forHider = yield* moderation.queue(actorOf(hider), { kind: Option.some("appeal"), offset: none,
            limit: 10 })
          const forOther = yield* moderation.queue(actorOf(other), { kind: Option.some("appeal"), offset: none,
            limit: 10 })
          assert.deepStrictEqual(forHider.items.map((i) => [i.alert.alert.id, i.actionable]), [[held.id, false]])
          assert.deepStrictEqual(forOther.items.map((i) => [i.alert.alert.id, i.actionable]), [[held.id, true]])
          const appealId = forOther.items[0]!.appeal.pipe(Option.getOrThrow).id

          const refused = yield* Effect.flip(
            moderation.decideAppeal(actorOf(hider), { appealId, decision: "restore", reason: "Je me suis trompé" })
          )
          assert.strictEqual(refused._tag, "Forbidden")
          assert.strictEqual((yield* moderation.alertState(actorOf(newcomer), held.id)).status, "hidden")

          const decided = yield* moderation.decideAppeal(actorOf(other), { appealId, decision: "restore",
            reason: "Comportement décrit, pas seulement l'apparence" })
          assert.strictEqual(decided.status, "restored")
          assert.deepStrictEqual(Option.map(decided.decidedBy, (p) => p.accountId), Option.some(other.id))
          assert.deepStrictEqual(yield* messageCounts(held.id), { alert: { messages: 1, deliveries: 6 } })
          const after = yield* moderation.alertState(actorOf(newcomer), held.id)
          assert.strictEqual(after.status, "published")
          assert.deepStrictEqual(
            Option.map(after.appeal, (a) => [a.status, Option.getOrNull(a.decisionReason)]),
            Option.some(["restored", "Comportement décrit, pas seulement l'apparence"])
          )
          const again = yield* Effect.flip(
            moderation.decideAppeal(actorOf(other), { appealId, decision: "uphold", reason: "Non" })
          )
          assert.strictEqual(again._tag, "AppealAlreadyDecided")
          const log = yield* moderation.moderationCase(actorOf(other), held.id)
          assert.deepStrictEqual(log.audit.map((e) => [e.action, e.targetKind]), [["appeal_restore", "appeal"], ["hide",
            "alert"]])
        }))

      it.effect("a référent sees the flags of their community, hides a flagged alert pending a moderator, who confirms it or restores it", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, members, referent } = yield* neighbourhood(3)
          const elsewhere = yield* neighbourhood(1)
          const moderator = yield* moderatorAccount("Confirme")
          const first = yield* alerts.post(
            actorOf(members[0]!),
            draftIn(community, "other", "Dépôt sauvage de gravats devant chez les Martin au 3")
          )
          const second = yield* alerts.post(
            actorOf(members[1]!),
            draftIn(community, "road_danger", "Nid de poule avenue Foch")
          )
          yield* moderation.flag(actorOf(members[1]!), { alertId: first.id, reason: "personal_data",
            text: Option.some("Nomme une famille") })
          yield* moderation.flag(actorOf(members[2]!), { alertId: first.id, reason: "insulting", text: none })
          yield* moderation.flag(actorOf(members[0]!), { alertId: second.id, reason: "off_topic", text: none })
          const once = yield* Effect.flip(
            moderation.flag(actorOf(members[2]!), { alertId: first.id, reason: "other", text: none })
          )
          assert.strictEqual(once._tag, "AlreadyFlagged")
          const stranger = yield* Effect.flip(
            moderation.flag(actorOf(elsewhere.members[0]!), { alertId: first.id, reason: "other", text: none })
          )
          assert.strictEqual(stranger._tag, "AlertNotFound")

          const listed = yield* moderation.listFlags(actorOf(referent), { communityId: none, status: none, offset: none,
            limit: 10 })
          assert.deepStrictEqual(listed.items.map((i) => [i.alert.id, i.flags.length]), [[first.id, 2], [second.id, 1]])
          assert.isTrue(listed.items.every((i) => i.flags.every((f) => Option.isNone(f.flaggedBy))))
          const otherReferent = yield* Effect.flip(
            moderation.listFlags(actorOf(elsewhere.referent), { communityId: Option.some(community.id), status: none,
              offset: none, limit: 10 })
          )
          assert.strictEqual(otherReferent._tag, "Forbidden")
          const theirOwn = yield* moderation.listFlags(actorOf(elsewhere.referent), { communityId: none, status: none,
            offset: none, limit: 10 })
          assert.deepStrictEqual(theirOwn.items, [])
          const notTheirs = yield* Effect.flip(
            moderation.hidePending(actorOf(elsewhere.referent), { alertId: first.id, reason: "personal_data",
              details: none })
          )
          assert.strictEqual(notTheirs._tag, "AlertNotFound")

          const pending = yield* moderation.hidePending(actorOf(referent), { alertId: first.id, reason: "personal_data",
            details: none })
          assert.deepStrictEqual(Option.map(pending.hidden, (h) => h.pendingReview), Option.some(true))
          assert.strictEqual((yield* Effect.flip(alerts.get(actorOf(members[2]!), first.id)))._tag, "AlertNotFound")
          const caseBefore = yield* moderation.moderationCase(actorOf(moderator), first.id)
          assert.deepStrictEqual(caseBefore.audit.map((e) => [e.action, e.actorRole, e.actor.accountId]), [[
            "hide_pending",
            "referent",
            referent.id
          ]])

          const confirmed = yield* moderation.confirmPendingHide(
            actorOf(moderator),
            first.id,
            Option.some("Données personnelles")
          )
          assert.deepStrictEqual(Option.map(confirmed.hidden, (h) => h.pendingReview), Option.some(false))
          const flags = (yield* moderation.moderationCase(actorOf(moderator), first.id)).flags
          assert.deepStrictEqual(flags.map((f) => f.status), ["upheld", "upheld"])
          const notPending = yield* Effect.flip(moderation.confirmPendingHide(actorOf(moderator), first.id, none))
          assert.strictEqual(notPending._tag, "NotPendingHide")

          const counts = yield* messageCounts(second.id)
          yield* moderation.hidePending(actorOf(referent), { alertId: second.id, reason: "off_topic", details: none })
          const back = yield* moderation.restore(actorOf(moderator), second.id, Option.some("C'est bien un danger"))
          assert.strictEqual(back.alert.status, "published")
          assert.deepStrictEqual(
            (yield* moderation.moderationCase(actorOf(moderator), second.id)).flags.map((f) => f.status),
            ["dismissed"]
          )
          assert.deepStrictEqual(yield* messageCounts(second.id), counts)
          const open = yield* moderation.listFlags(actorOf(referent), { communityId: none, status: none, offset: none,
            limit: 10 })
          assert.deepStrictEqual(open.items, [])
        }))

      it.effect("the author of an alert posted by SMS is told by SMS, in one GSM-7 part, when it is approved, hidden with the reason, and restored", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, newcomer } = yield* neighbourhood(1)
          const moderator = yield* moderatorAccount("Sms")
          const held = yield* alerts.post(
            phoneActorOf(newcomer),
            draftIn(community, "vulnerable_person_without_news", "Mme Durand sans nouvelles depuis deux jours")
          )
          assert.deepStrictEqual([held.origin, held.status], ["sms", "held_for_review"])
          yield* moderation.approve(actorOf(moderator), held.id, none)
          yield* moderation.hide(actorOf(moderator), { alertId: held.id, reason: "personal_data",
            details: Option.some("Nom et adresse d'une voisine") })
          yield* moderation.restore(actorOf(moderator), held.id, none)
          assert.deepStrictEqual((yield* messageCounts(held.id))["notice"], { messages: 3, deliveries: 3 })

          const { mails, sms } = yield* deliverAll
          const phone = Option.getOrThrow(newcomer.phone)
          const toAuthor = sms.filter((m) => m.destination === phone).map((m) => m.text)
          assert.strictEqual(toAuthor.length, 3)
          // All three were due at once: the workers may send them in any order.
          const said = (pattern: RegExp) => toAuthor.filter((t) => pattern.test(t)).length
          assert.strictEqual(
            said(/^Vigie: votre alerte "Personne fragile sans nouvelles" a été vérifiée par la modération et envoyée/),
            1
          )
          assert.strictEqual(
            said(
              /a été masquée par la modération\. Motif: données personnelles d'un tiers\. Appel possible sur Vigie\.$/
            ),
            1
          )
          assert.strictEqual(said(/a été rétablie par la modération/), 1)
          for (const text of toAuthor) {
            assert.deepStrictEqual(gsm7Segments(text), { ...gsm7Segments(text), encoding: "GSM-7", segments: 1 })
          }
          assert.isFalse(mails.some((m) => m.destination === Option.getOrThrow(newcomer.email)))
        }))

      it.effect("warnings, suspensions and bans are audited, counted in the author's history, and lifted", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          const accounts = yield* AccountRepo
          const memberships = yield* MembershipRepo
          yield* freshQueue
          const { community, members } = yield* neighbourhood(2)
          const moderator = yield* moderatorAccount("Sanction")
          const target = members[0]!
          yield* moderation.warn(actorOf(moderator), { accountId: target.id, alertId: none, reason: "insulting",
            details: Option.some("Propos injurieux envers un voisin") })
          yield* moderation.suspend(actorOf(moderator), target.id, "Récidive")
          const suspended = Option.getOrThrow(yield* accounts.findById(target.id))
          assert.strictEqual(suspended.status, "suspended")
          const posting = yield* Effect.flip(alerts.post(actorOf(suspended), draftIn(community, "other", "Test")))
          assert.strictEqual(posting._tag, "AccountSuspended")
          const twice = yield* Effect.flip(moderation.suspend(actorOf(moderator), target.id, "Encore"))
          assert.strictEqual(twice._tag, "InvalidAccountTransition")
          yield* moderation.liftSuspension(actorOf(moderator), target.id, "Excuses présentées")
          const staff = yield* Effect.flip(moderation.suspend(actorOf(moderator), moderator.id, "Moi-même"))
          assert.strictEqual(staff._tag, "Forbidden")

          const ban = yield* moderation.ban(actorOf(moderator), target.id, community.id, "N'habite pas le quartier")
          assert.deepStrictEqual([ban.action, ban.targetKind, Option.map(ban.after, (a) => a["status"])], ["ban",
            "membership", Option.some("banned")])
          const banned = (yield* memberships.listByAccount(target.id)).find((m) => m.communityId === community.id)!
          assert.strictEqual(banned.status, "banned")
          yield* moderation.liftBan(actorOf(moderator), target.id, community.id, "Justificatif reçu")
          assert.strictEqual(
            (yield* memberships.listByAccount(target.id)).find((m) => m.communityId === community.id)!.status,
            "verified"
          )

          const history = yield* moderation.authorHistory(actorOf(moderator), target.id)
          assert.deepStrictEqual([history.warnings, history.suspensions, history.accountStatus, history.alertsPosted], [
            1,
            1,
            "active",
            2
          ])
          const log = yield* moderation.searchAudit(actorOf(moderator), {
            query: { text: none, actorId: none, action: none, targetKind: none, targetId: Option.some(target.id),
              from: none, to: none },
            before: none,
            beforeId: none,
            limit: 2
          })
          assert.deepStrictEqual(log.entries.map((e) => e.action), ["lift_ban", "ban"])
          // Each entry names whom it concerns, so that the log can lift a ban from its entry.
          assert.deepStrictEqual(
            log.entries.map((e) => [Option.getOrNull(e.accountId), Option.getOrNull(e.communityId)]),
            [[target.id, community.id], [target.id, community.id]]
          )
          const next = yield* moderation.searchAudit(actorOf(moderator), {
            query: { text: none, actorId: none, action: none, targetKind: none, targetId: Option.some(target.id),
              from: none, to: none },
            before: log.nextBefore,
            beforeId: log.nextBeforeId,
            limit: 10
          })
          assert.deepStrictEqual(next.entries.map((e) => e.action), ["lift_suspension", "suspend", "warn"])
          assert.isTrue(Option.isNone(next.nextBefore))
          // The warning went to the member on both channels.
          const sql = yield* SqlClient.SqlClient
          const [notice] = yield* sql<{ channels: Array<string> }>`
            SELECT array_agg(d.channel ORDER BY d.channel) AS channels FROM deliveries d JOIN messages m ON m.id = d.message_id
            WHERE m.kind = 'notice' AND d.account_id = ${target.id}`
          assert.deepStrictEqual(notice!.channels, ["email", "sms"])
        }))

      it.effect("only moderators read the queue and the audit log and act; référents read their communities' flags; everyone else is refused", () =>
        Effect.gen(function*() {
          const alerts = yield* Alerts
          const moderation = yield* Moderation
          yield* freshQueue
          const { community, members, newcomer, referent } = yield* neighbourhood(1)
          const elsewhere = yield* neighbourhood(1)
          const mairie = yield* person("Mairie", [{ _tag: "MairieAgent", insee: community.insee }])
          const police = yield* person("Police", [{ _tag: "MunicipalPolice", insee: community.insee }])
          const held = yield* alerts.post(actorOf(newcomer), draftIn(community, "burglary", "Cambriolage au 4"))
          const published = yield* alerts.post(actorOf(members[0]!), draftIn(community, "road_danger", "Arbre tombé"))
          yield* moderation.flag(actorOf(members[0]!), { alertId: published.id, reason: "duplicate", text: none })
          const callers = {
            anonymous: { _tag: "Anonymous" as const },
            resident: actorOf(members[0]!),
            author: actorOf(newcomer),
            referent: actorOf(referent),
            otherReferent: actorOf(elsewhere.referent),
            mairie: actorOf(mairie),
            police: actorOf(police)
          }
          const tagOf = <A, E extends { readonly _tag: string }>(effect: Effect.Effect<A, E>) =>
            Effect.map(Effect.either(effect), (e) => (e._tag === "Right" ? "data" : e.left._tag))
          for (const [who, actor] of Object.entries(callers)) {
            const refused = who === "anonymous" ? "Unauthenticated" : "Forbidden"
            const outcomes = {
              queue: yield* tagOf(moderation.queue(actor, { kind: none, offset: none, limit: 10 })),
              audit: yield* tagOf(moderation.searchAudit(actor, {
                query: { text: none, actorId: none, action: none, targetKind: none, targetId: none, from: none,
                  to: none },
                before: none,
                beforeId: none,
                limit: 10
              })),
              flags: yield* tagOf(
                moderation.listFlags(actor, { communityId: Option.some(community.id), status: none, offset: none,
                  limit: 10 })
              ),
              approve: yield* tagOf(moderation.approve(actor, held.id, none)),
              hide: yield* tagOf(moderation.hide(actor, { alertId: published.id, reason: "duplicate", details: none })),
              dismiss: yield* tagOf(moderation.dismissFlags(actor, published.id, none)),
              suspend: yield* tagOf(moderation.suspend(actor, members[0]!.id, "Essai")),
              caseFile: yield* tagOf(moderation.moderationCase(actor, published.id))
            }
            assert.deepStrictEqual(outcomes, {
              queue: refused,
              audit: refused,
              flags: who === "referent" ? "data" : refused,
              approve: refused,
              hide: refused,
              dismiss: refused,
              suspend: refused,
              caseFile: refused
            }, who)
          }
          assert.strictEqual((yield* alerts.get(actorOf(members[0]!), published.id)).status, "published")
          assert.strictEqual((yield* moderation.alertState(actorOf(newcomer), held.id)).status, "held_for_review")
        }))
    })
  })
}
