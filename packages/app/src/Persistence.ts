import * as PgAccountRepo from "@vigie/adapters/sql/PgAccountRepo"
import * as PgAlertRepo from "@vigie/adapters/sql/PgAlertRepo"
import * as PgOutbox from "@vigie/adapters/sql/PgOutbox"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import * as AlertPublisher from "@vigie/domain/alerts/AlertPublisher"
import * as PgCommunityRepo from "@vigie/adapters/sql/PgCommunityRepo"
import * as PgMembershipRepo from "@vigie/adapters/sql/PgMembershipRepo"
import * as PgPreferencesRepo from "@vigie/adapters/sql/PgPreferencesRepo"
import * as PgVerificationRepo from "@vigie/adapters/sql/PgVerificationRepo"
import { Layer } from "effect"

/**
 * Every SQL repository, over whatever SqlClient the caller provides (embedded or a real server), and
 * alerts written with the messages they send (AlertPublisher, over PgAlertRepo and the outbox).
 */
export const layer = Layer.mergeAll(
  PgAccountRepo.layer,
  PgAlertRepo.layer,
  PgCommunityRepo.layer,
  PgMembershipRepo.layer,
  PgPreferencesRepo.layer,
  PgVerificationRepo.layer,
  AlertPublisher.layer.pipe(Layer.provide(Layer.mergeAll(PgAlertRepo.layer, PgOutbox.layer, SqlTransactor.layer)))
)
