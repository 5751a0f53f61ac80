import type { SqlClient } from "@effect/sql"
import type { Effect } from "effect"
import m0001 from "./0001_foundation"

/** Every migration, keyed `NNNN_name`, in the form `Migrator.fromRecord` expects. */
export const migrations: Record<string, Effect.Effect<void, unknown, SqlClient.SqlClient>> = {
  "0001_foundation": m0001
}
