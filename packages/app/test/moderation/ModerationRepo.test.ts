import { SqlClient } from "@effect/sql"
import { assert, describe, layer } from "@effect/vitest"
import { migrations } from "@vigie/adapters/sql/migrations/index"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { Notices } from "@vigie/domain/delivery/Notices"
import { CommuneStatisticsRepo } from "@vigie/domain/mairie/CommuneStatisticsRepo"
import type { AuditEntryId } from "@vigie/domain/moderation/AuditEntry"
import { AuditLogRepo } from "@vigie/domain/moderation/AuditLogRepo"
import { DateTime, Duration, Effect, Exit, Option } from "effect"
import { CADAUJAC } from "../support/World.js"
import { actorOf, draftIn, freshQueue, moderationPlatform, moderatorAccount, neighbourhood } from "./Support.js"

for (const db of databases) {
  describe(`moderation storage [${db.name}]`, () => {
    layer(moderationPlatform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("storage", (it) => {
      it.effect("audit rows are never changed nor deleted, even by hand", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const repo = yield* AuditLogRepo
          yield* freshQueue
          const { members } = yield* neighbourhood(1)
          const moderator = yield* moderatorAccount("Archiviste")
          const entry = yield* repo.audit({
            at: yield* DateTime.now,
            actorId: moderator.id,
            actorRole: "moderator",
            action: "warn",
            targetKind: "account",
            targetId: members[0]!.id,
            alertId: Option.none(),
            accountId: Option.some(members[0]!.id),
            communityId: Option.none(),
            reason: Option.some("insulting"),
            note: Option.some("Propos déplacés"),
            before: Option.some({ status: "active" }),
            after: Option.some({ status: "active" })
          })
          assert.deepStrictEqual(entry.before, Option.some({ status: "active" }))
          const update = yield* Effect.exit(sql`UPDATE moderation_audit SET note = 'effacé' WHERE id = ${entry.id}`)
          const remove = yield* Effect.exit(sql`DELETE FROM moderation_audit WHERE id = ${entry.id}`)
          assert.isTrue(Exit.isFailure(update))
          assert.isTrue(Exit.isFailure(remove))
          const [kept] = yield* sql<{ note: string }>`SELECT note FROM moderation_audit WHERE id = ${entry.id}`
          assert.strictEqual(kept!.note, "Propos déplacés")
        }))

      it.effect("a notice goes to the channels asked for that the person can receive: no SMS after STOP, nothing when there is nowhere to send", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const repo = yield* AuditLogRepo
          const notices = yield* Notices
          const accounts = yield* AccountRepo
          yield* freshQueue
          const { members } = yield* neighbourhood(2)
          const moderator = yield* moderatorAccount("Notices")
          const [stopped, reachable] = [members[0]!, members[1]!]
          yield* sql`INSERT INTO sms_suppressions (phone, reason) VALUES (${
            Option.getOrThrow(stopped.phone)
          }, 'stop_keyword')`
          const nowhere = yield* accounts.insert({
            firstName: "Sans",
            lastName: "Contact",
            email: Option.none(),
            phone: Option.none(),
            phoneVerified: false,
            passwordHash: Option.none(),
            staffRoles: []
          }).pipe(Effect.orDie)
          const now = yield* DateTime.now
          const audit = (accountId: typeof nowhere.id) =>
            repo.audit({
              at: now,
              actorId: moderator.id,
              actorRole: "moderator",
              action: "warn",
              targetKind: "account",
              targetId: accountId,
              alertId: Option.none(),
              accountId: Option.some(accountId),
              communityId: Option.none(),
              reason: Option.some("off_topic"),
              note: Option.none(),
              before: Option.none(),
              after: Option.none()
            })
          const send = (accountId: typeof nowhere.id, auditId: AuditEntryId) =>
            notices.notify({
              decisionId: auditId,
              accountIds: [accountId],
              body: "Vigie: avertissement de la modération.",
              channels: ["sms", "email"]
            }, now)
          assert.deepStrictEqual(yield* send(stopped.id, (yield* audit(stopped.id)).id), { sms: 0, email: 1 })
          assert.deepStrictEqual(yield* send(reachable.id, (yield* audit(reachable.id)).id), { sms: 1, email: 1 })
          assert.deepStrictEqual(yield* send(nowhere.id, (yield* audit(nowhere.id)).id), { sms: 0, email: 0 })
          const [n] = yield* sql<
            { messages: number }
          >`SELECT count(*)::int AS messages FROM messages WHERE kind = 'notice'`
          assert.strictEqual(n!.messages, 2)
        }))

      it.effect("a notice to several people is one message with one delivery per person and channel they can receive", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const notices = yield* Notices
          const repo = yield* AuditLogRepo
          yield* freshQueue
          const { members } = yield* neighbourhood(3)
          const moderator = yield* moderatorAccount("Groupe")
          const now = yield* DateTime.now
          const entry = yield* repo.audit({
            at: now,
            actorId: moderator.id,
            actorRole: "moderator",
            action: "warn",
            targetKind: "account",
            targetId: members[0]!.id,
            alertId: Option.none(),
            accountId: Option.some(members[0]!.id),
            communityId: Option.none(),
            reason: Option.some("off_topic"),
            note: Option.none(),
            before: Option.none(),
            after: Option.none()
          })
          const written = yield* notices.notify({
            decisionId: entry.id,
            accountIds: members.map((m) => m.id),
            body: "Vigie: message de la modération.",
            channels: ["sms"]
          }, now)
          assert.deepStrictEqual(written, { sms: 3, email: 0 })
          const [row] = yield* sql<{ messages: number; deliveries: number }>`
            SELECT count(DISTINCT m.id)::int AS messages, count(d.id)::int AS deliveries
            FROM messages m JOIN deliveries d ON d.message_id = m.id WHERE m.audit_id = ${entry.id}`
          assert.deepStrictEqual({ ...row }, { messages: 1, deliveries: 3 })
          assert.deepStrictEqual(
            yield* notices.notify({ decisionId: entry.id, accountIds: [], body: "x", channels: ["sms"] }, now),
            {
              sms: 0,
              email: 0
            }
          )
        }))

      it.effect("a town alert's progress counts its withheld deliveries apart from failed and dead ones", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const statistics = yield* CommuneStatisticsRepo
          yield* freshQueue
          const { members } = yield* neighbourhood(3)
          const now = yield* DateTime.now
          const [town] = yield* sql<{ id: string }>`
            INSERT INTO alerts (scope_kind, insee, author_id, origin, category, urgency, text, status, created_at)
            VALUES ('commune', '33080', ${members[0]!.id}, 'mairie', 'weather', 'urgent', 'Orages', 'published', now())
            RETURNING id`
          const [message] = yield* sql<{ id: string }>`
            INSERT INTO messages (alert_id, kind, created_at) VALUES (${town!.id}, 'alert', now()) RETURNING id`
          const statuses = ["withheld", "withheld", "dead"] as const
          for (const [i, status] of statuses.entries()) {
            yield* sql`
              INSERT INTO deliveries (message_id, alert_id, account_id, channel, destination, status, next_attempt_at,
                created_at, updated_at)
              VALUES (${message!.id}, ${town!.id}, ${members[i]!.id}, 'sms', ${Option.getOrThrow(members[i]!.phone)},
                ${status}, now(), now(), now())`
          }
          const snapshot = yield* statistics.snapshot(CADAUJAC, now)
          const progress = snapshot.townAlerts.find((t) => t.alertId === town!.id)
          assert.deepStrictEqual(
            { dead: progress?.dead, failed: progress?.failed, queued: progress?.queued, withheld: progress?.withheld },
            { dead: 1, failed: 0, queued: 0, withheld: 2 }
          )
        }))

      it.effect("migration 0019: deliveries withheld before it (dead, with the marker) become withheld, the marker cleared", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const alerts = yield* Alerts
          yield* freshQueue
          const { community, members } = yield* neighbourhood(2)
          const posted = yield* alerts.post(
            actorOf(members[0]!),
            draftIn(community, "road_danger", "Arbre tombé sur la route")
          )
          const marker = "withheld: the alert was hidden by moderation before this was sent"
          yield* sql`UPDATE deliveries SET status = 'dead', last_error = ${marker} WHERE alert_id = ${posted.id} AND channel = 'sms'`
          yield* sql`UPDATE deliveries SET status = 'dead', last_error = '3 attempts' WHERE alert_id = ${posted.id} AND channel = 'email'`
          yield* migrations["0019_withheld"]!
          const rows = yield* sql<{ channel: string; status: string; last_error: string | null }>`
            SELECT DISTINCT channel, status, last_error FROM deliveries WHERE alert_id = ${posted.id} ORDER BY channel`
          assert.deepStrictEqual(rows.map((r) => ({ ...r })), [
            { channel: "email", status: "dead", last_error: "3 attempts" },
            { channel: "sms", status: "withheld", last_error: null }
          ])
        }))

      it.effect("an alert published once is marked so: hidden then restored it is not sent again, and a town alert counts as published from its insert", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const alerts = yield* Alerts
          yield* freshQueue
          const { community, members } = yield* neighbourhood(1)
          const posted = yield* alerts.post(
            actorOf(members[0]!),
            draftIn(community, "road_danger", "Chaussée inondée sous le pont")
          )
          const [row] = yield* sql<{ first: Date | null; created: Date }>`
            SELECT first_published_at AS first, created_at AS created FROM alerts WHERE id = ${posted.id}`
          assert.strictEqual(row!.first?.getTime(), row!.created.getTime())
          const [town] = yield* sql<{ first: Date | null }>`
            INSERT INTO alerts (scope_kind, insee, author_id, origin, category, urgency, text, status, created_at)
            VALUES ('commune', '33080', ${members[0]!.id}, 'mairie', 'weather', 'urgent', 'Orages', 'published', now())
            RETURNING first_published_at AS first`
          assert.isNotNull(town!.first)
        }))
    })
  })
}
