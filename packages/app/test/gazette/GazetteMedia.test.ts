import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { DateTime, Duration, Effect } from "effect"
import { PDFDocument } from "pdf-lib"
import sharp from "sharp"
import { rpcClient, serverLayer } from "../support/HttpHarness.js"
import { makeWorld, type ActorKind, type World } from "../support/World.js"

/** A photo as a phone takes it: the place (GPS) and the phone's name in its EXIF. */
const phonePhoto = () =>
  Effect.promise(() =>
    sharp({ create: { width: 1200, height: 900, channels: 3, background: "#c27a3a" } }).jpeg().withExif({
      IFD0: { Make: "Telephone", Model: "Modele 12" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "44/1 44/1 3000/100", GPSLongitudeRef: "W",
        GPSLongitude: "0/1 31/1 4200/100" }
    }).toBuffer().then((b) => new Uint8Array(b))
  )

const cookieOf = (world: World, kind: ActorKind) =>
  world.tokens[kind] === undefined ? undefined : `vigie_session=${world.tokens[kind]}`

const get = (path: string, cookie?: string) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const response = yield* http.execute(
      HttpClientRequest.get(path).pipe(HttpClientRequest.setHeaders(cookie === undefined ? {} : { cookie }))
    )
    return { status: response.status, headers: response.headers, body: new Uint8Array(yield* response.arrayBuffer) }
  })

for (const db of databases) {
  describe(`a Gazette post's photos and attachment [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over HTTP", (it) => {
      it.scoped("are served without their GPS position to the quartier's readers only; nobody else learns they exist", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-media-${db.name}`)
          const author = yield* rpcClient(cookieOf(world, "memberA"))
          const original = yield* phonePhoto()
          expect((yield* Effect.promise(() => sharp(original).metadata())).exif).toBeDefined()
          const photo = yield* author.UploadFile({ kind: "photo", name: "IMG_2041.JPG", data: original })
          const pdfBytes = yield* Effect.promise(async () => {
            const document = await PDFDocument.create()
            document.addPage([595, 842])
            return document.save()
          })
          const minutes = yield* author.UploadFile({ kind: "pdf", name: "CR réunion \"mars\".pdf", data: pdfBytes })
          const now = yield* DateTime.now
          // Not attached yet: nobody, not even its owner, reads it by its address.
          expect((yield* get(`/media/${photo.id}`, cookieOf(world, "memberA"))).status).toBe(404)

          yield* author.PublishGazettePost({
            communityId: world.communityA.id,
            title: "Chat roux perdu",
            body: "Caramel, collier bleu.",
            photos: [photo.id],
            details: { _tag: "perdu_trouve", situation: "perdu", subject: "animal", where: "Rue des Écoles",
              seenAt: DateTime.subtract(now, { hours: 2 }) }
          })
          yield* author.PublishGazettePost({
            communityId: world.communityA.id,
            title: "Compte-rendu de la réunion",
            body: "Le compte-rendu est joint.",
            photos: [],
            details: { _tag: "compte_rendu", meeting: "reunion_voisins", heldOn: DateTime.subtract(now, { days: 2 }),
              attachment: minutes.id }
          })

          for (const kind of ["memberA", "referentA"] as const) {
            const served = yield* get(`/media/${photo.id}`, cookieOf(world, kind))
            expect(served.status).toBe(200)
            expect(served.headers["content-type"]).toBe("image/jpeg")
            expect(served.headers["cache-control"]).toBe("private, max-age=3600")
            const meta = yield* Effect.promise(() => sharp(served.body).metadata())
            expect(meta.format).toBe("jpeg")
            expect(meta.exif).toBeUndefined()
            expect(Buffer.from(served.body).includes(Buffer.from("Modele 12"))).toBe(false)
          }
          const pdf = yield* get(`/media/${minutes.id}`, cookieOf(world, "referentA"))
          expect(pdf.status).toBe(200)
          expect(pdf.headers["content-type"]).toBe("application/pdf")
          expect(pdf.headers["content-disposition"]).toBe("attachment; filename=\"CR réunion _mars_.pdf\"")

          // Another quartier's member, staff, an anonymous visitor, an unknown or malformed id: the same 404.
          for (const kind of ["memberB", "moderator", "police", "mairie", "pending"] as const) {
            expect((yield* get(`/media/${photo.id}`, cookieOf(world, kind))).status).toBe(404)
          }
          expect((yield* get(`/media/${photo.id}`)).status).toBe(404)
          expect((yield* get(`/media/${crypto.randomUUID()}`, cookieOf(world, "memberA"))).status).toBe(404)
          expect((yield* get("/media/..%2F..%2Fetc%2Fpasswd", cookieOf(world, "memberA"))).status).toBe(404)
        }))
    })
  })
}
