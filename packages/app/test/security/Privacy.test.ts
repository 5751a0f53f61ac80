import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { Account, AccountId } from "@vigie/domain/accounts/Account"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { Email } from "@vigie/domain/shared/Text"
import { Duration, Effect, Option, Queue, Redacted, Schema, Stream } from "effect"
import { postRaw, requestLine, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { makeWorld, PASSWORD, verifiedNeighbour, type World } from "../support/World.js"

/**
 * Issue 12, finding 7, replayed over real HTTP: members received the author's account id with every
 * alert and every mark; a référent could hide an alert on their own flag; the staff's live streams
 * carried every alert of the commune. Each response is scanned as the bytes a browser receives.
 */

/** A surname found nowhere else: a full last name must never reach another member. */
const SURNAME = "Delacroix-Vernier"

type Line = Record<string, unknown>
const successOf = (line: Line | undefined) =>
  (line?.["exit"] as { _tag?: string; value?: unknown } | undefined)?._tag === "Success"
    ? (line!["exit"] as { value: unknown }).value
    : undefined
const failureTag = (line: Line | undefined) =>
  (line?.["exit"] as { cause?: { error?: { _tag?: string } } } | undefined)?.cause?.error?._tag

/** A verified neighbour of quartier A who is neither the author nor the référent, with a session. */
const neighbour = (world: World, tag: string) =>
  Effect.gen(function*() {
    const account = yield* verifiedNeighbour({
      communityId: world.communityA.id,
      firstName: "Chloé",
      lastName: SURNAME,
      email: Schema.decodeSync(Email)(`chloe.${tag}@example.org`),
      phone: Option.none(),
      line1: "4 rue des Lilas"
    })
    const login = yield* (yield* Sessions).logIn({ email: Option.getOrThrow(account.email),
      password: Redacted.make(PASSWORD) })
      .pipe(Effect.orDie)
    return { account, token: Redacted.value(login.token) }
  })

for (const db of databases) {
  describe(`privacy of people on the API [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("over real HTTP", (it) => {
      it.scoped("a member never receives another account's id nor a full last name; a référent's own flag hides nothing; staff streams carry only what is shared", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`privacy-${db.name}`)
          const chloe = yield* neighbour(world, db.name)
          const tokens = { ...world.tokens, chloe: chloe.token }
          type Who = keyof typeof tokens
          const everyone: ReadonlyArray<Account> = [...Object.values(world.accounts), chloe.account]
          const idOf = (
            who: Who
          ): AccountId => (who === "chloe" ? chloe.account.id : world.accounts[who as keyof World["accounts"]].id)

          /** The account ids and full surnames of others that appear in what `who` received. */
          const leaks = (who: Who, text: string) => [
            ...everyone.filter((a) => a.id !== idOf(who) && text.includes(a.id)).map((a) => `account ${a.lastName}`),
            ...(who !== "chloe" && text.includes(SURNAME) ? [`surname ${SURNAME}`] : [])
          ]
          const scanned: Array<string> = []
          /** One call as `who`, over HTTP: its answer, after checking the raw reply for others' ids. */
          const call = (who: Who, rpc: string, payload: unknown) =>
            Effect.gen(function*() {
              const reply = yield* postRaw(requestLine(rpc, payload), siteHeaders(`vigie_session=${tokens[who]}`))
              expect(reply.status).toBe(200)
              const text = JSON.stringify(reply.lines)
              expect({ who, rpc, leaks: leaks(who, text) }).toEqual({ who, rpc, leaks: [] })
              scanned.push(`${rpc} as ${who}`)
              return reply.lines[0]
            })
          const data = (who: Who, rpc: string, payload: unknown) =>
            Effect.map(call(who, rpc, payload), (line) => {
              const value = successOf(line)
              expect({ rpc, who, answered: value !== undefined }).toEqual({ rpc, who, answered: true })
              return value as Record<string, unknown>
            })

          /** The raw NDJSON lines of a live stream as `who` receives them, into a queue. */
          const watch = (who: Who) =>
            Effect.gen(function*() {
              const lines = yield* Queue.unbounded<string>()
              const http = yield* HttpClient.HttpClient
              // Forked whole: the reply's headers may wait for its first event.
              yield* http.execute(
                HttpClientRequest.post("/rpc").pipe(
                  HttpClientRequest.setHeaders(siteHeaders(`vigie_session=${tokens[who]}`)),
                  HttpClientRequest.bodyText(requestLine("WatchLiveEvents", {}), "application/ndjson")
                )
              ).pipe(
                Effect.flatMap((response) =>
                  response.stream.pipe(
                    Stream.decodeText(),
                    Stream.splitLines,
                    Stream.runForEach((line) => Queue.offer(lines, line))
                  )
                ),
                Effect.forkScoped
              )
              return lines
            })
          /** What arrived until a line naming `alertId` (included); fails after 20 s without it. */
          const until = (lines: Queue.Queue<string>, alertId: string) =>
            Effect.gen(function*() {
              const got: Array<string> = []
              while (!got.some((l) => l.includes(alertId))) got.push(yield* Queue.take(lines))
              return got
            }).pipe(Effect.timeoutFail({ duration: Duration.seconds(20), onTimeout: () =>
              new Error(`no event for ${alertId}`) }))

          // The streams are open before anything happens: each has received a mark on a shared alert.
          const watchers = { referentA: yield* watch("referentA"), mairie: yield* watch("mairie"),
            police: yield* watch("police") }
          const ready = new Set<string>()
          for (let i = 0; ready.size < 3 && i < 100; i++) {
            yield* data("chloe", i % 2 === 0 ? "MarkAlert" : "UnmarkAlert", { alertId: world.alertKept.id,
              kind: "seen" })
            for (const [who, lines] of Object.entries(watchers)) {
              if (ready.has(who)) continue
              const line = yield* Queue.take(lines).pipe(Effect.timeout(Duration.millis(200)), Effect.option)
              if (Option.isSome(line)) ready.add(who)
            }
          }
          expect(ready.size).toBe(3)

          // memberA posts an alert not shared with the authorities, a neighbour answers, then a shared one.
          const unshared = yield* data("memberA", "PostAlert", {
            scope: { _tag: "Community", communityId: world.communityA.id },
            category: "burglary",
            urgency: "urgent",
            text: "Tentative d'effraction rue des Lilas cette nuit",
            sharedWithAuthorities: false
          })
          expect(unshared).toMatchObject({ mine: true, status: "published" })
          yield* data("referentA", "MarkAlert", { alertId: unshared["id"], kind: "going" })
          const shared = yield* data("memberA", "PostAlert", {
            scope: { _tag: "Community", communityId: world.communityA.id },
            category: "fire_or_smoke",
            urgency: "urgent",
            text: "Fumée noire derrière le stade",
            sharedWithAuthorities: true
          })
          const unsharedId = unshared["id"] as string
          const sharedId = shared["id"] as string

          // The référent, a member of the quartier, is told of both; the mairie and the police only of the shared one.
          const toReferent = yield* until(watchers.referentA, sharedId)
          expect(toReferent.some((l) => l.includes(unsharedId))).toBe(true)
          expect(leaks("referentA", toReferent.join("\n"))).toEqual([])
          for (const staff of ["mairie", "police"] as const) {
            const got = yield* until(watchers[staff], sharedId)
            expect({ staff, unshared: got.filter((l) => l.includes(unsharedId)) }).toEqual({ staff, unshared: [] })
          }

          // The staff's inbox names the author as members do, never with their account id.
          for (const staff of ["mairie", "police"] as const) {
            const inbox = yield* data(staff, "ListAuthoritiesInbox", { insee: "33080", limit: 50 })
            const items = inbox["items"] as ReadonlyArray<{ readonly alert: Record<string, unknown> }>
            expect(items.map((i) => i.alert["id"])).toContain(sharedId)
            expect(items.map((i) => i.alert["id"])).not.toContain(unsharedId)
            const ours = items.find((i) => i.alert["id"] === sharedId)!
            expect(ours.alert).toMatchObject({ mine: false, authorName: "Test M." })
            expect(JSON.stringify(items)).not.toContain(world.accounts.memberA.id)
          }

          // Every member-facing answer, as each member: the feed, each alert, its marks and counts.
          const alertIds = [world.alertKept.id, world.alertToRetract.id, world.alertToResolve.id, unsharedId, sharedId]
          for (const who of ["memberA", "referentA", "chloe", "memberB"] as const) {
            const feed = yield* data(who, "ListAlerts", { limit: 50 })
            const listed = feed["alerts"] as ReadonlyArray<Record<string, unknown>>
            if (who === "memberB") expect(listed).toEqual([])
            else {
              expect(listed.map((a) => a["id"]).sort()).toEqual([...alertIds].sort())
              // Mine or not, named "Prénom I.", never the author's id.
              for (const a of listed) expect(a).toMatchObject({ mine: who === "memberA", authorName: "Test M." })
              expect(listed.every((a) => !("authorId" in a))).toBe(true)
            }
            for (const alertId of alertIds) {
              yield* call(who, "GetAlert", { alertId })
              yield* call(who, "GetAlertReactions", { alertId })
              yield* call(who, "GetAlertAcknowledgements", { alertId })
              yield* call(who, "GetMyAlertModeration", { alertId })
            }
            yield* call(who, "CountAlertReactions", { alertIds })
            for (const rpc of ["WhoAmI", "GetPreferences"]) yield* call(who, rpc, {})
            yield* call(who, "ListCommunities", { insee: "33080" })
            yield* call(who, "ListReferentInbox", { limit: 20 })
          }
          // Closing one's own alert answers it as its author receives it.
          expect(yield* data("memberA", "RetractAlert", { alertId: world.alertToRetract.id }))
            .toMatchObject({ mine: true, status: "retracted" })
          const marks = yield* data("chloe", "MarkAlert", { alertId: sharedId, kind: "going" })
          yield* data("referentA", "MarkAlert", { alertId: sharedId, kind: "going" })
          expect(marks["going"] as ReadonlyArray<unknown>).toEqual([
            expect.objectContaining({ name: `Chloé D.`, mine: true })
          ])
          const seenByAuthor = yield* data("memberA", "GetAlertReactions", { alertId: sharedId })
          expect((seenByAuthor["going"] as ReadonlyArray<Record<string, unknown>>).map((r) => [r["name"], r["mine"]]))
            .toEqual([["Chloé D.", false], ["Test R.", false]])

          // A référent flags an alert and tries to hide it on that flag alone: refused, nothing hidden.
          yield* data("referentA", "FlagAlert", { alertId: world.alertToResolve.id, reason: "personal_data" })
          const alone = yield* call("referentA", "HideAlertPendingReview", { alertId: world.alertToResolve.id,
            reason: "personal_data" })
          expect(failureTag(alone)).toBe("OwnFlagOnly")
          expect(yield* data("chloe", "GetAlert", { alertId: world.alertToResolve.id })).toMatchObject({
            status: "published"
          })
          // The référent's flags screen names nobody either.
          const flags = yield* data("referentA", "ListFlags", { limit: 20 })
          expect(flags["items"] as ReadonlyArray<unknown>).toHaveLength(1)
          // Another member's flag: now the référent may hide it pending a moderator.
          yield* data("chloe", "FlagAlert", { alertId: world.alertToResolve.id, reason: "personal_data",
            text: "Une plaque est lisible" })
          const hidden = yield* data("referentA", "HideAlertPendingReview", { alertId: world.alertToResolve.id,
            reason: "personal_data" })
          expect(hidden).toMatchObject({ hidden: { pendingReview: true } })
          expect(failureTag(yield* call("chloe", "GetAlert", { alertId: world.alertToResolve.id }))).toBe(
            "AlertNotFound"
          )

          // A référent welcoming a neighbour sees who waits, and is told the outcome, never their account.
          yield* data("referentA", "ListPendingMembers", { communityId: world.communityA.id })
          expect(yield* data("referentA", "VouchForMember", { membershipId: world.toVouchByReferent.id }))
            .toMatchObject({ membershipId: world.toVouchByReferent.id, status: "verified" })

          // An erased author is « Ancien membre » (and still never an id).
          yield* (yield* AccountRepo).setStatus(world.accounts.memberA.id, "erased")
          expect(yield* data("chloe", "GetAlert", { alertId: sharedId })).toMatchObject({ mine: false,
            authorName: "Ancien membre" })
          expect(scanned.length).toBeGreaterThan(80)
        }))
    })
  })
}
