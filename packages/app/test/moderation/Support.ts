import { SqlClient } from "@effect/sql"
import { email, phone } from "@vigie/adapters/test/sql/Fixtures"
import type { TestDatabase } from "@vigie/adapters/test/support/TestDatabase"
import type { Account, StaffRole } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { Actor } from "@vigie/domain/accounts/CurrentActor"
import type { AlertCategory, AlertId } from "@vigie/domain/alerts/Alert"
import { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import type { AlertDraft } from "@vigie/domain/alerts/Alerts"
import type { Community } from "@vigie/domain/communities/Community"
import { CommunityRepo } from "@vigie/domain/communities/CommunityRepo"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import type { MembershipRole } from "@vigie/domain/membership/Membership"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { AlertDecisions } from "@vigie/domain/moderation/AlertDecisions"
import { Appeals } from "@vigie/domain/moderation/Appeals"
import { AuditLog } from "@vigie/domain/moderation/AuditLog"
import { Flags } from "@vigie/domain/moderation/Flags"
import { ModerationQueue } from "@vigie/domain/moderation/ModerationQueue"
import { Sanctions } from "@vigie/domain/moderation/Sanctions"
import type { PhoneE164 } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, homeAddress } from "../support/World.js"
import { deliverAll as deliverAllTo } from "../workers/Support.js"

export const publicUrl = new URL("https://vigie.example.fr")

/**
 * Every moderation service's methods in one object, as the suites call them (each method keeps its
 * name in its own service: queue, decisions on alerts, sanctions, flags, appeals, audit log).
 */
export const Moderation = Effect.gen(function*() {
  return {
    ...(yield* ModerationQueue),
    ...(yield* AlertDecisions),
    ...(yield* Sanctions),
    ...(yield* Flags),
    ...(yield* Appeals),
    ...(yield* AuditLog)
  }
})

/** The whole platform (moderation included) on a fresh database. */
export const moderationPlatform = (db: TestDatabase) => platform(db)

/** The actor of an SMS to the gateway from the account's verified phone. */
export const phoneActorOf = (account: Account): Actor => ({
  _tag: "Phone",
  account,
  phone: Option.getOrThrow(account.phone) as PhoneE164
})

const square = (x: number): Polygon => ({
  type: "Polygon",
  coordinates: [[[x, 44.74], [x + 0.01, 44.74], [x + 0.01, 44.75], [x, 44.75], [x, 44.74]]]
})

export const draftIn = (community: Community, category: AlertCategory, text: string): AlertDraft => ({
  scope: { _tag: "Community", communityId: community.id },
  category,
  urgency: "urgent",
  text,
  place: Option.some("Rue des Vignes"),
  sharedWithAuthorities: false
})

/** An account with a verified phone and an e-mail address, optionally staff. */
export const person = (lastName: string, staffRoles: ReadonlyArray<StaffRole> = []) =>
  Effect.flatMap(AccountRepo, (accounts) =>
    accounts.insert({
      firstName: "Test",
      lastName,
      email: Option.some(email()),
      phone: Option.some(phone()),
      phoneVerified: true,
      passwordHash: Option.none(),
      staffRoles
    }).pipe(Effect.orDie))

export const moderatorAccount = (name: string) => person(name, [{ _tag: "Moderator" }])

/**
 * A fresh community of `size` verified residents on both channels, each with two earlier alerts
 * posted long ago (trusted: their next alert is published at once), plus a newcomer who never
 * posted and a référent (who posted long ago too).
 */
export const neighbourhood = (size: number) =>
  Effect.gen(function*() {
    const memberships = yield* MembershipRepo
    const alerts = yield* AlertRepo
    const publisher = yield* AlertPublisher
    const community = yield* (yield* CommunityRepo).insert({
      insee: CADAUJAC,
      name: `Quartier ${crypto.randomUUID().slice(0, 8)}`,
      perimeter: square(-0.5 + Math.random() / 10)
    })
    const longAgo = DateTime.subtract(yield* DateTime.now, { days: 3 })
    const join = (account: Account, role: MembershipRole = "resident") =>
      memberships.insert({
        accountId: account.id,
        communityId: community.id,
        role,
        status: "verified",
        address: homeAddress(`${account.lastName} rue des Vignes`)
      }).pipe(Effect.orDie)
    // Two alerts long ago, retracted since: they count for the trust policy and wait in no queue.
    const history = (account: Account) =>
      Effect.forEach([0, 1], (n) =>
        publisher.post({
          ...draftIn(community, "other", `Ancienne alerte ${n}`),
          authorId: account.id,
          origin: "web",
          status: "held_for_review"
        }, longAgo).pipe(Effect.flatMap(({ alert }) => alerts.setStatus(alert.id, "retracted", longAgo))), {
        discard: true
      })
    const members: Array<Account> = []
    for (let i = 0; i < size; i++) {
      const account = yield* person(`N${i}`)
      yield* join(account)
      yield* history(account)
      members.push(account)
    }
    const newcomer = yield* person("Nouveau")
    yield* join(newcomer)
    const referent = yield* person("Referente")
    yield* join(referent, "referent")
    yield* history(referent)
    return { community, members, newcomer, referent }
  })

/** The (account, channel) pairs of one kind of message about an alert. */
export const recipientsOf = (alertId: AlertId, kind: "alert" | "followup" | "closing") =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ account_id: string; channel: string }>`
      SELECT d.account_id, d.channel FROM deliveries d JOIN messages m ON m.id = d.message_id
      WHERE m.alert_id = ${alertId} AND m.kind = ${kind} ORDER BY 1, 2`.pipe(Effect.orDie))

/** Every message written about an alert (its own, and notices of decisions on it), by kind. */
/** Empties what the queue and the outboxes show, so that a test sees only its own items. */
export const freshQueue = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql`TRUNCATE alerts, moderation_audit, sms_outbox, email_outbox CASCADE`.pipe(Effect.asVoid, Effect.orDie)
)

export const messageCounts = (alertId: AlertId) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ kind: string; messages: number; deliveries: number }>`
      SELECT m.kind, count(DISTINCT m.id)::int AS messages, count(d.id)::int AS deliveries
      FROM messages m LEFT JOIN deliveries d ON d.message_id = m.id
      WHERE m.alert_id = ${alertId}
         OR m.audit_id IN (SELECT id FROM moderation_audit WHERE alert_id = ${alertId})
      GROUP BY m.kind ORDER BY m.kind`.pipe(
      Effect.map((rows) =>
        Object.fromEntries(rows.map((r) => [r.kind, { messages: r.messages, deliveries: r.deliveries }]))
      ),
      Effect.orDie
    ))

export { actorOf }

/** Runs the delivery workers until nothing is due; returns what the outboxes hold. */
export const deliverAll = deliverAllTo(publicUrl)
