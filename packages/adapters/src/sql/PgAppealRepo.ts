import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { AlertId } from "@vigie/domain/alerts/Alert"
import { AppealRepo } from "@vigie/domain/moderation/AppealRepo"
import type { AppealRecord } from "@vigie/domain/moderation/AppealRepo"
import { AppealId, AppealStatus, AppealView } from "@vigie/domain/moderation/ModeratedAlert"
import { AlreadyAppealed } from "@vigie/domain/moderation/ModerationErrors"
import { PersonName } from "@vigie/domain/shared/Text"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { optionalPerson, person, Time } from "./PgModerationRows"
import { mapFailures } from "./SqlFailure"

const AppealRow = Schema.Struct({
  id: AppealId,
  alert_id: AlertId,
  author_id: AccountId,
  author_first: PersonName,
  author_last: PersonName,
  text: Schema.String,
  created_at: Time,
  status: AppealStatus,
  hidden_by: Schema.NullOr(AccountId),
  hider_first: Schema.NullOr(PersonName),
  hider_last: Schema.NullOr(PersonName),
  decided_by: Schema.NullOr(AccountId),
  decider_first: Schema.NullOr(PersonName),
  decider_last: Schema.NullOr(PersonName),
  decided_at: Schema.NullOr(Time),
  decision_reason: Schema.NullOr(Schema.String)
})

const appealOf = (r: typeof AppealRow.Type): AppealRecord => ({
  view: new AppealView({
    id: r.id,
    alertId: r.alert_id,
    author: person(r.author_id, r.author_first, r.author_last),
    text: r.text,
    createdAt: r.created_at,
    status: r.status,
    hiddenBy: optionalPerson(r.hidden_by, r.hider_first, r.hider_last),
    decidedBy: optionalPerson(r.decided_by, r.decider_first, r.decider_last),
    decidedAt: Option.fromNullable(r.decided_at),
    decisionReason: Option.fromNullable(r.decision_reason)
  }, true),
  authorId: r.author_id,
  hiddenById: Option.fromNullable(r.hidden_by)
})

const selectAppeals = `
SELECT p.id, p.alert_id, p.author_id, au.first_name AS author_first, au.last_name AS author_last, p.text, p.created_at,
       p.status, p.hidden_by, hb.first_name AS hider_first, hb.last_name AS hider_last,
       p.decided_by, db.first_name AS decider_first, db.last_name AS decider_last, p.decided_at, p.decision_reason
FROM moderation_appeals p
JOIN accounts au ON au.id = p.author_id
LEFT JOIN accounts hb ON hb.id = p.hidden_by
LEFT JOIN accounts db ON db.id = p.decided_by`

const Inserted = Schema.Struct({ id: AppealId })
const Decided = Schema.Struct({ one: Schema.Number })

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const appealsOf = SqlSchema.findAll({
    Request: Schema.Array(AlertId),
    Result: AppealRow,
    execute: (alertIds) =>
      sql`${sql.literal(selectAppeals)} WHERE p.alert_id = ANY (${alertIds}::uuid[]) ORDER BY p.created_at, p.id`
  })

  const byId = SqlSchema.findOne({
    Request: AppealId,
    Result: AppealRow,
    execute: (id) => sql`${sql.literal(selectAppeals)} WHERE p.id = ${id}`
  })

  const insert = SqlSchema.single({
    Request: Schema.Any,
    Result: Inserted,
    execute: (appeal: {
      readonly alertId: AlertId
      readonly authorId: AccountId
      readonly text: string
      readonly hiddenBy: AccountId | null
      readonly at: Date
    }) =>
      sql`
INSERT INTO moderation_appeals (alert_id, author_id, text, hidden_by, created_at)
VALUES (${appeal.alertId}, ${appeal.authorId}, ${appeal.text}, ${appeal.hiddenBy}, ${appeal.at})
RETURNING id`
  })

  const decide = SqlSchema.findAll({
    Request: Schema.Any,
    Result: Decided,
    execute: ({ at, by, id, reason, status }: {
      readonly id: AppealId
      readonly status: string
      readonly by: AccountId
      readonly at: Date
      readonly reason: string
    }) =>
      sql`
UPDATE moderation_appeals SET status = ${status}, decided_by = ${by}, decided_at = ${at}, decision_reason = ${reason}
WHERE id = ${id} AND status = 'pending'
RETURNING 1 AS one`
  })

  return AppealRepo.of({
    appealsOf: (alertIds) =>
      appealsOf(alertIds).pipe(
        Effect.map((rows) => rows.map((r) => appealOf(r).view)),
        mapFailures(),
        Effect.withSpan("PgAppealRepo.appealsOf")
      ),
    appeal: (id) =>
      byId(id).pipe(Effect.map(Option.map(appealOf)), mapFailures(), Effect.withSpan("PgAppealRepo.appeal")),
    insertAppeal: (appeal) =>
      insert({
        alertId: appeal.alertId,
        authorId: appeal.authorId,
        text: appeal.text,
        hiddenBy: Option.getOrNull(appeal.hiddenBy),
        at: DateTime.toDateUtc(appeal.at)
      }).pipe(
        Effect.flatMap((row) => byId(row.id)),
        Effect.flatMap((found) => Effect.orDie(found)),
        Effect.map((r) => appealOf(r).view),
        mapFailures({ moderation_appeals_once: () => new AlreadyAppealed({ alertId: appeal.alertId }) }),
        Effect.withSpan("PgAppealRepo.insertAppeal")
      ),
    decideAppeal: (id, decision) =>
      decide({ ...decision, id, at: DateTime.toDateUtc(decision.at) }).pipe(
        Effect.map((rows) => rows.length > 0),
        mapFailures(),
        Effect.withSpan("PgAppealRepo.decideAppeal")
      )
  })
})

export const layer = Layer.effect(AppealRepo, make)
