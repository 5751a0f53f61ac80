import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * The voice channel (issue 17, item 4):
 * - `voice_calls`: every call placed (Plivo or the dev outbox), keyed by our `reference`, with what
 *   was said and which keys may be pressed, so that Plivo's answer URL is served by any process from
 *   the database alone; the provider's id, how it went (placing → placed → answered → completed, or
 *   unanswered / failed) and the keys pressed. A reference called again (a retried delivery) is the
 *   same row, rewritten.
 * - `deliveries.channel` also takes 'voice' (urgent alerts by voice call).
 * - `notification_preferences.voice_urgent`: "appel vocal pour les alertes urgentes", off by default.
 */
const statements: ReadonlyArray<string> = [
  `CREATE TABLE voice_calls (
    reference text PRIMARY KEY CHECK (char_length(reference) BETWEEN 1 AND 200),
    destination text NOT NULL CHECK (destination ~ '^\\+[1-9][0-9]{6,14}$'),
    text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 3000),
    digits text CHECK (digits ~ '^[0-9*#]{1,12}$'),
    outbox boolean NOT NULL DEFAULT false,
    provider_id text,
    status text NOT NULL CHECK (status IN ('placing', 'placed', 'answered', 'completed', 'unanswered', 'failed')),
    pressed text CHECK (char_length(pressed) <= 20),
    detail text CHECK (char_length(detail) <= 300),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
  `CREATE INDEX voice_calls_latest ON voice_calls (updated_at DESC)`,
  `ALTER TABLE deliveries DROP CONSTRAINT deliveries_channel_check`,
  `ALTER TABLE deliveries ADD CONSTRAINT deliveries_channel_check CHECK (channel IN ('sms', 'email', 'voice'))`,
  `ALTER TABLE notification_preferences ADD COLUMN voice_urgent boolean NOT NULL DEFAULT false`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
