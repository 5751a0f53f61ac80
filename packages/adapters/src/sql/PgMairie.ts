import { Layer } from "effect"
import * as PgAuthoritiesInbox from "./PgAuthoritiesInbox"
import * as PgCommuneStatistics from "./PgCommuneStatistics"
import * as PgReferentBulletins from "./PgReferentBulletins"
import * as PgQuartiers from "./PgQuartiers"
import * as PgStaffRoles from "./PgStaffRoles"
import * as PgTownAlerts from "./PgTownAlerts"

/** The mairie service's repositories, over the provided SqlClient. */
export const layer = Layer.mergeAll(
  PgTownAlerts.layer,
  PgAuthoritiesInbox.layer,
  PgReferentBulletins.layer,
  PgCommuneStatistics.layer,
  PgStaffRoles.layer,
  PgQuartiers.layer
)
