import { mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import * as FsBlobStore from "@vigie/adapters/media/FsBlobStore"
import * as S3BlobStore from "@vigie/adapters/media/S3BlobStore"
import { ConfigProvider, Effect, Either, Exit, Layer, Option, Redacted } from "effect"
import * as S3Local from "../support/fakes/S3Local"
import { S3LocalServer } from "../support/fakes/S3Local"
import { blobStoreContract } from "./blobStoreContract"

const temporaryDirectory = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "vigie-blobs-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

const fs = Layer.unwrapScoped(Effect.map(temporaryDirectory, (dir) => FsBlobStore.layerWith(join(dir, "blobs"))))

const s3 = Layer.unwrapEffect(Effect.map(S3LocalServer, (s3) =>
  S3BlobStore.layerWith({
    bucket: s3.bucket,
    region: "eu-west-3",
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.credentials.accessKeyId,
      secretAccessKey: Redacted.make(s3.credentials.secretAccessKey) }
  }))).pipe(Layer.provide(S3Local.layer))

blobStoreContract("FsBlobStore in a temporary folder", fs)
blobStoreContract("S3BlobStore against s3rver", s3)

/** Every file under a folder, relative to it. */
const filesUnder = async (dir: string): Promise<Array<string>> =>
  (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) =>
    join(e.parentPath, e.name).slice(dir.length + 1)
  )

describe("FsBlobStore", () => {
  it.scoped("shards keys in two levels of folders and leaves no temporary file behind", () =>
    Effect.gen(function*() {
      const dir = yield* temporaryDirectory
      const store = FsBlobStore.make(dir)
      yield* store.put("photo/0b3c", new Uint8Array([1, 2, 3]), "image/jpeg")
      const files = yield* Effect.promise(() => filesUnder(dir))
      assert.strictEqual(files.length, 1)
      assert.match(files[0]!, /^[0-9a-f]{2}\/[0-9a-f]{2}\/photo%2F0b3c$/)
      assert.strictEqual(FsBlobStore.pathOf(dir, "photo/0b3c"), join(dir, files[0]!))
    }))

  it.scoped("never steps out of its folder, whatever the key", () =>
    Effect.gen(function*() {
      const dir = yield* temporaryDirectory
      for (const k of ["../../etc/passwd", "/etc/passwd", "a/../../b"]) {
        assert.isTrue(FsBlobStore.pathOf(dir, k).startsWith(dir + "/"))
      }
      const store = FsBlobStore.make(dir)
      const exit = yield* Effect.exit(store.put("..", new Uint8Array([1]), "image/jpeg"))
      assert.isTrue(Exit.isFailure(exit))
    }))

  it.scoped("dies when the disk refuses (a file where its folder should be)", () =>
    Effect.gen(function*() {
      const dir = yield* temporaryDirectory
      const store = FsBlobStore.make(join(dir, "blobs"))
      // The root is a file: no folder can be made under it.
      yield* Effect.promise(() => import("node:fs/promises").then((f) => f.writeFile(join(dir, "blobs"), "x")))
      const exit = yield* Effect.exit(store.put("photo/x", new Uint8Array([1]), "image/jpeg"))
      assert.isTrue(Exit.isFailure(exit) && Exit.causeOption(exit).pipe(Option.exists((c) => c._tag === "Die")))
    }))
})

describe("S3BlobStore", () => {
  it.effect("reads S3_* from the environment, the secret redacted, and refuses half a key pair", () =>
    Effect.gen(function*() {
      const read = (env: Record<string, string>) =>
        Effect.withConfigProvider(
          Effect.either(S3BlobStore.config),
          ConfigProvider.fromMap(new Map(Object.entries(env)))
        )
      const full = yield* read({
        S3_BUCKET: "vigie-photos",
        S3_REGION: "fr-par",
        S3_ENDPOINT: "https://s3.fr-par.scw.cloud",
        S3_FORCE_PATH_STYLE: "true",
        S3_ACCESS_KEY_ID: "SCWXXXX",
        S3_SECRET_ACCESS_KEY: "very-secret"
      })
      assert.isTrue(full._tag === "Right")
      if (full._tag === "Right") {
        assert.strictEqual(full.right.bucket, "vigie-photos")
        assert.strictEqual(full.right.endpoint, "https://s3.fr-par.scw.cloud/")
        assert.isTrue(full.right.forcePathStyle)
        assert.strictEqual(String(full.right.credentials?.secretAccessKey), "<redacted>")
      }
      const minimal = yield* read({ S3_BUCKET: "vigie-photos" })
      assert.deepStrictEqual(
        minimal,
        Either.right({ bucket: "vigie-photos", region: "eu-west-3", forcePathStyle: false })
      )
      assert.strictEqual((yield* read({ S3_BUCKET: "vigie-photos", S3_ACCESS_KEY_ID: "x" }))._tag, "Left")
      assert.strictEqual((yield* read({}))._tag, "Left")
      assert.strictEqual((yield* read({ S3_BUCKET: "Not A Bucket" }))._tag, "Left")
    }))

  it.scoped("dies when the bucket does not exist (an infrastructure failure, not an answer)", () =>
    Effect.gen(function*() {
      const s3 = yield* S3LocalServer
      const store = yield* S3BlobStore.make({
        bucket: "no-such-bucket",
        region: "eu-west-3",
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.credentials.accessKeyId,
          secretAccessKey: Redacted.make(s3.credentials.secretAccessKey) }
      })
      const exit = yield* Effect.exit(store.put("photo/x", new Uint8Array([1]), "image/jpeg"))
      assert.isTrue(Exit.isFailure(exit) && Exit.causeOption(exit).pipe(Option.exists((c) => c._tag === "Die")))
    }).pipe(Effect.provide(S3Local.layer)))
})
