import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import * as PubSubLiveEvents from "@vigie/adapters/live/PubSubLiveEvents"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import * as MairieSettings from "@vigie/domain/mairie/MairieSettings"
import * as PublicUrl from "@vigie/domain/shared/PublicUrl"
import { Layer, Redacted } from "effect"
import * as Platform from "../../src/Platform.js"
import * as Recorders from "./Recorders.js"
import type { TestDatabase } from "@vigie/adapters/test/support/TestDatabase"

/** A fixed secret key: tests need no file and no environment. */
export const testSecrets = NodeSecrets.layerWith(Redacted.make(new Uint8Array(32).fill(7)))

/**
 * The whole platform below the HTTP layer, on a fresh migrated database: every use case, the SQL
 * repositories, the real local adapters (Argon2, communes, phone numbers, node:crypto), an
 * in-process live-event bus, and in-memory doubles for SMS, e-mail and letters; `publicUrl` is the
 * site's address (PUBLIC_URL) its links and cookies use.
 */
export const platform = (db: TestDatabase, publicUrl: URL = new URL("http://vigie.test")) => {
  const ports = Layer.mergeAll(
    Platform.repositories,
    Platform.localServices,
    PubSubLiveEvents.layer,
    PubSubDeliveryWakeup.layer,
    Recorders.layer,
    testSecrets,
    PublicUrl.layer(publicUrl),
    MairieSettings.layer
  )
  return Platform.useCases.pipe(Layer.provideMerge(ports), Layer.provideMerge(db.layer))
}
