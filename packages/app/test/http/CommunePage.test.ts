import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { NodeHttpServer } from "@effect/platform-node"
import { describe, expect, it, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { PoliceContact } from "@vigie/domain/administration/VigilantCommune"
import { VigilantCommuneRepo } from "@vigie/domain/administration/VigilantCommuneRepo"
import { DateTime, Duration, Effect, Layer, Option } from "effect"
import { displayPhone, keywordGroups } from "../../src/http/CommunePage.js"
import * as Server from "../../src/http/Server.js"
import { publicUrl } from "../support/HttpHarness.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld } from "../support/World.js"

const get = (path: string) =>
  Effect.gen(function*() {
    const response = yield* (yield* HttpClient.HttpClient).execute(HttpClientRequest.get(path))
    return { status: response.status, type: response.headers["content-type"] ?? "", body: yield* response.text }
  })

describe("the public page's parts", () => {
  it("reads French numbers as people write them", () => {
    expect(displayPhone("+33757000000")).toBe("07 57 00 00 00")
    expect(displayPhone("+441632960961")).toBe("+441632960961")
  })

  it("lists every SMS keyword under its category", () => {
    const groups = new Map(keywordGroups())
    expect(groups.get("Cambriolage ou tentative")).toStrictEqual(["CAMBRIOLAGE", "CAMBRIOLEUR", "CAMBRIOLEURS",
      "EFFRACTION", "VOL"])
    expect([...groups.values()].flat()).toContain("SANS NOUVELLES")
  })
})

for (const db of databases) {
  const server = Server.layer({ smsNumber: "+33757000000" }).pipe(
    Layer.provideMerge(platform(db, publicUrl)),
    Layer.provideMerge(NodeHttpServer.layerTest)
  )
  layer(server, { excludeTestServices: true, timeout: Duration.seconds(120) })(
    `GET /commune/<INSEE> over real HTTP [${db.name}]`,
    (it) => {
      it.effect("shows a Mairie Vigilante's figures, SMS number, keywords, police and emergency numbers, nothing private", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("public-page")
          const vigilant = yield* VigilantCommuneRepo
          const now = yield* DateTime.now
          yield* vigilant.activate(CADAUJAC, world.accounts.admin.id, now)
          yield* vigilant.setPoliceContact(
            CADAUJAC,
            new PoliceContact({
              phone: Option.some("05 56 30 94 50"),
              details: Option.some("Place de la Mairie <script>alert(1)</script>\nDu lundi au vendredi & le samedi")
            }),
            world.accounts.mairie.id,
            now
          )

          const page = yield* get("/commune/33080")
          expect(page.status).toBe(200)
          expect(page.type).toContain("text/html")
          const html = page.body
          expect(html).toContain("<html lang=\"fr\">")
          expect(html).toMatch(/<title>Vigie à Cadaujac \(33080\)[^<]*<\/title>/)
          expect(html).toMatch(
            /<meta name="description" content="Cadaujac, Mairie Vigilante : 2 quartiers ouverts, 3 voisins vérifiés\./
          )
          expect(html).not.toContain("noindex")
          expect(html).toContain("<strong>Mairie Vigilante</strong>")
          expect(html).toContain("<span class=\"figure\">2</span> quartiers ouverts")
          expect(html).toContain("<span class=\"figure\">3</span> voisins vérifiés")
          expect(html).toContain("href=\"/inscription\"")
          expect(html).toContain("33140")
          expect(html).toContain("07 57 00 00 00")
          for (const keyword of ["VOL", "SUSPECT", "FEU", "STOP", "START", "AIDE"]) {
            expect(html).toContain(`<strong>${keyword}</strong>`)
          }
          for (const n of ["17", "18", "15", "112"]) {
            expect(html).toContain(`<a href="tel:${n}"><strong>${n}</strong></a>`)
          }
          expect(html).toContain("05 56 30 94 50")
          expect(html).toContain(
            "Place de la Mairie &lt;script&gt;alert(1)&lt;/script&gt;<br>Du lundi au vendredi &amp; le samedi"
          )
          expect(html).not.toContain("<script")
          // No member: not a name, an e-mail or an address.
          for (const account of Object.values(world.accounts)) {
            expect(html).not.toContain(Option.getOrThrow(account.email))
          }
          // The residents' last names ("memberA" ...; the staff ones are common words such as "mairie").
          for (
            const resident of [world.accounts.pending, world.accounts.memberA, world.accounts.memberB,
              world.accounts.referentA]
          ) {
            expect(html).not.toContain(resident.lastName)
          }
          expect(html).not.toContain("rue memberA")
          expect(html).not.toContain(world.communityA.name)
        }))

      it.effect("shows a commune that is not vigilant yet, without quartiers, and never a police section", () =>
        Effect.gen(function*() {
          const page = yield* get("/commune/33550")
          expect(page.status).toBe(200)
          expect(page.body).toContain("Villenave-d&#39;Ornon n'est pas encore une Mairie Vigilante")
          expect(page.body).toContain("<span class=\"figure\">0</span> quartier ouvert")
          expect(page.body).toContain("Aucun quartier n'est encore ouvert ici")
          expect(page.body).not.toContain("Police municipale de")
          const corsica = yield* get("/commune/2a004")
          expect(corsica.status).toBe(200)
          expect(corsica.body).toContain("Vigie à Ajaccio")
        }))

      it.effect("answers an unknown or malformed code with a French 404 page, never a 500", () =>
        Effect.gen(function*() {
          for (
            const path of ["/commune/33999", "/commune/abc", "/commune/%3Cscript%3E", "/commune/330800000000000",
              "/commune/%E0%A4%A"]
          ) {
            const page = yield* get(path)
            expect(page.status, path).toBe(404)
            if (page.type.includes("text/html")) {
              expect(page.body).toContain("Commune introuvable")
              expect(page.body).toContain("noindex")
              expect(page.body).not.toContain("<script")
            }
          }
        }))
    }
  )
}
