import { readdir, readFile } from "node:fs/promises"
import { RpcClient, RpcTest } from "@effect/rpc"
import { SqlClient } from "@effect/sql"
import { assert, describe, expect, layer } from "@effect/vitest"
import { pathOf } from "@vigie/adapters/media/FsBlobStore"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { BlobStore } from "@vigie/domain/media/BlobStore"
import { MAX_UPLOAD_BYTES, UPLOADS_PER_HOUR } from "@vigie/domain/media/MediaPolicy"
import { UploadRepo } from "@vigie/domain/media/UploadRepo"
import { Duration, Effect, Layer, Option } from "effect"
import { PDFDocument } from "pdf-lib"
import sharp from "sharp"
import * as Server from "../../src/http/Server.js"
import { MAX_RPC_BODY_BYTES, MAX_UPLOAD_BODY_BYTES } from "../../src/http/RpcGate.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { postRaw, requestLine, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { platform, TestBlobs } from "../support/TestPlatform.js"
import { makeWorld, type ActorKind } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")

/** A lost cat's photo as a phone takes it: JPEG with the place it was taken (GPS) and the phone's name. */
const catPhoto = () =>
  sharp({ create: { width: 2400, height: 1800, channels: 3, background: "#d9a066" } }).jpeg().withExif({
    IFD0: { Make: "Telephone", Model: "Modele 12" },
    IFD3: { GPSLatitudeRef: "N", GPSLatitude: "44/1 44/1 3000/100", GPSLongitudeRef: "W",
      GPSLongitude: "0/1 31/1 4200/100" }
  }).toBuffer().then((b) => new Uint8Array(b))

const minutesPdf = () =>
  Effect.promise(async () => {
    const document = await PDFDocument.create()
    document.addPage([595, 842])
    return document.save()
  })

const filesUnder = (dir: string) =>
  Effect.promise(async () =>
    (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length
  )

const rowCount = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) =>
    Effect.map(sql<{ n: number }>`SELECT count(*)::int AS n FROM media_uploads`.pipe(Effect.orDie), (r) => r[0]!.n)
)

/** How much is stored: rows and files. */
const stored = Effect.gen(function*() {
  const { directory } = yield* TestBlobs
  return { rows: yield* rowCount, files: yield* filesUnder(directory) }
})

for (const db of databases) {
  describe(`UploadFile [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("through the RPCs", (it) => {
      it.scoped("a member's photo is stored re-encoded, without its GPS position; a PDF keeps its name", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`upload-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
          const photo = yield* Effect.promise(catPhoto)
          assert.isTrue((yield* Effect.promise(() => sharp(photo).metadata())).exif !== undefined)

          const view = yield* as("memberA", client.UploadFile({ kind: "photo", name: "IMG_2041.JPG", data: photo }))
          expect([view.kind, view.contentType, view.width, view.height, view.name]).toEqual(["photo", "image/jpeg",
            1600, 1200, null])
          const upload = Option.getOrThrow(yield* (yield* UploadRepo).get(view.id))
          expect([upload.ownerId, upload.claimedAt, upload.bytes]).toEqual([world.accounts.memberA.id, null,
            view.bytes])
          // What will be served: the stored bytes, with no metadata at all.
          const bytes = Option.getOrThrow(yield* (yield* BlobStore).get(upload.blobKey))
          const meta = yield* Effect.promise(() => sharp(bytes).metadata())
          expect([meta.format, meta.exif, meta.xmp, meta.iptc]).toEqual(["jpeg", undefined, undefined, undefined])
          expect(Buffer.from(bytes).includes("Telephone")).toBe(false)
          // On disk under the test's blob folder, where the key says.
          const { directory } = yield* TestBlobs
          const onDisk = yield* Effect.promise(() => readFile(pathOf(directory, upload.blobKey)))
          expect(onDisk.byteLength).toBe(view.bytes)

          const pdf = yield* as(
            "mairie",
            client.UploadFile({ kind: "pdf", name: "CR AG 2026.pdf", data: yield* minutesPdf() })
          )
          expect([pdf.kind, pdf.contentType, pdf.name, pdf.width]).toEqual(["pdf", "application/pdf", "CR AG 2026.pdf",
            null])

          const anonymous = yield* Effect.flip(client.UploadFile({ kind: "pdf", data: yield* minutesPdf() }))
          expect(anonymous._tag).toBe("Unauthenticated")
        }))

      it.scoped("a bad file gets its typed error and writes nothing: no row, no blob", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`upload-bad-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const as = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
            RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens.memberB}` })
          const before = yield* stored
          const photo = yield* Effect.promise(catPhoto)
          const png = new Uint8Array(
            yield* Effect.promise(() =>
              sharp({ create: { width: 30, height: 30, channels: 3, background: "#fff" } }).png().toBuffer()
            )
          )
          const text = new TextEncoder().encode("ceci n'est pas une photo, juste un fichier renommé chat.jpg")
          const oversized = new Uint8Array(MAX_UPLOAD_BYTES + 1)
          const cases = [
            [{ kind: "photo" as const, data: photo.subarray(0, 3000) }, "ImageUnreadable"],
            [{ kind: "photo" as const, data: text }, "ImageUnreadable"],
            [{ kind: "pdf" as const, name: "photo.pdf", data: png }, "NotAPdf"],
            [{ kind: "photo" as const, data: oversized }, "FileTooLarge"],
            [{ kind: "pdf" as const, data: oversized }, "FileTooLarge"]
          ] as const
          for (const [payload, tag] of cases) {
            const error = yield* Effect.flip(as(client.UploadFile(payload)))
            expect(error._tag).toBe(tag)
            if (error._tag === "FileTooLarge") {
              expect([error.bytes, error.limit]).toEqual([MAX_UPLOAD_BYTES + 1, MAX_UPLOAD_BYTES])
            }
          }
          expect(yield* stored).toEqual(before)
        }))

      it.scoped("a member uploads at most UPLOADS_PER_HOUR files an hour, counted however they are sent", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`upload-limit-${db.name}`)
          const client = yield* RpcTest.makeClient(VigieRpcs)
          const pdf = yield* minutesPdf()
          const send = (kind: ActorKind) =>
            RpcClient.withHeaders(client.UploadFile({ kind: "pdf", data: pdf }), {
              cookie: `vigie_session=${world.tokens[kind]}`
            }).pipe(Effect.either)
          const outcomes = yield* Effect.all(Array.from({ length: UPLOADS_PER_HOUR + 5 }, () => send("referentA")), {
            concurrency: 8
          })
          expect(outcomes.filter((o) => o._tag === "Right").length).toBe(UPLOADS_PER_HOUR)
          const refused = outcomes.flatMap((o) => (o._tag === "Left" ? [o.left._tag] : []))
          expect(new Set(refused)).toEqual(new Set(["TooManyUploads"]))
          // Another member's budget is their own.
          expect((yield* send("police"))._tag).toBe("Right")
        }))
    })

    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over real HTTP", (it) => {
      it.effect(
        "takes a 10 MB file in base64 in one request, refuses a larger body with 413, and other calls keep the usual limit",
        () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`upload-http-${db.name}`)
            const cookie = `vigie_session=${world.tokens.memberA}`
            const base64 = (n: number) => Buffer.alloc(n, 7).toString("base64")
            // Exactly the largest file: through the gate; not an image, so a typed refusal, not a 413.
            const largest = yield* postRaw(
              requestLine("UploadFile", { kind: "photo", data: base64(MAX_UPLOAD_BYTES) }),
              siteHeaders(cookie)
            )
            expect([largest.status, largest.lines[0]]).toEqual([200, expect.anything()])
            expect(largest.lines[0]).toMatchObject({
              exit: { _tag: "Failure", cause: { error: { _tag: "ImageUnreadable" } } }
            })
            // A little larger: still through the gate, refused by size before any decoding.
            const over = yield* postRaw(
              requestLine("UploadFile", { kind: "pdf", data: base64(MAX_UPLOAD_BYTES + 100) }),
              siteHeaders(cookie)
            )
            expect(over.lines[0]).toMatchObject({ exit: { cause: { error: { _tag: "FileTooLarge" } } } })
            // Far larger: the body itself is refused, with the limit, before it is parsed.
            const huge = yield* postRaw(
              requestLine("UploadFile", { kind: "pdf", data: base64(MAX_UPLOAD_BYTES * 1.1) }),
              siteHeaders(cookie)
            )
            expect(huge.status).toBe(413)
            expect(huge.lines[0]).toEqual({ _tag: "RequestTooLarge", maxBytes: MAX_UPLOAD_BODY_BYTES })
            // A large body must be one upload alone: any other call keeps the usual size.
            const other = yield* postRaw(requestLine("FindCommunes", { postcode: "3".repeat(MAX_RPC_BODY_BYTES) }))
            expect([other.status, other.lines[0]]).toEqual([413, { _tag: "RequestTooLarge",
              maxBytes: MAX_RPC_BODY_BYTES }])
            const twoUploads = [
              requestLine("UploadFile", { kind: "pdf", data: base64(200_000) }, "1"),
              requestLine("UploadFile", { kind: "pdf", data: base64(200_000) }, "2")
            ].join("\n")
            expect((yield* postRaw(twoUploads, siteHeaders(cookie))).status).toBe(413)
            // Not base64: the gate answers the typed InvalidRequest.
            const notBase64 = yield* postRaw(
              requestLine("UploadFile", { kind: "pdf", data: "!!!" }),
              siteHeaders(cookie)
            )
            expect(notBase64.lines[0]).toMatchObject({ exit: { cause: { error: { _tag: "InvalidRequest" } } } })
          }),
        60_000
      )
    })
  })
}
