import { AuthoritiesInboxRpcs } from "./AuthoritiesInboxRpcs.js"
import { CommuneStatisticsRpcs } from "./CommuneStatisticsRpcs.js"
import { ReferentBulletinRpcs } from "./ReferentBulletinRpcs.js"
import { QuartierRpcs } from "./QuartierRpcs.js"
import { TownAlertRpcs } from "./TownAlertRpcs.js"

/** Every RPC of the mairie and municipal police service, and the référents' inbox. */
export const MairieRpcs = TownAlertRpcs.merge(
  AuthoritiesInboxRpcs,
  ReferentBulletinRpcs,
  CommuneStatisticsRpcs,
  QuartierRpcs
)
