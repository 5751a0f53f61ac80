import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import { assert, describe, layer } from "@effect/vitest"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import { migrations } from "@vigie/adapters/sql/migrations/index"
import { Duration, Effect, Exit } from "effect"
import { emptyDatabases } from "../support/TestDatabase"
import { bordeaux, square } from "./Fixtures"

/**
 * Migration 0020 on a database migrated up to 0019 whose alerts carry moderation state: the values
 * move to `alert_moderation` (one row per alert that had any), the columns leave `alerts`, and the
 * table keeps their constraints.
 */

const COMMUNITY = "00000000-0000-4000-a000-0000000020c1"
const AUTHOR = "00000000-0000-4000-c000-0000000020a1"
const MODERATOR = "00000000-0000-4000-c000-0000000020f1"
const REFERENT = "00000000-0000-4000-c000-0000000020f2"
const REVIEWED = "00000000-0000-4000-b000-000000002001"
const PENDING = "00000000-0000-4000-b000-000000002002"
const HIDDEN = "00000000-0000-4000-b000-000000002003"
const UNTOUCHED = "00000000-0000-4000-b000-000000002004"

const at = (minute: number) => new Date(Date.UTC(2025, 5, 1, 8, minute))

const alert = (id: string, status: string, minute: number, moderation: Record<string, unknown>) => ({
  id,
  scope_kind: "community",
  community_id: COMMUNITY,
  insee: bordeaux,
  author_id: AUTHOR,
  origin: "web",
  category: "other",
  urgency: "info",
  text: "Une voiture tourne dans le quartier",
  status,
  created_at: at(minute),
  ...moderation
})

const noModeration = {
  reviewed_at: null,
  reviewed_by: null,
  hidden_reason: null,
  hidden_details: null,
  hidden_by: null,
  hidden_by_role: null,
  hidden_at: null,
  hidden_from: null,
  hidden_pending: false
}

const reviewed = { ...noModeration, reviewed_at: at(10), reviewed_by: MODERATOR }
const pending = {
  ...noModeration,
  reviewed_at: at(11),
  reviewed_by: MODERATOR,
  hidden_reason: "personal_data",
  hidden_details: "Le nom d'un voisin",
  hidden_by: REFERENT,
  hidden_by_role: "referent",
  hidden_at: at(12),
  hidden_from: "published",
  hidden_pending: true
}
const hidden = {
  ...noModeration,
  hidden_reason: "off_topic",
  hidden_by: MODERATOR,
  hidden_by_role: "moderator",
  hidden_at: at(13),
  hidden_from: "held_for_review"
}

const columns = Object.keys(noModeration)

const plain = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]))

for (const db of emptyDatabases) {
  describe(`migration 0020_alert_moderation [${db.name}]`, () => {
    layer(db.layer, { excludeTestServices: true, timeout: Duration.seconds(120) })("alert_moderation", (it) => {
      it.effect("moves the alerts' moderation columns to alert_moderation, values and constraints kept", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const before = Object.fromEntries(Object.entries(migrations).filter(([key]) => key < "0020"))
          yield* sql`CREATE TABLE IF NOT EXISTS ${sql(Migrations.table)} (
  migration_id integer primary key,
  created_at timestamp with time zone not null default now(),
  name text not null
)`
          yield* Migrator.make({})({ loader: Migrator.fromRecord(before), table: Migrations.table })

          yield* sql`INSERT INTO communities ${
            sql.insert({ id: COMMUNITY, insee: bordeaux, name: "Quartier", perimeter: JSON.stringify(square) })
          }`
          yield* sql`INSERT INTO accounts ${
            sql.insert([AUTHOR, MODERATOR, REFERENT].map((id) => ({
              id,
              first_name: "Camille",
              last_name: "Martin",
              status: "active"
            })))
          }`
          yield* sql`INSERT INTO alerts ${
            sql.insert([
              alert(REVIEWED, "published", 1, reviewed),
              alert(PENDING, "hidden", 2, pending),
              alert(HIDDEN, "hidden", 3, hidden),
              alert(UNTOUCHED, "published", 4, noModeration)
            ])
          }`

          const applied = yield* Migrations.migrate
          assert.deepStrictEqual(applied[0], [20, "alert_moderation"])

          const rows = yield* sql<Record<string, unknown>>`
            SELECT alert_id, ${sql.literal(columns.join(", "))} FROM alert_moderation ORDER BY alert_id`
          assert.deepStrictEqual(rows.map(plain), [
            plain({ alert_id: REVIEWED, ...reviewed }),
            plain({ alert_id: PENDING, ...pending }),
            plain({ alert_id: HIDDEN, ...hidden })
          ])

          const left = yield* sql<{ column_name: string }>`
            SELECT column_name FROM information_schema.columns
            WHERE table_name = 'alerts' AND column_name IN ${sql.in(columns)}`
          assert.deepStrictEqual(left.map((c) => c.column_name), [])
          const indexes = yield* sql<{ indexname: string }>`
            SELECT indexname FROM pg_indexes
            WHERE indexname IN ('alerts_hidden_by', 'alerts_unreviewed_queue', 'alert_moderation_hidden_by',
              'alerts_published_residents')
            ORDER BY indexname`
          assert.deepStrictEqual(indexes.map((i) => i.indexname), ["alert_moderation_hidden_by",
            "alerts_published_residents"])

          const halfReviewed = yield* Effect.exit(
            sql`INSERT INTO alert_moderation (alert_id, reviewed_at) VALUES (${UNTOUCHED}, ${at(20)})`
          )
          const pendingWithoutHiding = yield* Effect.exit(
            sql`INSERT INTO alert_moderation (alert_id, hidden_pending) VALUES (${UNTOUCHED}, true)`
          )
          const badRole = yield* Effect.exit(sql`
            INSERT INTO alert_moderation (alert_id, hidden_reason, hidden_by, hidden_by_role, hidden_at, hidden_from)
            VALUES (${UNTOUCHED}, 'other', ${MODERATOR}, 'maire', ${at(20)}, 'published')`)
          assert.isTrue(Exit.isFailure(halfReviewed))
          assert.isTrue(Exit.isFailure(pendingWithoutHiding))
          assert.isTrue(Exit.isFailure(badRole))

          yield* sql`DELETE FROM alerts WHERE id = ${REVIEWED}`
          const kept = yield* sql<{ alert_id: string }>`SELECT alert_id FROM alert_moderation ORDER BY alert_id`
          assert.deepStrictEqual(kept.map((r) => r.alert_id), [PENDING, HIDDEN])
        }))
    })
  })
}
