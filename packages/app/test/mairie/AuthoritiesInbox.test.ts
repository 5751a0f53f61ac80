import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { Account } from "@vigie/domain/accounts/Account"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { AuthoritiesInbox } from "@vigie/domain/mairie/AuthoritiesInbox"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import type { Community } from "@vigie/domain/communities/Community"
import { Chunk, DateTime, Duration, Effect, Fiber, Option, Stream } from "effect"
import { CADAUJAC, BORDEAUX, makeWorld } from "../support/World.js"
import { actorOf, mairiePlatform } from "./Support.js"

const post = (
  author: Account,
  community: Community,
  shared: boolean,
  status: "published" | "held_for_review" = "published"
) =>
  Effect.flatMap(AlertPublisher, (repo) =>
    Effect.map(
      repo.post({
        scope: { _tag: "Community", communityId: community.id },
        authorId: author.id,
        origin: "web",
        category: "burglary",
        urgency: "urgent",
        text: shared ? "Tentative d'effraction, partagée avec la police" : "Entre voisins seulement",
        place: Option.none(),
        sharedWithAuthorities: shared,
        status
      }, DateTime.unsafeNow()),
      (r) => r.alert
    ))

for (const db of databases) {
  describe(`authorities' inbox [${db.name}]`, () => {
    layer(mairiePlatform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "AuthoritiesInbox",
      (it) => {
        it.effect("lists only the commune's visible shared alerts; acknowledgement and notes; the author sees who took note, never the note", () =>
          Effect.gen(function*() {
            const inbox = yield* AuthoritiesInbox
            const world = yield* makeWorld(`inbox-${db.name}`)
            const { memberA, memberB, mairie, mairieOther, police } = world.accounts
            const shared = yield* post(memberA, world.communityA, true)
            const notShared = yield* post(memberB, world.communityB, false)
            const held = yield* post(memberA, world.communityA, true, "held_for_review")

            const page = yield* inbox.list(actorOf(police), CADAUJAC, { before: Option.none(), beforeId: Option.none(),
              limit: 50 })
            const ids = page.items.map((i) => i.alert.id)
            expect(ids).toContain(shared.id)
            expect(ids).toContain(world.alertKept.id)
            expect(ids).not.toContain(notShared.id)
            expect(ids).not.toContain(held.id)
            expect(page.items.find((i) => i.alert.id === shared.id)?.communityName).toBe(world.communityA.name)

            const acked = yield* inbox.acknowledge(
              actorOf(police),
              shared.id,
              Option.some("Patrouille envoyée rue des Vignes")
            )
            expect(acked.acknowledgements.map((a) => a.role)).toStrictEqual(["police"])
            expect(acked.notes.map((n) => n.text)).toStrictEqual(["Patrouille envoyée rue des Vignes"])
            // A second acknowledgement keeps the first time; a note is added.
            const again = yield* inbox.acknowledge(actorOf(police), shared.id, Option.some("RAS à 22h"))
            expect(again.acknowledgements).toHaveLength(1)
            expect(again.notes).toHaveLength(2)

            const seen = yield* inbox.acknowledgements(actorOf(memberA), shared.id)
            expect(Option.isSome(seen.police)).toBe(true)
            expect(Option.isNone(seen.mairie)).toBe(true)
            expect(Object.keys(seen)).not.toContain("notes")

            // The wall: another commune's agent, residents, and unshared alerts.
            expect(
              (yield* Effect.flip(
                inbox.list(actorOf(mairieOther), CADAUJAC, { before: Option.none(), beforeId: Option.none(), limit: 5 })
              ))._tag
            ).toBe("Forbidden")
            expect(
              (yield* Effect.flip(
                inbox.list(actorOf(memberA), CADAUJAC, { before: Option.none(), beforeId: Option.none(), limit: 5 })
              ))._tag
            ).toBe("Forbidden")
            const otherPage = yield* inbox.list(actorOf(mairieOther), BORDEAUX, { before: Option.none(),
              beforeId: Option.none(), limit: 50 })
            expect(otherPage.items.map((i) => i.alert.id)).not.toContain(shared.id)
            expect((yield* Effect.flip(inbox.acknowledge(actorOf(mairieOther), shared.id, Option.none())))._tag).toBe(
              "AlertNotFound"
            )
            expect((yield* Effect.flip(inbox.acknowledge(actorOf(mairie), notShared.id, Option.none())))._tag).toBe(
              "AlertNotFound"
            )
            expect((yield* Effect.flip(inbox.acknowledge(actorOf(memberA), shared.id, Option.none())))._tag).toBe(
              "AlertNotFound"
            )
            expect((yield* Effect.flip(inbox.acknowledgements(actorOf(memberB), shared.id)))._tag).toBe("AlertNotFound")
          }))

        it.scoped("streams a newly shared alert of the commune, not an unshared one", () =>
          Effect.gen(function*() {
            const inbox = yield* AuthoritiesInbox
            const alerts = yield* Alerts
            const world = yield* makeWorld(`inbox-live-${db.name}`)
            const stream = yield* inbox.watch(actorOf(world.accounts.police), CADAUJAC)
            const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(stream, 1)))
            yield* Effect.sleep(Duration.millis(50))
            // memberA has posted 3 alerts already (World): published at once.
            yield* alerts.post(actorOf(world.accounts.memberA), {
              scope: { _tag: "Community", communityId: world.communityA.id },
              category: "suspicious_vehicle",
              urgency: "info",
              text: "Pas partagée",
              place: Option.none(),
              sharedWithAuthorities: false
            })
            const posted = yield* alerts.post(actorOf(world.accounts.memberA), {
              scope: { _tag: "Community", communityId: world.communityA.id },
              category: "suspicious_vehicle",
              urgency: "info",
              text: "Partagée avec la police",
              place: Option.none(),
              sharedWithAuthorities: true
            })
            const got = yield* Fiber.join(fiber).pipe(Effect.timeout(Duration.seconds(5)))
            expect(Chunk.toReadonlyArray(got).map((i) => i.alert.id)).toStrictEqual([posted.id])
          }))
      }
    )
  })
}
