/**
 * The platform's configuration, read and checked once at start (ServerConfig.startup for `serve`,
 * ServerConfig.workerStartup for `worker`), and what is built from it in one place: the providers
 * (the one rule both commands choose them by) and the settings the use cases read.
 */
import type { SqlClient } from "@effect/sql"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as SesEmailSender from "@vigie/adapters/email/SesEmailSender"
import * as FsBlobStore from "@vigie/adapters/media/FsBlobStore"
import * as S3BlobStore from "@vigie/adapters/media/S3BlobStore"
import type { BlobStore } from "@vigie/domain/media/BlobStore"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import * as PlivoSmsSender from "@vigie/adapters/sms/PlivoSmsSender"
import * as PgVoiceCallLog from "@vigie/adapters/sql/PgVoiceCallLog"
import * as OutboxVoiceCaller from "@vigie/adapters/voice/OutboxVoiceCaller"
import * as PlivoVoiceCaller from "@vigie/adapters/voice/PlivoVoiceCaller"
import type { VoiceCaller } from "@vigie/domain/channels/VoiceCaller"
import type { VoiceCallLog } from "@vigie/domain/channels/VoiceCallLog"
import type { EmailSender } from "@vigie/domain/channels/EmailSender"
import type { SmsSender } from "@vigie/domain/channels/SmsSender"
import { MairieSettings } from "@vigie/domain/mairie/MairieSettings"
import { Trust } from "@vigie/domain/trust/Trust"
import { VerificationSmsSettings } from "@vigie/domain/channels/VerificationSms"
import { join } from "node:path"
import { Context, Layer, Option } from "effect"
import type { Startup, WorkerStartup } from "./ServerConfig.js"

/** The configuration `serve` read at start, for the layers built from it. */
export class VigieConfig extends Context.Tag("@vigie/app/VigieConfig")<VigieConfig, Startup>() {}

/** Which providers a configuration sends through: the names `serve` and `worker` log and test. */
export const providerNames = (startup: Pick<WorkerStartup, "plivo" | "ses">) => ({
  sms: Option.isSome(startup.plivo) ? "plivo" as const : "outbox" as const,
  email: Option.isSome(startup.ses) ? "ses" as const : "outbox" as const
})

/** Which voice caller a configuration calls through: Plivo's with the SMS ones, otherwise the outbox. */
export const voiceProviderName = (startup: Pick<WorkerStartup, "plivo">) =>
  Option.isSome(startup.plivo) ? "plivo" as const : "outbox" as const

/**
 * The voice caller of a configuration: Plivo Voice when SMS_PROVIDER is plivo (the same account,
 * PLIVO_NUMBER as the caller id, callbacks on PUBLIC_URL), otherwise the outbox (the dev inbox shows
 * the calls). Development refuses plivo at start, so it always calls through the outbox.
 */
export const voiceCaller = (
  startup: Pick<WorkerStartup, "plivo" | "server">
): Layer.Layer<VoiceCaller, never, VoiceCallLog> =>
  Option.match(startup.plivo, {
    onNone: () => OutboxVoiceCaller.layer,
    onSome: (plivo) => PlivoVoiceCaller.layerWith({ ...plivo, publicUrl: startup.server.publicUrl })
  })

/**
 * The SMS and e-mail senders and the voice caller of a configuration, for `serve` and `worker` alike:
 * Plivo when SMS_PROVIDER is plivo (its PLIVO_* checked at start), otherwise the SMS outbox (and the
 * voice outbox); SES when EMAIL_PROVIDER is ses, otherwise the e-mail outbox. Development refuses
 * plivo and ses at start.
 */
export const providers = (
  startup: Pick<WorkerStartup, "plivo" | "ses" | "server">
): Layer.Layer<SmsSender | EmailSender | VoiceCaller, never, SqlClient.SqlClient> =>
  Layer.mergeAll(
    Option.match(startup.plivo, { onNone: () => OutboxSmsSender.layer, onSome: PlivoSmsSender.layerWith }),
    Option.match(startup.ses, { onNone: () => OutboxEmailSender.layer, onSome: SesEmailSender.layerWith }),
    voiceCaller(startup).pipe(Layer.provide(PgVoiceCallLog.layer))
  )

/** The folder of the filesystem blob store: `<VIGIE_DATA_DIR>/blobs`. */
export const blobsDirectory = (dataDir: string) => join(dataDir, "blobs")

/**
 * Where photos and attachments live: the bucket of S3_* when BLOB_STORE is s3 (checked at start),
 * otherwise files under `<VIGIE_DATA_DIR>/blobs`.
 */
export const blobStore = (startup: Pick<Startup, "s3" | "server">): Layer.Layer<BlobStore> =>
  Option.match(startup.s3, {
    onNone: () => FsBlobStore.layerWith(blobsDirectory(startup.server.dataDir)),
    onSome: S3BlobStore.layerWith
  })

/** The configuration itself and the use cases' settings taken from it (trust, SMS limits, mairie). */
export const layer = (startup: Startup) =>
  Layer.mergeAll(
    Layer.succeed(VigieConfig, startup),
    Layer.succeed(Trust, startup.trust),
    Layer.succeed(VerificationSmsSettings, startup.verificationSms),
    Layer.succeed(MairieSettings, startup.mairie)
  )
