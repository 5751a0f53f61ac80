import { SqlClient } from "@effect/sql"
import { VerificationSmsRepo } from "@vigie/domain/channels/VerificationSmsRepo"
import { DateTime, Effect, Layer } from "effect"
import { mapFailures } from "./SqlFailure"

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return VerificationSmsRepo.of({
    counts: ({ accountId, clientKey, since }) =>
      sql<{ account: number; address: number; platform: number; account_phone_codes: number }>`
SELECT (SELECT count(*) FROM verification_sms WHERE account_id = ${accountId} AND created_at > ${
        DateTime.toDateUtc(since)
      })::int AS account,
       (SELECT count(*) FROM verification_sms WHERE client_key = ${toBuffer(clientKey)} AND created_at > ${
        DateTime.toDateUtc(since)
      })::int AS address,
       (SELECT count(*) FROM verification_sms WHERE created_at > ${DateTime.toDateUtc(since)})::int AS platform,
       (SELECT count(*) FROM verification_sms WHERE account_id = ${accountId} AND purpose = 'phone_code')::int AS account_phone_codes`
        .pipe(
          Effect.map(([row]) => ({
            account: row?.account ?? 0,
            address: row?.address ?? 0,
            platform: row?.platform ?? 0,
            accountPhoneCodes: row?.account_phone_codes ?? 0
          })),
          mapFailures(),
          Effect.withSpan("PgVerificationSmsRepo.counts")
        ),
    record: ({ accountId, at, clientKey, purpose }) =>
      sql`INSERT INTO verification_sms (account_id, client_key, purpose, created_at)
          VALUES (${accountId}, ${toBuffer(clientKey)}, ${purpose}, ${DateTime.toDateUtc(at)})`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgVerificationSmsRepo.record")
      )
  })
})

export const layer = Layer.effect(VerificationSmsRepo, make)
