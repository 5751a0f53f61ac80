/**
 * The ports the in-process benches (bench:messages, bench:national, bench:webhooks) run the production
 * use cases over: the real SQL repositories and local services, the outbox SMS and e-mail senders,
 * letters and blobs under a bench's temporary directory. Each bench adds its own on top (the message
 * cipher, the inbound SMS tables, the mairie handlers, the SMS gateway and inbox worker).
 */
import { join } from "node:path"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as PubSubLiveEvents from "@vigie/adapters/live/PubSubLiveEvents"
import * as FsBlobStore from "@vigie/adapters/media/FsBlobStore"
import * as PdfPostalMailer from "@vigie/adapters/postal/PdfPostalMailer"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import * as PgRateCounters from "@vigie/adapters/sql/PgRateCounters"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import * as MairieSettings from "@vigie/domain/mairie/MairieSettings"
import * as PublicUrl from "@vigie/domain/shared/PublicUrl"
import type { Secrets } from "@vigie/domain/shared/Secrets"
import { Layer } from "effect"
import * as Platform from "../Platform.js"

/** The ports, with `secrets`, letters and blobs under `directory`, links to `publicUrl`. */
export const ports = (
  options: { readonly directory: string; readonly secrets: Layer.Layer<Secrets>; readonly publicUrl: URL }
) =>
  Layer.mergeAll(
    Platform.repositories,
    Platform.localServices,
    PubSubLiveEvents.layer,
    options.secrets,
    OutboxSmsSender.layer,
    OutboxEmailSender.layer,
    PdfPostalMailer.layerWith({
      directory: join(options.directory, "letters"),
      publicUrl: options.publicUrl.origin,
      keepCodeForDevInbox: false
    }),
    FsBlobStore.layerWith(join(options.directory, "blobs")),
    PgRateCounters.layer,
    PubSubDeliveryWakeup.layer,
    PublicUrl.layer(options.publicUrl),
    MairieSettings.layer
  )
