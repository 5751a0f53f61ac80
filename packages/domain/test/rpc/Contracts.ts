import type { Rpc } from "@effect/rpc"
import { ActivationRpcs } from "../../src/verification/ActivationRpcs.js"
import { AlertRpcs } from "../../src/alerts/AlertRpcs.js"
import { PhoneRpcs } from "../../src/verification/PhoneRpcs.js"
import { PreferencesRpcs } from "../../src/delivery/PreferencesRpcs.js"
import { RegistrationRpcs } from "../../src/registration/RegistrationRpcs.js"
import { SessionRpcs } from "../../src/accounts/SessionRpcs.js"
import { PersonalDataRpcs } from "../../src/accounts/PersonalDataRpcs.js"
import { QuartierRpcs } from "../../src/mairie/QuartierRpcs.js"
import { AdministrationRpcs } from "../../src/administration/AdministrationRpcs.js"
import { PaperRegistrationRpcs } from "../../src/registration/PaperRegistrationRpcs.js"
import { ProposalRpcs } from "../../src/proposals/ProposalRpcs.js"
import { MediaRpcs } from "../../src/gazette/MediaRpcs.js"
import { GazetteRpcs } from "../../src/gazette/GazetteRpcs.js"
import { GazettePreferencesRpcs } from "../../src/gazette/GazettePreferencesRpcs.js"
import { GazetteModerationRpcs } from "../../src/gazette/GazetteModerationRpcs.js"
import { GazetteSocialRpcs } from "../../src/gazette/GazetteSocialRpcs.js"
import { DirectoryRpcs } from "../../src/directory/DirectoryRpcs.js"
import { VeilleRpcs } from "../../src/checkin/VeilleRpcs.js"

/** Every RPC group of the domain, by context. */
export const groups: ReadonlyArray<readonly [string, { readonly requests: ReadonlyMap<string, unknown> }]> = [
  ["registration", RegistrationRpcs],
  ["sessions", SessionRpcs],
  ["activation", ActivationRpcs],
  ["phone", PhoneRpcs],
  ["preferences", PreferencesRpcs],
  ["alerts", AlertRpcs],
  ["personal data", PersonalDataRpcs],
  ["quartiers", QuartierRpcs],
  ["administration", AdministrationRpcs],
  ["paper registrations", PaperRegistrationRpcs],
  ["proposals", ProposalRpcs],
  ["media", MediaRpcs],
  ["gazette", GazetteRpcs],
  ["gazette preferences", GazettePreferencesRpcs],
  ["gazette comments, merci and events", GazetteSocialRpcs],
  ["gazette moderation", GazetteModerationRpcs],
  ["directory", DirectoryRpcs],
  ["veille", VeilleRpcs]
]

/** Every RPC of every group, with its group name. */
export const allRpcs: ReadonlyArray<readonly [group: string, rpc: Rpc.AnyWithProps]> = groups.flatMap(([name, group]) =>
  [...group.requests.values()].map((rpc) => [name, rpc as unknown as Rpc.AnyWithProps] as const)
)
