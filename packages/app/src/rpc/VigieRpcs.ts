import { SessionRpcs } from "@vigie/domain/accounts/SessionRpcs"
import { LifecycleRpcs } from "@vigie/domain/accounts/LifecycleRpcs"
import { SecondFactorRpcs } from "@vigie/domain/accounts/SecondFactorRpcs"
import { AlertRpcs } from "@vigie/domain/alerts/AlertRpcs"
import { AlertReactionRpcs } from "@vigie/domain/alerts/AlertReactionRpcs"
import { RegistrationRpcs } from "@vigie/domain/registration/RegistrationRpcs"
import { JoiningRpcs } from "@vigie/domain/registration/JoiningRpcs"
import { PaperRegistrationRpcs } from "@vigie/domain/registration/PaperRegistrationRpcs"
import { PreferencesRpcs } from "@vigie/domain/delivery/PreferencesRpcs"
import { ActivationRpcs } from "@vigie/domain/verification/ActivationRpcs"
import { PhoneRpcs } from "@vigie/domain/verification/PhoneRpcs"
import { MairieRpcs } from "@vigie/domain/mairie/MairieRpcs"
import { ModerationRpcs } from "@vigie/domain/moderation/ModerationRpcs"
import { PersonalDataRpcs } from "@vigie/domain/accounts/PersonalDataRpcs"
import { AdministrationRpcs } from "@vigie/domain/administration/AdministrationRpcs"
import { ProposalRpcs } from "@vigie/domain/proposals/ProposalRpcs"
import { GazettePreferencesRpcs } from "@vigie/domain/gazette/GazettePreferencesRpcs"
import { MediaRpcs } from "@vigie/domain/gazette/MediaRpcs"
import { GazetteModerationRpcs } from "@vigie/domain/gazette/GazetteModerationRpcs"
import { GazetteRpcs } from "@vigie/domain/gazette/GazetteRpcs"
import { GazetteSocialRpcs } from "@vigie/domain/gazette/GazetteSocialRpcs"
import { DirectoryRpcs } from "@vigie/domain/directory/DirectoryRpcs"
import { MessagingRpcs } from "@vigie/domain/messaging/MessagingRpcs"
import { VeilleRpcs } from "@vigie/domain/checkin/VeilleRpcs"

/** Every RPC the server answers on POST /rpc: the domain's groups, merged. */
export const VigieRpcs = RegistrationRpcs.merge(
  SessionRpcs,
  ActivationRpcs,
  PhoneRpcs,
  PreferencesRpcs,
  AlertRpcs,
  MairieRpcs,
  AlertReactionRpcs,
  ModerationRpcs,
  PersonalDataRpcs,
  LifecycleRpcs,
  SecondFactorRpcs,
  JoiningRpcs,
  AdministrationRpcs,
  PaperRegistrationRpcs,
  ProposalRpcs,
  GazettePreferencesRpcs,
  MediaRpcs,
  GazetteRpcs,
  GazetteSocialRpcs,
  GazetteModerationRpcs,
  DirectoryRpcs,
  MessagingRpcs,
  VeilleRpcs
)
