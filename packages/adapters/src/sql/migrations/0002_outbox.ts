import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * What the development adapters "send": SMS and e-mail kept for the dev inbox instead of going to a
 * provider, and a record of every printed activation letter. The letter's code is kept only when the
 * mailer runs with `keepCodeForDevInbox` (development); in production it stays null.
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE sms_outbox (
  id bigserial PRIMARY KEY,
  destination text NOT NULL,
  text text NOT NULL,
  provider_id text GENERATED ALWAYS AS ('outbox-sms-' || id) STORED,
  created_at timestamptz NOT NULL DEFAULT now()
)`
  yield* sql`CREATE TABLE email_outbox (
  id bigserial PRIMARY KEY,
  destination text NOT NULL,
  subject text NOT NULL,
  text text NOT NULL,
  html text NOT NULL,
  provider_id text GENERATED ALWAYS AS ('outbox-email-' || id) STORED,
  created_at timestamptz NOT NULL DEFAULT now()
)`
  yield* sql`CREATE TABLE postal_outbox (
  id bigserial PRIMARY KEY,
  recipient_name text NOT NULL,
  address jsonb NOT NULL,
  code text NULL,
  expires_at timestamptz NOT NULL,
  file_path text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`
})
