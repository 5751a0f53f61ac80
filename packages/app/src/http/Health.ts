import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { SqlClient } from "@effect/sql"
import { migrations } from "@vigie/adapters/sql/migrations/index"
import { table } from "@vigie/adapters/sql/Migrations"
import { Duration, Effect } from "effect"

/** The id of the newest migration this build knows. */
export const latestMigrationId = Math.max(0, ...Object.keys(migrations).map((key) => Number.parseInt(key, 10)))

/** The liveness probe's path (Kubernetes livenessProbe; infra/ names it). */
export const HEALTHZ_PATH = "/healthz"

/** The readiness probe's path (Kubernetes readiness and startup probes, the image's HEALTHCHECK, the proxy's checks). */
export const READYZ_PATH = "/readyz"

/** GET /healthz: the process is up and serving. */
export const healthz = Effect.succeed(HttpServerResponse.unsafeJson({ status: "ok" }))

/** GET /readyz: the database answers within 2 s and carries every migration of this build. */
export const readyz = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ latest: number | null }>`SELECT max(migration_id)::int AS latest FROM ${sql(table)}`.pipe(
    Effect.timeoutFail({ duration: Duration.seconds(2), onTimeout: () => "timeout" as const }),
    Effect.either
  )
  if (rows._tag === "Left") {
    return HttpServerResponse.unsafeJson({ status: "unavailable", database: "unreachable" }, { status: 503 })
  }
  const latest = rows.right[0]?.latest ?? 0
  return latest >= latestMigrationId
    ? HttpServerResponse.unsafeJson({ status: "ready", migration: latest })
    : HttpServerResponse.unsafeJson({ status: "unavailable", database: "not_migrated", migration: latest,
      expected: latestMigrationId }, { status: 503 })
})
