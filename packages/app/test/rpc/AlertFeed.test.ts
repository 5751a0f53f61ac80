import { RpcClient, RpcTest } from "@effect/rpc"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { Account } from "@vigie/domain/accounts/Account"
import type { Alert, AlertId, AlertScope } from "@vigie/domain/alerts/Alert"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { DateTime, Duration, Effect, Layer, Option } from "effect"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { platform } from "../support/TestPlatform.js"
import { actorOf } from "../mairie/Support.js"
import { CADAUJAC, makeWorld } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")
const PAGE = 10

/** Newest first by (createdAt, id); PostgreSQL orders uuids as their lowercase text. */
const feedOrder = (alerts: ReadonlyArray<Alert>): ReadonlyArray<AlertId> =>
  [...alerts].sort((a, b) => {
    const byTime = DateTime.toEpochMillis(b.createdAt) - DateTime.toEpochMillis(a.createdAt)
    return byTime !== 0 ? byTime : b.id < a.id ? -1 : b.id > a.id ? 1 : 0
  }).map((a) => a.id)

for (const db of databases) {
  describe(`alerts feed paging [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), { excludeTestServices: true,
      timeout: Duration.seconds(120) })(
        "on (createdAt, id)",
        (it) => {
          it.scoped("25 alerts of one instant across communities, paged by 10: each visible one once, in order, only the last page short", () =>
            Effect.gen(function*() {
              const world = yield* makeWorld(`feed-${db.name}`)
              const repo = yield* AlertPublisher
              const at = DateTime.unsafeMake("2026-03-01T10:00:00.000Z")
              const post = (
                author: Account,
                scope: AlertScope,
                shared: boolean,
                status: "published" | "held_for_review" = "published"
              ) =>
                Effect.map(
                  repo.post({
                    scope,
                    authorId: author.id,
                    origin: scope._tag === "Commune" ? "mairie" : "web",
                    category: scope._tag === "Commune" ? "weather" : "suspicious_vehicle",
                    urgency: "info",
                    text: "Même instant, autre alerte",
                    place: Option.none(),
                    sharedWithAuthorities: shared,
                    status
                  }, at),
                  (r) => r.alert
                )
              const inA: AlertScope = { _tag: "Community", communityId: world.communityA.id }
              const inB: AlertScope = { _tag: "Community", communityId: world.communityB.id }
              const town: AlertScope = { _tag: "Commune", insee: CADAUJAC, communityIds: Option.none() }
              const { memberA, memberB, mairie, referentA } = world.accounts
              // Interleaved, so that the hidden ones fall between visible ones in (createdAt, id) order.
              const posted: Array<Alert> = []
              for (let i = 0; i < 10; i++) {
                posted.push(yield* post(memberA, inA, true))
                posted.push(yield* post(mairie, town, false))
                if (i < 8) posted.push(yield* post(memberB, inB, false))
                if (i < 5) posted.push(yield* post(referentA, inA, false))
                if (i < 4) posted.push(yield* post(referentA, inA, true, "held_for_review"))
              }
              const worldAlerts = [world.alertKept, world.alertToRetract, world.alertToResolve]
              const published = posted.filter((a) => a.status === "published")
              const visibleTo = {
                memberA: [...worldAlerts, ...published.filter((a) =>
                  a.scope._tag === "Commune" || a.scope.communityId === world.communityA.id
                )],
                memberB: published.filter((a) =>
                  a.scope._tag === "Commune" || a.scope.communityId === world.communityB.id
                ),
                mairie: [...worldAlerts, ...published.filter((a) =>
                  a.scope._tag === "Commune" || a.sharedWithAuthorities
                )]
              }
              expect(visibleTo.memberA.filter((a) => DateTime.Equivalence(a.createdAt, at))).toHaveLength(25)

              const client = yield* RpcTest.makeClient(VigieRpcs)
              for (const [kind, expected] of Object.entries(visibleTo)) {
                const token = world.tokens[kind as keyof typeof visibleTo]!
                const pages: Array<ReadonlyArray<AlertId>> = []
                let before = Option.none<DateTime.Utc>()
                let beforeId = Option.none<AlertId>()
                for (let n = 0; n < 10; n++) {
                  const page = yield* RpcClient.withHeaders(
                    client.ListAlerts({ before, beforeId, limit: PAGE }),
                    { cookie: `vigie_session=${token}` }
                  )
                  pages.push(page.alerts.map((a) => a.id))
                  if (Option.isNone(page.nextBefore)) break
                  before = page.nextBefore
                  beforeId = page.nextBeforeId
                }
                expect(pages.flat(), kind).toStrictEqual(feedOrder(expected))
                expect(pages.map((p) => p.length), kind).toStrictEqual(
                  Array.from(
                    { length: Math.ceil(expected.length / PAGE) },
                    (_, i) => Math.min(PAGE, expected.length - i * PAGE)
                  )
                )
              }

              // readableIds (the feed's counts use it) agrees with get, alert by alert, for every reader;
              // unknown ids and repeats are left out.
              const useCase = yield* Alerts
              const everyId = [...worldAlerts, ...posted].map((a) => a.id)
              const unknown = "00000000-0000-4000-8000-00000000dead" as AlertId
              for (const account of Object.values(world.accounts)) {
                const byGet: Array<AlertId> = []
                for (const id of everyId) {
                  const readable = yield* useCase.get(actorOf(account), id).pipe(
                    Effect.as(true),
                    Effect.catchTag("AlertNotFound", () => Effect.succeed(false))
                  )
                  if (readable) byGet.push(id)
                }
                const batch = yield* useCase.readableIds(actorOf(account), [unknown, ...everyId, ...everyId])
                expect(batch, account.id).toStrictEqual(byGet)
              }
            }))
        }
      )
  })
}
