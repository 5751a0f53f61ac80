import * as NodeSecrets from "@vigie/adapters/crypto/NodeSecrets"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as FsBlobStore from "@vigie/adapters/media/FsBlobStore"
import * as PgRateCounters from "@vigie/adapters/sql/PgRateCounters"
import * as PubSubLiveEvents from "@vigie/adapters/live/PubSubLiveEvents"
import * as PubSubDeliveryWakeup from "@vigie/adapters/wakeup/PubSubDeliveryWakeup"
import * as MairieSettings from "@vigie/domain/mairie/MairieSettings"
import * as PublicUrl from "@vigie/domain/shared/PublicUrl"
import { Context, Effect, Layer, Redacted } from "effect"
import * as Platform from "../../src/Platform.js"
import * as Recorders from "./Recorders.js"
import type { TestDatabase } from "@vigie/adapters/test/support/TestDatabase"

type TestServicesOf<D extends TestDatabase> = D["layer"] extends Layer.Layer<infer S> ? S : never

/** A fixed secret key: tests need no file and no environment. */
export const testSecrets = NodeSecrets.layerWith(Redacted.make(new Uint8Array(32).fill(7)))

/** The folder of the test platform's blob store (files under it are the stored photos and PDFs). */
export class TestBlobs extends Context.Tag("@vigie/app/test/TestBlobs")<TestBlobs, { readonly directory: string }>() {}

/**
 * The ports of uploads as tests use them: a filesystem BlobStore in a temporary folder (removed with
 * the layer; its path is TestBlobs) and the RateCounters in PostgreSQL, as `serve` has them.
 */
export const mediaPorts = Layer.unwrapScoped(Effect.gen(function*() {
  const directory = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "vigie-test-blobs-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  return Layer.mergeAll(FsBlobStore.layerWith(directory), PgRateCounters.layer, Layer.succeed(TestBlobs, { directory }))
}))

/**
 * The whole platform below the HTTP layer, on a fresh migrated database: every use case, the SQL
 * repositories, the real local adapters (Argon2, communes, phone numbers, node:crypto), an
 * in-process live-event bus, a blob store in a temporary folder (mediaPorts), and in-memory doubles for SMS, e-mail and letters; `publicUrl` is the
 * site's address (PUBLIC_URL) its links and cookies use.
 */
export const platform = (db: TestDatabase, publicUrl: URL = new URL("http://vigie.test")) =>
  platformWith(db, publicUrl, Layer.empty)

/**
 * The same platform with some ports replaced by `overrides` (provided last, so they win): e.g. the
 * real PlivoVoiceCaller instead of the recorded calls.
 */
export const platformWith = <ROut, E>(
  db: TestDatabase,
  publicUrl: URL,
  overrides: Layer.Layer<ROut, E, TestServicesOf<typeof db>>
) => {
  const ports = Layer.mergeAll(
    Platform.repositories,
    Platform.localServices,
    PubSubLiveEvents.layer,
    PubSubDeliveryWakeup.layer,
    Recorders.layer,
    mediaPorts,
    testSecrets,
    PublicUrl.layer(publicUrl),
    MairieSettings.layer,
    overrides
  )
  return Platform.useCases.pipe(Layer.provideMerge(ports), Layer.provideMerge(db.layer))
}
