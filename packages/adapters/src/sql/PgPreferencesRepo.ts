import { SqlClient, SqlSchema } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import {
  ChannelPreference,
  defaultPreferences,
  MinuteOfDay,
  NotificationPreferences
} from "@vigie/domain/delivery/NotificationPreferences"
import { PreferencesRepo } from "@vigie/domain/delivery/PreferencesRepo"
import { SmsSuppression, SuppressionReason } from "@vigie/domain/delivery/SmsSuppression"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import { Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const PreferencesRow = Schema.Struct({
  account_id: AccountId,
  sms: ChannelPreference,
  email: ChannelPreference,
  quiet_start: Schema.NullOr(MinuteOfDay),
  quiet_end: Schema.NullOr(MinuteOfDay),
  voice_urgent: Schema.Boolean
})

export const PreferencesFromRow = Schema.transform(PreferencesRow, Schema.typeSchema(NotificationPreferences), {
  strict: true,
  decode: (row) =>
    new NotificationPreferences({
      accountId: row.account_id,
      sms: row.sms,
      email: row.email,
      quietHours: row.quiet_start === null || row.quiet_end === null
        ? Option.none()
        : Option.some({ start: row.quiet_start, end: row.quiet_end }),
      voiceUrgent: row.voice_urgent
    }, true),
  encode: (p) => ({
    account_id: p.accountId,
    sms: p.sms,
    email: p.email,
    quiet_start: Option.getOrNull(Option.map(p.quietHours, (q) => q.start)),
    quiet_end: Option.getOrNull(Option.map(p.quietHours, (q) => q.end)),
    voice_urgent: p.voiceUrgent
  })
})

const SuppressionRow = Schema.Struct({
  phone: PhoneE164,
  reason: SuppressionReason,
  created_at: Schema.DateTimeUtcFromDate
})

export const SuppressionFromRow = Schema.transform(SuppressionRow, Schema.typeSchema(SmsSuppression), {
  strict: true,
  decode: (row) => new SmsSuppression({ phone: row.phone, reason: row.reason, createdAt: row.created_at }, true),
  encode: (s) => ({ phone: s.phone, reason: s.reason, created_at: s.createdAt })
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const find = SqlSchema.findOne({
    Request: AccountId,
    Result: PreferencesFromRow,
    execute: (accountId) =>
      sql`SELECT account_id, sms, email, quiet_start, quiet_end, voice_urgent FROM notification_preferences
          WHERE account_id = ${accountId}`
  })

  const put = SqlSchema.void({
    Request: PreferencesFromRow,
    execute: (row) =>
      sql`INSERT INTO notification_preferences (account_id, sms, email, quiet_start, quiet_end, voice_urgent)
          VALUES (${row.account_id}, ${row.sms}, ${row.email}, ${row.quiet_start}, ${row.quiet_end},
                  ${row.voice_urgent})
          ON CONFLICT (account_id) DO UPDATE
          SET sms = excluded.sms, email = excluded.email, quiet_start = excluded.quiet_start,
              quiet_end = excluded.quiet_end, voice_urgent = excluded.voice_urgent, updated_at = now()`
  })

  const suppressions = SqlSchema.findAll({
    Request: Schema.Array(PhoneE164),
    Result: SuppressionFromRow,
    execute: (phones) =>
      sql`SELECT phone, reason, created_at FROM sms_suppressions WHERE phone = ANY (${phones}::text[]) ORDER BY phone`
  })

  return PreferencesRepo.of({
    get: (accountId) =>
      find(accountId).pipe(
        Effect.map(Option.getOrElse(() => defaultPreferences(accountId))),
        mapFailures(),
        Effect.withSpan("PgPreferencesRepo.get")
      ),
    put: (preferences) =>
      put(preferences).pipe(
        mapFailures(),
        Effect.withSpan("PgPreferencesRepo.put")
      ),
    suppress: (phone, reason) =>
      sql`INSERT INTO sms_suppressions (phone, reason) VALUES (${phone}, ${reason})
          ON CONFLICT (phone) DO NOTHING`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgPreferencesRepo.suppress")
      ),
    unsuppress: (phone) =>
      sql`DELETE FROM sms_suppressions WHERE phone = ${phone}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgPreferencesRepo.unsuppress")
      ),
    suppressions: (phones) =>
      suppressions(phones).pipe(mapFailures(), Effect.withSpan("PgPreferencesRepo.suppressions"))
  })
})

export const layer = Layer.effect(PreferencesRepo, make)
