import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import { assert, describe, layer } from "@effect/vitest"
import * as Migrations from "@vigie/adapters/sql/Migrations"
import { migrations } from "@vigie/adapters/sql/migrations/index"
import { Duration, Effect, Exit } from "effect"
import { emptyDatabases } from "../support/TestDatabase"
import { bordeaux, square } from "./Fixtures"

/**
 * Migration 0022 on a database migrated up to 0020 that holds a moderation notice and its delivery,
 * and a member who left: the rows stay valid, and the new subject of messages (a change of a quartier)
 * is checked as strictly as the others.
 */

const COMMUNITY = "00000000-0000-4000-a000-0000000022c1"
const MEMBER = "00000000-0000-4000-c000-0000000022a1"
const MODERATOR = "00000000-0000-4000-c000-0000000022f1"
const NEIGHBOUR = "00000000-0000-4000-c000-0000000022a2"
const AUDIT = "00000000-0000-4000-b000-000000002201"
const NOTICE = "00000000-0000-4000-b000-000000002202"
const LEFT = "00000000-0000-4000-b000-000000002203"
const VERIFIED = "00000000-0000-4000-b000-000000002204"
const CHANGE = "00000000-0000-4000-b000-000000002205"

const at = new Date(Date.UTC(2025, 5, 1, 8, 0))

for (const db of emptyDatabases) {
  describe(`migration 0022_quartiers [${db.name}]`, () => {
    layer(db.layer, { excludeTestServices: true, timeout: Duration.seconds(120) })("quartiers", (it) => {
      it.effect("keeps earlier notices and memberships valid; a quartier notice names its change and only it", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const before = Object.fromEntries(Object.entries(migrations).filter(([key]) => key < "0022"))
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
            sql.insert(
              [MEMBER, NEIGHBOUR, MODERATOR].map((id) => ({ id, first_name: "Camille", last_name: "Martin",
                status: "active" })
              )
            )
          }`
          const membership = (id: string, accountId: string, status: string) => ({
            id,
            account_id: accountId,
            community_id: COMMUNITY,
            role: "resident",
            status,
            address_line1: "1 rue des Lilas",
            postcode: "33000",
            city: "Bordeaux"
          })
          yield* sql`INSERT INTO memberships ${
            sql.insert([membership(LEFT, MEMBER, "left"), membership(VERIFIED, NEIGHBOUR, "verified")])
          }`
          yield* sql`INSERT INTO moderation_audit ${
            sql.insert({ id: AUDIT, at, actor_id: MODERATOR, actor_role: "moderator", action: "warn",
              target_kind: "account", target_id: MEMBER, account_id: MEMBER })
          }`
          yield* sql`INSERT INTO messages ${
            sql.insert({ id: NOTICE, kind: "notice", audit_id: AUDIT, body: "Avertissement", created_at: at })
          }`
          yield* sql`INSERT INTO deliveries ${
            sql.insert({ message_id: NOTICE, audit_id: AUDIT, account_id: MEMBER, channel: "email",
              destination: "camille@example.fr", next_attempt_at: at, created_at: at, updated_at: at })
          }`

          const applied = yield* Migrations.migrate
          assert.isTrue(applied.some(([id, name]) => id === 22 && name === "quartiers"))

          const [kept] = yield* sql<
            { kind: string; body: string }
          >`SELECT kind, body FROM messages WHERE id = ${NOTICE}`
          assert.deepStrictEqual(kept, { kind: "notice", body: "Avertissement" })
          const [left] = yield* sql<{ status: string; left_reason: string | null }>`
            SELECT status, left_reason FROM memberships WHERE id = ${LEFT}`
          assert.deepStrictEqual(left, { status: "left", left_reason: null })

          yield* sql`INSERT INTO community_changes ${
            sql.insert({ id: CHANGE, community_id: COMMUNITY, action: "archived", actor_id: MODERATOR, at })
          }`
          const refused = (statement: Effect.Effect<unknown, unknown>) =>
            Effect.map(Effect.exit(statement), (exit) => Exit.isFailure(exit))
          // A quartier notice without its change, a moderation notice naming a change, two subjects: refused.
          assert.isTrue(
            yield* refused(sql`INSERT INTO messages (kind, body, created_at) VALUES ('community_notice', 'x', ${at})`)
          )
          assert.isTrue(
            yield* refused(sql`INSERT INTO messages (kind, community_change_id, body, created_at)
            VALUES ('notice', ${CHANGE}, 'x', ${at})`)
          )
          assert.isTrue(
            yield* refused(sql`INSERT INTO messages (kind, community_change_id, audit_id, body, created_at)
            VALUES ('community_notice', ${CHANGE}, ${AUDIT}, 'x', ${at})`)
          )
          assert.isTrue(
            yield* refused(sql`INSERT INTO messages (kind, community_change_id, created_at)
            VALUES ('community_notice', ${CHANGE}, ${at})`)
          )
          // A change's notice once; a redraw records both perimeters.
          assert.isFalse(
            yield* refused(sql`INSERT INTO messages (kind, community_change_id, body, created_at)
            VALUES ('community_notice', ${CHANGE}, 'Le quartier a fermé', ${at})`)
          )
          assert.isTrue(
            yield* refused(sql`INSERT INTO messages (kind, community_change_id, body, created_at)
            VALUES ('community_notice', ${CHANGE}, 'Encore', ${at})`)
          )
          assert.isTrue(
            yield* refused(sql`INSERT INTO community_changes (community_id, action, actor_id, at)
            VALUES (${COMMUNITY}, 'redrawn', ${MODERATOR}, ${at})`)
          )
          // A reason only for a membership that ended.
          assert.isTrue(
            yield* refused(sql`UPDATE memberships SET left_reason = 'perimeter_redrawn' WHERE id = ${VERIFIED}`)
          )
          assert.isFalse(
            yield* refused(sql`UPDATE memberships SET left_reason = 'perimeter_redrawn' WHERE id = ${LEFT}`)
          )
        }))
    })
  })
}
