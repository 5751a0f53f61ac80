import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { defaultRetentionPeriods } from "@vigie/domain/accounts/Retention"
import * as RetentionJob from "@vigie/domain/administration/RetentionJob"
import { Duration, Effect, Layer, Option } from "effect"
import { platform } from "../support/TestPlatform.js"

for (const db of databases) {
  const job = RetentionJob.layer.pipe(Layer.provideMerge(platform(db, new URL("http://vigie.test"))))
  layer(job, { excludeTestServices: true, timeout: Duration.seconds(120) })(
    `voice calls age out [${db.name}]`,
    (it) => {
      it.effect("a call older than the delivery destinations' period is deleted with its number and text; a recent one stays", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          yield* sql.unsafe(
            `INSERT INTO voice_calls (reference, destination, text, digits, status, created_at, updated_at)
          VALUES ('delivery:1', '+33146000001', 'Alerte ancienne', NULL, 'completed', now() - interval '100 days',
                  now() - interval '100 days'),
                 ('veille:2', '+33146000002', 'Tout va bien ?', '19', 'answered', now() - interval '1 day',
                  now() - interval '1 day')`
          )
          const report = yield* (yield* RetentionJob.RetentionJob).runOnce(defaultRetentionPeriods)
          expect(Option.isSome(report)).toBe(true)
          const left = yield* sql<{ reference: string }>`SELECT reference FROM voice_calls ORDER BY reference`
          expect(left.map((r) => r.reference)).toStrictEqual(["veille:2"])
        }))
    }
  )
}
