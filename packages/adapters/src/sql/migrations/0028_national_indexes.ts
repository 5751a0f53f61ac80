import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/**
 * Indexes for national scale (issue 18, item 5; measured by `npm run bench:national`, plans in
 * OPERATIONS.md):
 * - `alerts_feed_community`: a member's feed reads the visible alerts of their quartiers newest
 *   first (PgAlertRepo.feed, first branch); partial on what a feed shows, so resolved alerts of
 *   other scopes and hidden or held ones take no room, and ordered as the page is.
 * - `alerts_feed_commune`: the town alerts of the member's communes (second branch). Before, the
 *   feed's `insee IN (SELECT …)` over `alerts_commune_feed` (every alert of the commune) made the
 *   planner read the whole table.
 * - `memberships_community_status`: the mairie statistics count members per quartier and status;
 *   the pending ones had no index (a scan of every membership per quartier); with the account, read
 *   from the index alone.
 * - `accounts_not_active`: the few accounts that are suspended or erased, which the statistics
 *   leave out of the verified members (hashed once instead of one look-up per member).
 */
const statements: ReadonlyArray<string> = [
  `CREATE INDEX alerts_feed_community ON alerts (community_id, created_at DESC, id DESC)
    WHERE scope_kind = 'community' AND status IN ('published', 'resolved')`,
  `CREATE INDEX alerts_feed_commune ON alerts (insee, created_at DESC, id DESC)
    WHERE scope_kind = 'commune' AND status IN ('published', 'resolved')`,
  `CREATE INDEX memberships_community_status ON memberships (community_id, status) INCLUDE (account_id)`,
  `CREATE INDEX accounts_not_active ON accounts (id) WHERE status <> 'active'`
]

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const statement of statements) yield* sql.unsafe(statement)
})
