import * as PgAccountRepo from "@vigie/adapters/sql/PgAccountRepo"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgCommunityRepo from "@vigie/adapters/sql/PgCommunityRepo"
import * as PgMembershipRepo from "@vigie/adapters/sql/PgMembershipRepo"
import * as PgPreferencesRepo from "@vigie/adapters/sql/PgPreferencesRepo"
import * as PgVerificationRepo from "@vigie/adapters/sql/PgVerificationRepo"
import { Layer } from "effect"

/** Every SQL repository, over whatever SqlClient the caller provides (embedded or a real server). */
export const layer = Layer.mergeAll(
  PgAccountRepo.layer,
  PgAlertRepo.layer,
  PgCommunityRepo.layer,
  PgMembershipRepo.layer,
  PgPreferencesRepo.layer,
  PgVerificationRepo.layer
)
