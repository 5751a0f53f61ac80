import { RpcClient, RpcTest } from "@effect/rpc"
import { assert, describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { AlertId } from "@vigie/domain/alerts/Alert"
import type { ReactionSummary } from "@vigie/domain/alerts/AlertReaction"
import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { LiveEvents } from "@vigie/domain/live/LiveEvents"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { Chunk, Duration, Effect, Fiber, Layer, Stream } from "effect"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { actorOf } from "../support/Actors.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld, type ActorKind } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")
const UNKNOWN = "00000000-0000-4000-8000-00000000beef" as AlertId

const names = (summary: ReactionSummary) => ({
  going: summary.going.map((r) => r.name),
  seen: summary.seen.map((r) => r.name)
})

for (const db of databases) {
  describe(`"J'y vais" and "Vu" on alerts [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), { excludeTestServices: true,
      timeout: Duration.seconds(120) })(
        "through the RPCs",
        (it) => {
          it.scoped("members of the alert's community mark it once per kind, everyone who may read it sees who, nobody else learns anything, each change is told live once", () =>
            Effect.gen(function*() {
              const world = yield* makeWorld(`reactions-${db.name}`)
              const client = yield* RpcTest.makeClient(VigieRpcs)
              const live = yield* LiveEvents
              const alerts = yield* Alerts
              const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
                RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
              const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
                Effect.map(Effect.flip(effect), (e) => e._tag)
              const alertId = world.alertKept.id

              // Every event from now on, up to a closing marker published at the end: on the bus, and as
              // a member of A and a member of B watch them.
              const marker = (e: LiveEvent) => e._tag === "AlertPublished" && e.alertId === UNKNOWN
              const collect = (stream: Stream.Stream<LiveEvent>) =>
                Effect.fork(Effect.map(Stream.runCollect(Stream.takeUntil(stream, marker)), Chunk.toReadonlyArray))
              const onBus = yield* collect(yield* live.subscribe)
              const toMemberA = yield* collect(yield* alerts.watch(actorOf(world.accounts.memberA)))
              const toMemberB = yield* collect(yield* alerts.watch(actorOf(world.accounts.memberB)))

              const first = yield* as("memberA", client.MarkAlert({ alertId, kind: "going" }))
              expect(names(first)).toEqual({ going: ["Test M."], seen: [] })
              // Idempotent: the same mark again changes nothing and tells nobody.
              expect(names(yield* as("memberA", client.MarkAlert({ alertId, kind: "going" })))).toEqual({
                going: ["Test M."],
                seen: []
              })
              yield* as("referentA", client.MarkAlert({ alertId, kind: "seen" }))
              const both = yield* as("referentA", client.MarkAlert({ alertId, kind: "going" }))
              expect(names(both)).toEqual({ going: ["Test M.", "Test R."], seen: ["Test R."] })
              // Each mark says whether it is the reader's own, never whose account it is.
              expect(both.going.map((r) => r.mine)).toEqual([false, true])

              // Whoever may read the alert sees the same marks: the mairie and police it was shared with, moderators.
              for (const reader of ["memberA", "referentA", "mairie", "police", "moderator"] as const) {
                expect(names(yield* as(reader, client.GetAlertReactions({ alertId }))), reader).toEqual(names(both))
              }
              // Readers who are not members of its community may not mark it.
              for (const staff of ["mairie", "police", "moderator"] as const) {
                expect(yield* failure(as(staff, client.MarkAlert({ alertId, kind: "seen" }))), staff).toBe("Forbidden")
              }
              // Those who may not read it get AlertNotFound, as for an alert that does not exist.
              for (const stranger of ["memberB", "pending", "mairieOther"] as const) {
                expect(yield* failure(as(stranger, client.MarkAlert({ alertId, kind: "going" }))), stranger).toBe(
                  "AlertNotFound"
                )
                expect(yield* failure(as(stranger, client.UnmarkAlert({ alertId, kind: "going" }))), stranger).toBe(
                  "AlertNotFound"
                )
                expect(yield* failure(as(stranger, client.GetAlertReactions({ alertId }))), stranger).toBe(
                  "AlertNotFound"
                )
                expect(yield* as(stranger, client.CountAlertReactions({ alertIds: [alertId] })), stranger).toEqual([])
              }
              expect(yield* failure(as("memberA", client.GetAlertReactions({ alertId: UNKNOWN })))).toBe(
                "AlertNotFound"
              )
              expect(yield* failure(as("anonymous", client.GetAlertReactions({ alertId })))).toBe("Unauthenticated")

              // Removing: only one's own mark, idempotent too.
              const removed = yield* as("memberA", client.UnmarkAlert({ alertId, kind: "going" }))
              expect(names(removed)).toEqual({ going: ["Test R."], seen: ["Test R."] })
              expect(names(yield* as("memberA", client.UnmarkAlert({ alertId, kind: "going" })))).toEqual(
                names(removed)
              )

              // The feed's counts: unknown alerts are left out, alerts without marks count zero.
              const counts = yield* as(
                "memberA",
                client.CountAlertReactions({ alertIds: [alertId, world.alertToRetract.id, UNKNOWN, alertId] })
              )
              expect(counts.map((c) => ({ alertId: c.alertId, going: c.going, seen: c.seen }))).toEqual([
                { alertId, going: 1, seen: 1 },
                { alertId: world.alertToRetract.id, going: 0, seen: 0 }
              ])

              // A closed alert keeps and shows its marks, and takes no new ones.
              yield* as("referentA", client.MarkAlert({ alertId: world.alertToResolve.id, kind: "seen" }))
              yield* as("memberA", client.ResolveAlert({ alertId: world.alertToResolve.id }))
              expect(
                yield* failure(as("referentA", client.MarkAlert({ alertId: world.alertToResolve.id, kind: "going" })))
              ).toBe("AlertClosedToReactions")
              expect(
                yield* failure(as("referentA", client.UnmarkAlert({ alertId: world.alertToResolve.id, kind: "seen" })))
              ).toBe("AlertClosedToReactions")
              expect(names(yield* as("memberA", client.GetAlertReactions({ alertId: world.alertToResolve.id }))))
                .toEqual({ going: [], seen: ["Test R."] })

              yield* live.publish({ _tag: "AlertPublished", alertId: UNKNOWN, insee: CADAUJAC,
                communityIds: [world.communityA.id, world.communityB.id], authorities: false })
              const reactionsIn = (events: ReadonlyArray<LiveEvent>) =>
                events.filter((e): e is Extract<LiveEvent, { readonly _tag: "AlertReactionsChanged" }> =>
                  e._tag === "AlertReactionsChanged"
                )
              const reactions = reactionsIn(yield* Fiber.join(onBus))
              // memberA going, referentA seen and going, memberA's removal, referentA on the other alert: five changes.
              expect(reactions.map((e) => e.alertId)).toEqual([alertId, alertId, alertId, alertId,
                world.alertToResolve.id])
              for (const e of reactions) {
                // Ids only: nothing about who or what.
                assert.deepStrictEqual({ ...e }, {
                  _tag: "AlertReactionsChanged",
                  alertId: e.alertId,
                  insee: CADAUJAC,
                  communityIds: [world.communityA.id],
                  authorities: true
                })
              }
              expect(reactionsIn(yield* Fiber.join(toMemberA))).toHaveLength(5)
              expect(reactionsIn(yield* Fiber.join(toMemberB))).toEqual([])
            }))
        }
      )
  })
}
