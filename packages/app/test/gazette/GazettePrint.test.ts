import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, layer } from "@effect/vitest"
import { pageTexts } from "@vigie/adapters/test/gazette/PdfText"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { DateTime, Duration, Effect } from "effect"
import { gazettePrintPath } from "../../src/http/GazettePrint.js"
import { rpcClient, serverLayer } from "../support/HttpHarness.js"
import { CADAUJAC, makeWorld, type ActorKind, type World } from "../support/World.js"

const cookieOf = (world: World, kind: ActorKind) =>
  world.tokens[kind] === undefined ? undefined : `vigie_session=${world.tokens[kind]}`

const download = (path: string, cookie?: string) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const response = yield* http.execute(
      HttpClientRequest.get(path).pipe(HttpClientRequest.setHeaders(cookie === undefined ? {} : { cookie }))
    )
    return { status: response.status, headers: response.headers, body: new Uint8Array(yield* response.arrayBuffer) }
  })

for (const db of databases) {
  describe(`the Gazette on paper [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over HTTP", (it) => {
      it.scoped("its référents and the mairie download the quartier's week as a PDF of what is published; nobody else does", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-print-${db.name}`)
          const member = yield* rpcClient(cookieOf(world, "memberA"))
          const referent = yield* rpcClient(cookieOf(world, "referentA"))
          const mairie = yield* rpcClient(cookieOf(world, "mairie"))
          const now = yield* DateTime.now
          const communityId = world.communityA.id
          yield* member.PublishGazettePost({ communityId, title: "Vélo d'enfant à donner", body: "Taille 16 pouces.",
            photos: [], details: { _tag: "annonce", offer: "donne" } })
          yield* member.PublishGazettePost({ communityId, title: "Chat roux perdu", body: "Collier bleu.", photos: [],
            details: { _tag: "perdu_trouve", situation: "perdu", subject: "animal", where: "Rue des Écoles",
              seenAt: DateTime.subtract(now, { hours: 3 }) } })
          yield* member.PublishGazettePost({ communityId, title: "Fête des voisins", body: "Apportez un plat.",
            photos: [],
            details: { _tag: "evenement", startsAt: DateTime.add(now, { days: 3 }), place: "Square du Port" } })
          // A référent's first post waits for a moderator: it is not printed.
          const held = yield* referent.PublishGazettePost({ communityId, title: "Annonce en attente", body: "Texte.",
            photos: [], details: { _tag: "vie_du_quartier", topic: "nouvelle" } })
          expect(held.post.status).toBe("held_for_review")
          yield* mairie.PublishMairieCommunication({ insee: CADAUJAC, communityIds: [], title: "Travaux rue des Écoles",
            body: "La rue sera fermée lundi.", photos: [] })

          const path = gazettePrintPath(communityId)
          for (const kind of ["referentA", "mairie"] as const) {
            const reply = yield* download(path, cookieOf(world, kind))
            expect(reply.status).toBe(200)
            expect(reply.headers["content-type"]).toBe("application/pdf")
            expect(reply.headers["content-disposition"]).toMatch(
              /^attachment; filename="gazette-\d{4}-\d{2}-\d{2}\.pdf"$/
            )
            const text = (yield* Effect.promise(() => pageTexts(reply.body))).join("\n").replace(/\s+/g, " ")
            for (
              const expected of ["Travaux rue des Écoles", "Fête des voisins", "Square du Port",
                "Vélo d'enfant à donner", "Donne", "Chat roux perdu", "Rue des Écoles", "17", "112",
                world.communityA.name]
            ) expect(text).toContain(expected)
            expect(text).not.toContain("Annonce en attente")
          }
          // A member who is not a référent, the mairie of another commune, the police, a moderator: refused.
          for (const kind of ["memberA", "memberB", "mairieOther", "police", "moderator"] as const) {
            expect((yield* download(path, cookieOf(world, kind))).status).toBe(403)
          }
          expect((yield* download(path)).status).toBe(401)
          expect((yield* download(gazettePrintPath(crypto.randomUUID()), cookieOf(world, "mairie"))).status).toBe(404)
          expect((yield* download(gazettePrintPath("pas-un-quartier"), cookieOf(world, "mairie"))).status).toBe(404)
        }))
    })
  })
}
