import { SqlClient } from "@effect/sql"
import type { AlertId } from "@vigie/domain/alerts/Alert"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { AuthoritiesInboxRepo, type SharedAlertRecord } from "@vigie/domain/mairie/AuthoritiesInboxRepo"
import { Acknowledgement, InternalNote } from "@vigie/domain/mairie/SharedAlert"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { AlertFromRow } from "./PgAlertRepo"
import { mapFailures } from "./SqlFailure"

const alertColumns =
  `a.id, a.scope_kind, a.community_id, a.insee, a.scope_community_ids, a.author_id, a.origin, a.category,
  a.urgency, a.text, a.place, a.shared_with_authorities, a.status, a.created_at, a.closed_at`

/** A visible alert a resident shared with the authorities of its commune. */
const shared = `a.shared_with_authorities AND a.scope_kind = 'community' AND a.status IN ('published', 'resolved')`

const SharedRow = Schema.Struct({ alert: AlertFromRow, community_name: Schema.String })
const AckRow = Schema.Struct({
  alert_id: Schema.String,
  role: Schema.Literal("mairie", "police"),
  acknowledged_at: Schema.DateTimeUtcFromDate
})
const NoteRow = Schema.Struct({
  id: Schema.String,
  alert_id: Schema.String,
  role: Schema.Literal("mairie", "police"),
  author_id: Schema.String,
  text: Schema.String,
  created_at: Schema.DateTimeUtcFromDate
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const assemble = (rows: ReadonlyArray<unknown>) =>
    Effect.gen(function*() {
      const decoded = yield* Effect.forEach(rows, (row) =>
        Schema.decodeUnknown(SharedRow)({ alert: row,
          community_name: (row as { community_name?: unknown }).community_name }))
      if (decoded.length === 0) {
        return [] as ReadonlyArray<SharedAlertRecord>
      }
      const ids = decoded.map((r) =>
        r.alert.id
      )
      const acks = yield* Schema.decodeUnknown(Schema.Array(AckRow))(
        yield* sql`SELECT alert_id, role, acknowledged_at FROM authority_acknowledgements WHERE alert_id = ANY (${ids}::uuid[])`
      )
      const notes = yield* Schema.decodeUnknown(Schema.Array(NoteRow))(
        yield* sql`SELECT id, alert_id, role, author_id, text, created_at FROM authority_notes
                   WHERE alert_id = ANY (${ids}::uuid[]) ORDER BY created_at, id`
      )
      return decoded.map(({ alert, community_name }): SharedAlertRecord => ({
        alert,
        communityName: community_name,
        acknowledgements: acks.filter((a) => a.alert_id === alert.id).map((a) =>
          new Acknowledgement({ role: a.role, acknowledgedAt: a.acknowledged_at })
        ),
        notes: notes.filter((n) => n.alert_id === alert.id).map((n) =>
          Schema.decodeSync(InternalNote)({
            id: n.id,
            role: n.role,
            authorId: n.author_id,
            text: n.text,
            createdAt: DateTime.formatIso(n.created_at)
          })
        )
      }))
    })

  return AuthoritiesInboxRepo.of({
    list: (insee, before, limit) =>
      Effect.gen(function*() {
        const cursor = Option.getOrNull(before)
        const rows = yield* sql`
SELECT ${sql.literal(alertColumns)}, c.name AS community_name
FROM alerts a JOIN communities c ON c.id = a.community_id
WHERE a.insee = ${insee} AND ${sql.literal(shared)}
  AND (${cursor === null}::boolean
       OR a.created_at < ${cursor === null ? null : DateTime.toDateUtc(cursor.createdAt)}::timestamptz
       OR (a.created_at = ${cursor === null ? null : DateTime.toDateUtc(cursor.createdAt)}::timestamptz
           AND a.id < ${cursor === null ? null : cursor.id}::uuid))
ORDER BY a.created_at DESC, a.id DESC
LIMIT ${limit}`
        return yield* assemble(rows)
      }).pipe(mapFailures(), Effect.withSpan("PgAuthoritiesInbox.list")),
    find: (alertId) =>
      Effect.gen(function*() {
        const rows = yield* sql`
SELECT ${sql.literal(alertColumns)}, c.name AS community_name
FROM alerts a JOIN communities c ON c.id = a.community_id
WHERE a.id = ${alertId} AND ${sql.literal(shared)}`
        const [item] = yield* assemble(rows)
        return item === undefined
          ? Option.none()
          : Option.some({ insee: Schema.decodeSync(InseeCode)((rows[0] as { insee: string }).insee), item })
      }).pipe(mapFailures(), Effect.withSpan("PgAuthoritiesInbox.find")),
    acknowledge: (alertId, role, accountId, now) =>
      sql`
INSERT INTO authority_acknowledgements (alert_id, role, account_id, acknowledged_at)
VALUES (${alertId}, ${role}, ${accountId}, ${DateTime.toDateUtc(now)})
ON CONFLICT (alert_id, role) DO NOTHING`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgAuthoritiesInbox.acknowledge")
      ),
    addNote: (alertId, role, accountId, text, now) =>
      sql`
INSERT INTO authority_notes (alert_id, role, author_id, text, created_at)
VALUES (${alertId}, ${role}, ${accountId}, ${text}, ${DateTime.toDateUtc(now)})`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgAuthoritiesInbox.addNote")
      ),
    acknowledgements: (alertId: AlertId) =>
      Effect.gen(function*() {
        const acks = yield* Schema.decodeUnknown(Schema.Array(AckRow))(
          yield* sql`SELECT alert_id, role, acknowledged_at FROM authority_acknowledgements WHERE alert_id = ${alertId}`
        )
        const of = (role: "mairie" | "police") =>
          Option.fromNullable(acks.find((a) => a.role === role)?.acknowledged_at)
        return { mairie: of("mairie"), police: of("police") }
      }).pipe(mapFailures(), Effect.withSpan("PgAuthoritiesInbox.acknowledgements"))
  })
})

export const layer = Layer.effect(AuthoritiesInboxRepo, make)
