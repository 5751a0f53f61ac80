import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { calendarUid } from "@vigie/domain/gazette/CalendarEvent"
import { GazetteSocial } from "@vigie/domain/gazette/GazetteSocial"
import { Duration, Effect } from "effect"
import { actorOf } from "../support/Actors.js"
import { publicUrl, serverLayer } from "../support/HttpHarness.js"
import { actorKinds, makeWorld } from "../support/World.js"

const get = (path: string, token?: string) =>
  Effect.flatMap(HttpClient.HttpClient, (http) =>
    http.execute(
      HttpClientRequest.get(path).pipe(
        HttpClientRequest.setHeaders(token === undefined ? {} : { cookie: `vigie_session=${token}` })
      )
    ).pipe(Effect.flatMap((response) => Effect.map(response.text, (body) => ({ response, body })))))

for (const db of databases) {
  describe(`an event's calendar file [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over real HTTP", (it) => {
      it.scoped("GET /gazette/evenements/<id>.ics: the event for whoever may read it, 404 for everyone else and for anything else", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`ics-${db.name}`)
          const eventId = world.gazetteEvent.id
          const path = `/gazette/evenements/${eventId}.ics`

          const { body, response } = yield* get(path, world.tokens.referentA)
          expect(response.status).toBe(200)
          expect(response.headers["content-type"]).toBe("text/calendar; charset=utf-8")
          expect(response.headers["content-disposition"]).toMatch(
            /^attachment; filename="evenement-\d{4}-\d{2}-\d{2}\.ics"$/
          )
          expect(response.headers["cache-control"]).toContain("no-store")
          expect(body).toContain("BEGIN:VEVENT")
          expect(body.replace(/\r\n[ \t]/g, "")).toContain(`UID:${calendarUid(eventId, publicUrl.href)}`)
          expect(body).toContain("SUMMARY:Fête des voisins")
          expect(body).toContain("SEQUENCE:0")
          expect(body).toContain("STATUS:CONFIRMED")

          // Who may not read the post gets the same 404 as for an unknown id or a post that is no event.
          const readers = new Set(["memberA", "referentA"])
          for (const actor of actorKinds) {
            const { response } = yield* get(path, world.tokens[actor])
            expect(response.status, actor).toBe(readers.has(actor) ? 200 : 404)
          }
          for (
            const other of [
              "/gazette/evenements/00000000-0000-4000-8000-00000000beef.ics",
              `/gazette/evenements/${world.gazettePost.id}.ics`,
              "/gazette/evenements/pas-un-id.ics"
            ]
          ) {
            expect((yield* get(other, world.tokens.memberA)).response.status, other).toBe(404)
          }

          // Cancelled: the same UID, a higher SEQUENCE and STATUS:CANCELLED, so calendars update their copy.
          yield* (yield* GazetteSocial).cancelEvent(actorOf(world.accounts.memberA), eventId)
          const cancelled = (yield* get(path, world.tokens.memberA)).body
          expect(cancelled).toContain("SEQUENCE:1")
          expect(cancelled).toContain("STATUS:CANCELLED")
        }))
    })
  })
}
