import { SqlClient } from "@effect/sql"
import { LoginAttemptRepo } from "@vigie/domain/accounts/LoginAttemptRepo"
import { DateTime, Effect, Layer } from "effect"
import { mapFailures } from "./SqlFailure"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  return LoginAttemptRepo.of({
    failures: (key) =>
      sql<{ failures: number; last_failure_at: Date }>`
SELECT failures, last_failure_at FROM login_failures WHERE login_key = ${key}`.pipe(
        Effect.map((rows) => {
          const row = rows[0]
          return row === undefined
            ? { count: 0, lastAt: undefined }
            : { count: row.failures, lastAt: DateTime.unsafeMake(row.last_failure_at) }
        }),
        mapFailures(),
        Effect.withSpan("PgLoginAttemptRepo.failures")
      ),
    recordFailure: (key, at) =>
      sql`
INSERT INTO login_failures (login_key, failures, last_failure_at) VALUES (${key}, 1, ${new Date(at.epochMillis)})
ON CONFLICT (login_key) DO UPDATE SET failures = login_failures.failures + 1, last_failure_at = excluded.last_failure_at`
        .pipe(Effect.asVoid, mapFailures(), Effect.withSpan("PgLoginAttemptRepo.recordFailure")),
    clear: (key) =>
      sql`DELETE FROM login_failures WHERE login_key = ${key}`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgLoginAttemptRepo.clear")
      )
  })
})

export const layer = Layer.effect(LoginAttemptRepo, make)
