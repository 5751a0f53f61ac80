import { SqlClient } from "@effect/sql"
import { AccountId } from "@vigie/domain/accounts/Account"
import { LoginDeviceRepo } from "@vigie/domain/accounts/LoginDeviceRepo"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
const decodeAccount = Schema.decodeUnknown(AccountId)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return LoginDeviceRepo.of({
    accountOf: (tokenHash) =>
      sql<{ account_id: string }>`SELECT account_id FROM login_devices WHERE token_hash = ${toBuffer(tokenHash)}`.pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined
            ? Effect.succeed(Option.none())
            : Effect.map(decodeAccount(rows[0].account_id), Option.some)
        ),
        mapFailures(),
        Effect.withSpan("PgLoginDeviceRepo.accountOf")
      ),
    insert: ({ accountId, at, tokenHash }) =>
      sql`
INSERT INTO login_devices (token_hash, account_id, created_at, last_used_at)
VALUES (${toBuffer(tokenHash)}, ${accountId}, ${DateTime.toDateUtc(at)}, ${DateTime.toDateUtc(at)})
ON CONFLICT (token_hash) DO NOTHING`.pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgLoginDeviceRepo.insert")),
    touch: (tokenHash, at) =>
      sql`UPDATE login_devices SET last_used_at = ${DateTime.toDateUtc(at)} WHERE token_hash = ${toBuffer(tokenHash)}`
        .pipe(
          Effect.asVoid,
          mapFailures(),
          Effect.withSpan("PgLoginDeviceRepo.touch")
        )
  })
})

export const layer = Layer.effect(LoginDeviceRepo, make)
