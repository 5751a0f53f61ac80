// Measures the retention's anonymising UPDATE of delivery destinations on a synthetic table shaped
// like `deliveries` (same keys and indexes): one statement (rolled back) against the batches of
// PgRetention.anonymiseDeliveries (each its own transaction), total time and longest statement.
// Creates its own scratch database and drops it at the end.
//   node scripts/retention-batches.mjs postgres://postgres@127.0.0.1:5432/postgres [rows] [sizes, e.g. 5000,10000]
// Sizes after the first run on a table whose destinations were put back by one UPDATE (bloated):
// compare the first size of separate runs.
import { performance } from "node:perf_hooks"
import pg from "pg"

const url = process.argv[2] ?? "postgres://postgres@127.0.0.1:5432/postgres"
const rows = Number(process.argv[3] ?? 1_000_000)
const sizes = (process.argv[4] ?? "5000,10000").split(",").map(Number)
const scratch = `vigie_retention_scratch_${process.pid}`

const admin = new pg.Client({ connectionString: url })
await admin.connect()
await admin.query(`CREATE DATABASE ${scratch}`)
const target = new URL(url)
target.pathname = `/${scratch}`
const db = new pg.Client({ connectionString: target.toString() })
await db.connect()

const seconds = (t0) => (performance.now() - t0) / 1000
const timed = async (text, params) => {
  const t0 = performance.now()
  const r = await db.query(text, params)
  return { r, s: seconds(t0) }
}

try {
  await db.query(`
CREATE TABLE deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id uuid NOT NULL, account_id uuid NOT NULL, channel text NOT NULL,
  destination text NOT NULL, status text NOT NULL, next_attempt_at timestamptz NOT NULL,
  last_error text, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  CONSTRAINT deliveries_once UNIQUE (message_id, account_id, channel))`)
  const t0 = performance.now()
  // `rows` due (older than 90 days, over a month, 1 in 50 still pending) and a tenth as many recent.
  await db.query(
    `
INSERT INTO deliveries (message_id, account_id, channel, destination, status, next_attempt_at, last_error, created_at, updated_at)
SELECT gen_random_uuid(), gen_random_uuid(), CASE WHEN g % 3 = 0 THEN 'email' ELSE 'sms' END,
  '+336' || lpad((g % 100000000)::text, 8, '0'), CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'delivered' END, now(),
  NULL, now() - interval '91 days' - (g % 30) * interval '1 day' - (g % 86400) * interval '1 second', now()
FROM generate_series(1, $1::int) g`,
    [rows]
  )
  await db.query(
    `
INSERT INTO deliveries (message_id, account_id, channel, destination, status, next_attempt_at, created_at, updated_at)
SELECT gen_random_uuid(), gen_random_uuid(), 'sms', '+337' || lpad(g::text, 8, '0'), 'delivered', now(),
  now() - (g % 80) * interval '1 day', now()
FROM generate_series(1, $1::int / 10) g`,
    [rows]
  )
  for (
    const index of [
      `CREATE INDEX deliveries_created ON deliveries (created_at) WHERE destination <> ''`,
      `CREATE INDEX deliveries_account ON deliveries (account_id)`,
      `CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('pending', 'sending')`
    ]
  ) await db.query(index)
  await db.query(`VACUUM ANALYZE deliveries`)
  console.log(
    `seeded ${rows.toLocaleString("en-US")} due + ${(rows / 10).toLocaleString("en-US")} recent rows in ${
      seconds(t0).toFixed(1)
    } s`
  )

  const cutoff = new Date(Date.now() - 90 * 86_400_000)
  await db.query("BEGIN")
  const one = await timed(
    `
UPDATE deliveries SET destination = '', last_error = NULL
WHERE created_at < $1 AND destination <> ''
  AND status IN ('sent', 'delivered', 'failed', 'dead', 'cancelled', 'withheld')`,
    [cutoff]
  )
  await db.query("ROLLBACK")
  console.log(`one UPDATE: ${one.r.rowCount.toLocaleString("en-US")} rows in ${one.s.toFixed(2)} s (rolled back)`)

  const plan = await db.query(
    `
EXPLAIN SELECT id FROM deliveries
WHERE created_at >= '-infinity'::timestamptz AND created_at < $1 AND destination <> ''
  AND status IN ('sent', 'delivered', 'failed', 'dead', 'cancelled', 'withheld')
ORDER BY created_at LIMIT 5000`,
    [cutoff]
  )
  console.log(`a batch's selection:\n  ${plan.rows.map((r) => r["QUERY PLAN"]).join("\n  ")}`)

  for (const size of sizes) {
    await db.query(`VACUUM ANALYZE deliveries`)
    let total = 0
    let longest = 0
    let statements = 0
    let done = 0
    let from = "-infinity"
    for (;;) {
      // The statement of PgRetention.anonymiseDeliveries, autocommitted.
      const { r, s } = await timed(
        `
WITH batch AS (
  SELECT id FROM deliveries
  WHERE created_at >= $1::timestamptz AND created_at < $2 AND destination <> ''
    AND status IN ('sent', 'delivered', 'failed', 'dead', 'cancelled', 'withheld')
  ORDER BY created_at LIMIT $3
), done AS (
  UPDATE deliveries d SET destination = '', last_error = NULL FROM batch WHERE d.id = batch.id
  RETURNING d.created_at
)
SELECT count(*)::int AS n, max(created_at)::text AS last FROM done`,
        [from, cutoff, size]
      )
      total += s
      longest = Math.max(longest, s)
      statements++
      done += r.rows[0].n
      if (r.rows[0].n < size) break
      from = r.rows[0].last
    }
    console.log(
      `batches of ${size.toLocaleString("en-US")}: ${done.toLocaleString("en-US")} rows in ${statements} statements, ${
        total.toFixed(2)
      } s in all, longest ${longest.toFixed(3)} s`
    )
    // Put the destinations back for the next size (not timed).
    if (size !== sizes.at(-1)) {
      await db.query(`UPDATE deliveries SET destination = '+336' || lpad(id::text, 8, '0') WHERE destination = ''`)
    }
  }
} finally {
  await db.end()
  await admin.query(`DROP DATABASE ${scratch}`)
  await admin.end()
}
