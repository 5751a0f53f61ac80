import * as Argon2PasswordHasher from "@vigie/adapters/auth/Argon2PasswordHasher"
import * as EtalabCommuneDirectory from "@vigie/adapters/communes/EtalabCommuneDirectory"
import * as LibPhoneNumbers from "@vigie/adapters/phone/LibPhoneNumbers"
import * as PgAlertHistory from "@vigie/adapters/sql/PgAlertHistory"
import * as PgAlertReactionRepo from "@vigie/adapters/sql/PgAlertReactionRepo"
import * as PgGazetteDigestRepo from "@vigie/adapters/sql/PgGazetteDigestRepo"
import * as PgGazetteImmediateRepo from "@vigie/adapters/sql/PgGazetteImmediateRepo"
import * as PgGazettePreferencesRepo from "@vigie/adapters/sql/PgGazettePreferencesRepo"
import * as PgGazetteModerationRepo from "@vigie/adapters/sql/PgGazetteModerationRepo"
import * as PgGazetteRepo from "@vigie/adapters/sql/PgGazetteRepo"
import * as PgGazetteSocialRepo from "@vigie/adapters/sql/PgGazetteSocialRepo"
import * as PgMemberBlocks from "@vigie/adapters/sql/PgMemberBlocks"
import * as PgProfileRepo from "@vigie/adapters/sql/PgProfileRepo"
import * as IcsEventCalendar from "@vigie/adapters/gazette/IcsEventCalendar"
import * as PgRateCounters from "@vigie/adapters/sql/PgRateCounters"
import * as PgUploadRepo from "@vigie/adapters/sql/PgUploadRepo"
import * as PgDeliveryReceipts from "@vigie/adapters/sql/PgDeliveryReceipts"
import * as PgDeliveryRepo from "@vigie/adapters/sql/PgDeliveryRepo"
import * as PgPacer from "@vigie/adapters/sql/PgPacer"
import * as PgInboundSms from "@vigie/adapters/sql/PgInboundSms"
import * as PgLifecycleRepo from "@vigie/adapters/sql/PgLifecycleRepo"
import * as PgLoginAttemptRepo from "@vigie/adapters/sql/PgLoginAttemptRepo"
import * as PgLoginDeviceRepo from "@vigie/adapters/sql/PgLoginDeviceRepo"
import * as PgMairie from "@vigie/adapters/sql/PgMairie"
import * as PgOutbox from "@vigie/adapters/sql/PgOutbox"
import * as PgAppealRepo from "@vigie/adapters/sql/PgAppealRepo"
import * as PgAuditLogRepo from "@vigie/adapters/sql/PgAuditLogRepo"
import * as PgFlagRepo from "@vigie/adapters/sql/PgFlagRepo"
import * as PgModeratedAlertRepo from "@vigie/adapters/sql/PgModeratedAlertRepo"
import * as PgModerationQueueRepo from "@vigie/adapters/sql/PgModerationQueueRepo"
import * as PgNotices from "@vigie/adapters/sql/PgNotices"
import * as PgPendingMembers from "@vigie/adapters/sql/PgPendingMembers"
import * as PgSessionRepo from "@vigie/adapters/sql/PgSessionRepo"
import * as PgPersonalData from "@vigie/adapters/sql/PgPersonalData"
import * as PgPaperRegistrations from "@vigie/adapters/sql/PgPaperRegistrations"
import * as PgRetention from "@vigie/adapters/sql/PgRetention"
import * as LocalStoredFiles from "@vigie/adapters/postal/LocalStoredFiles"
import * as PgVerificationSmsRepo from "@vigie/adapters/sql/PgVerificationSmsRepo"
import * as PgVoiceCallLog from "@vigie/adapters/sql/PgVoiceCallLog"
import * as SqlTransactor from "@vigie/adapters/sql/SqlTransactor"
import * as Sessions from "@vigie/domain/accounts/Sessions"
import * as PersonalData from "@vigie/domain/accounts/PersonalData"
import * as SecondFactor from "@vigie/domain/accounts/SecondFactor"
import * as SignInChallenges from "@vigie/domain/accounts/SignInChallenges"
import * as StaffInvitations from "@vigie/domain/accounts/StaffInvitations"
import * as NodeSecretBox from "@vigie/adapters/crypto/NodeSecretBox"
import * as NodeMessageCipher from "@vigie/adapters/crypto/NodeMessageCipher"
import * as PgMessagingRepo from "@vigie/adapters/sql/PgMessagingRepo"
import * as Messaging from "@vigie/domain/messaging/Messaging"
import * as OtpAuthTotp from "@vigie/adapters/auth/OtpAuthTotp"
import * as ZxcvbnCommonPasswords from "@vigie/adapters/auth/ZxcvbnCommonPasswords"
import * as PgSecondFactorRepo from "@vigie/adapters/sql/PgSecondFactorRepo"
import * as PgStaffInvitationRepo from "@vigie/adapters/sql/PgStaffInvitationRepo"
import * as PgVigilantCommunes from "@vigie/adapters/sql/PgVigilantCommunes"
import * as PgProposals from "@vigie/adapters/sql/PgProposals"
import * as PgVeilleRepo from "@vigie/adapters/sql/PgVeilleRepo"
import * as Veilles from "@vigie/domain/checkin/Veilles"
import { VoiceCaller, VoiceUnavailable } from "@vigie/domain/channels/VoiceCaller"
import * as PublicCommunes from "@vigie/domain/administration/PublicCommunes"
import * as Alerts from "@vigie/domain/alerts/Alerts"
import * as AlertReactions from "@vigie/domain/alerts/AlertReactions"
import * as StaffAccounts from "@vigie/domain/mairie/StaffAccounts"
import * as AlertDecisions from "@vigie/domain/moderation/AlertDecisions"
import * as AlertModeration from "@vigie/domain/moderation/AlertModeration"
import * as Appeals from "@vigie/domain/moderation/Appeals"
import * as AuditLog from "@vigie/domain/moderation/AuditLog"
import * as Flags from "@vigie/domain/moderation/Flags"
import * as ModeratedAlerts from "@vigie/domain/moderation/ModeratedAlerts"
import * as ModerationQueue from "@vigie/domain/moderation/ModerationQueue"
import * as Sanctions from "@vigie/domain/moderation/Sanctions"
import * as Joining from "@vigie/domain/registration/Joining"
import * as Registration from "@vigie/domain/registration/Registration"
import * as PaperRegistrations from "@vigie/domain/registration/PaperRegistrations"
import * as Preferences from "@vigie/domain/delivery/Preferences"
import * as GazetteSubscriptions from "@vigie/domain/gazette/GazetteSubscriptions"
import * as Gazette from "@vigie/domain/gazette/Gazette"
import * as GazetteSheets from "@vigie/domain/gazette/GazetteSheets"
import * as PdfGazettePrinter from "@vigie/adapters/gazette/PdfGazettePrinter"
import * as GazetteImmediate from "@vigie/domain/gazette/GazetteImmediate"
import * as GazetteModeration from "@vigie/domain/gazette/GazetteModeration"
import * as GazetteClosings from "@vigie/domain/gazette/GazetteClosings"
import * as GazetteSocial from "@vigie/domain/gazette/GazetteSocial"
import * as Blocking from "@vigie/domain/directory/Blocking"
import * as Directory from "@vigie/domain/directory/Directory"
import * as Activation from "@vigie/domain/verification/Activation"
import * as PhoneVerifications from "@vigie/domain/verification/PhoneVerifications"
import * as PdfDocumentCheck from "@vigie/adapters/media/PdfDocumentCheck"
import * as SharpImagePipeline from "@vigie/adapters/media/SharpImagePipeline"
import * as Uploads from "@vigie/domain/media/Uploads"
import { Effect, Layer } from "effect"
import * as Persistence from "./Persistence.js"

/**
 * Moderation's services (queue, decisions on alerts, sanctions, flags, appeals, audit log) over their
 * shared reading of alerts and their shared way of moving one. Flags and appeals read through the
 * alerts' own rule (Alerts.get): their own stateless Alerts instance.
 */
const moderation = Layer.mergeAll(
  ModerationQueue.layer,
  AlertDecisions.layer,
  Sanctions.layer,
  Flags.layer,
  Appeals.layer
).pipe(
  Layer.provideMerge(AlertModeration.layer),
  Layer.provideMerge(Layer.mergeAll(ModeratedAlerts.layer, AuditLog.layer)),
  Layer.provide(Alerts.layer)
)

/**
 * Every use case of the platform. Needs the ports below plus messaging, secrets, live events, the
 * RateCounters and the BlobStore (both chosen by the composition root).
 */
export const useCases = Layer.mergeAll(
  // Staff sign-in (the second step, the invitations) and paper-account claims open sessions as Sessions does.
  Layer.mergeAll(SecondFactor.layer, StaffInvitations.layer, PaperRegistrations.layer).pipe(
    Layer.provideMerge(Sessions.layer.pipe(Layer.provide(SignInChallenges.layer))),
    Layer.provideMerge(NodeSecretBox.layer)
  ),
  Registration.layer,
  Joining.layer,
  Activation.layer,
  PhoneVerifications.layer,
  Preferences.layer,
  GazetteSubscriptions.layer,
  // Publishing plans the post's e-mails at once through the immediate job (one place for both).
  // Comments, merci, events and moderation read posts through the Gazette's own rule: their own stateless
  // instances. Closing a post tells what it must (GazetteClosings: "retrouvé" to the commenters) in its
  // transaction. Moderation writes the moderators' audit log.
  Layer.mergeAll(
    Gazette.layer,
    GazetteSocial.layer.pipe(Layer.provide(Gazette.layer)),
    GazetteModeration.layer.pipe(Layer.provide(Layer.mergeAll(Gazette.layer, AuditLog.layer)))
  ).pipe(Layer.provide(Layer.merge(GazetteClosings.layer, GazetteImmediate.layer))),
  GazetteSheets.layer,
  // Profiles and the annuaire; blocking reads members through the annuaire's own viewer (its own instance).
  Directory.layer,
  Blocking.layer.pipe(Layer.provide(Directory.layer)),
  Alerts.layer,
  // Reads through the alerts' own rule (Alerts.get): its own stateless Alerts instance.
  AlertReactions.layer.pipe(Layer.provide(Alerts.layer)),
  moderation,
  StaffAccounts.layer,
  PublicCommunes.layer,
  PersonalData.layer,
  // Photos and attachments: over the BlobStore the composition root chose and the RateCounters.
  Uploads.layer,
  // The messagerie seals its messages with keys wrapped under the server's secret key; it reads alerts
  // through their own rule (its own stateless Alerts instance) and writes the moderators' audit log.
  Messaging.layer.pipe(Layer.provide(Layer.mergeAll(NodeMessageCipher.layer, Alerts.layer))),
  // La veille bienveillante, its SMS replies (the gateway asks it) and the voice keypad.
  Veilles.layer
)

/** Every SQL-backed port the use cases read and write, over the provided SqlClient. */
export const repositories = Layer.mergeAll(
  Persistence.layer,
  PgAlertHistory.layer,
  PgAlertReactionRepo.layer,
  PgDeliveryRepo.layer,
  PgPacer.layer,
  PgDeliveryReceipts.layer,
  PgInboundSms.layer,
  PgLifecycleRepo.layer,
  PgSessionRepo.layer,
  PgVerificationSmsRepo.layer,
  PgVoiceCallLog.layer,
  PgLoginAttemptRepo.layer,
  PgLoginDeviceRepo.layer,
  PgMairie.layer,
  PgOutbox.layer,
  PgModeratedAlertRepo.layer,
  PgModerationQueueRepo.layer,
  PgFlagRepo.layer,
  PgAppealRepo.layer,
  PgAuditLogRepo.layer,
  PgNotices.layer,
  PgPendingMembers.layer,
  SqlTransactor.layer,
  PgPersonalData.layer,
  PgPaperRegistrations.layer,
  PgRetention.layer,
  PgSecondFactorRepo.layer,
  PgStaffInvitationRepo.layer,
  PgVigilantCommunes.layer,
  PgProposals.layer,
  PgGazettePreferencesRepo.layer,
  PgGazetteDigestRepo.layer,
  PgGazetteImmediateRepo.layer,
  PgGazetteModerationRepo.layer,
  PgGazetteSocialRepo.layer,
  PgUploadRepo.layer,
  PgUploadRepo.layerStale,
  PgGazetteRepo.layer,
  PgProfileRepo.layer,
  PgMemberBlocks.layer,
  PgMessagingRepo.layer,
  PgVeilleRepo.layer,
  // The members' own limits (Gazette posts a day); Serve provides the same adapter for the edge.
  PgRateCounters.layer
)

/**
 * A platform without voice calls (the veille's benchmark, which measures SMS check-ins): every call
 * fails as unavailable (a veille by voice records "appel impossible" and escalates as if unanswered).
 * `serve`, `start` and `worker` call through VigieConfig.voiceCaller (Plivo or the outbox).
 */
export const voiceUnplugged = Layer.succeed(
  VoiceCaller,
  VoiceCaller.of({
    call: () => Effect.fail(new VoiceUnavailable({ reason: "voix non branchée" }))
  })
)

/** Ports with one adapter whatever the environment. */
export const localServices = Layer.mergeAll(
  EtalabCommuneDirectory.layer,
  Argon2PasswordHasher.layer,
  LibPhoneNumbers.layer,
  LocalStoredFiles.layer,
  PdfGazettePrinter.layer,
  OtpAuthTotp.layer,
  SharpImagePipeline.layer,
  PdfDocumentCheck.layer,
  ZxcvbnCommonPasswords.layer,
  IcsEventCalendar.layer
)
