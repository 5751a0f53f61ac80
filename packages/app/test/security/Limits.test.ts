import { describe, expect, it, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import {
  DEFAULT_VERIFICATION_SMS_LIMITS,
  type VerificationSmsLimits,
  VerificationSmsSettings
} from "@vigie/domain/channels/VerificationSms"
import { Array as Arr, Duration, Effect, HashMap, Layer, Logger } from "effect"
import { isEdgeLimitedRpc } from "../../src/http/EdgeGuard.js"
import { isSensitiveRpc, MAX_CALLS_PER_BODY, SENSITIVE_RPCS } from "../../src/http/RpcGate.js"
import { postRaw, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { Sent } from "../support/Recorders.js"
import { makeWorld, PASSWORD } from "../support/World.js"
import { Secrets } from "@vigie/domain/shared/Secrets"

/**
 * Issue 12, finding 1, replayed over real HTTP on both databases: every limit holds when its calls
 * arrive at once, in one POST /rpc body (as many as the gate allows) or in parallel requests.
 */

type Line = Record<string, unknown>

/** "data" when a call succeeded, else its typed error's tag ("defect" for anything untyped). */
const outcome = (line: Line): string => {
  const exit = line["exit"] as { _tag: string; cause?: { _tag?: string; error?: { _tag?: string } } } | undefined
  if (exit === undefined) return `not an exit: ${JSON.stringify(line)}`
  if (exit._tag === "Success") return "data"
  return exit.cause?._tag === "Fail" ? exit.cause.error?._tag ?? "defect" : "defect"
}

const tally = (tags: ReadonlyArray<string>) =>
  Object.fromEntries(Arr.dedupe(tags).sort().map((t) => [t, tags.filter((x) => x === t).length]))

const line = (tag: string, payload: unknown, id: string) =>
  JSON.stringify({ _tag: "Request", id, tag, payload, headers: [] }) + "\n"

const cookieOf = (token: string | undefined) => `vigie_session=${token}`

/** The failures counted against an e-mail's login key (anonymous devices). */
const failuresOf = (email: string) =>
  Effect.gen(function*() {
    const key = yield* (yield* Secrets).keyedHash("login_key", email)
    const [row] = yield* (yield* SqlClient.SqlClient)<
      { failures: number }
    >`SELECT failures FROM login_failures WHERE login_key = ${Buffer.from(key)}`
    return row?.failures ?? 0
  })

/**
 * Makes the e-mail's anonymous counter a long run of recent failures (12: a 15-minute wait), so that
 * what follows does not depend on how fast the machine is.
 */
const longThrottle = (email: string) =>
  Effect.gen(function*() {
    const key = yield* (yield* Secrets).keyedHash("login_key", email)
    yield* (yield* SqlClient
      .SqlClient)`UPDATE login_failures SET failures = 12, last_failure_at = now() WHERE login_key = ${
      Buffer.from(key)
    }`
  })

/** One body carrying `calls`, the session's cookie: the outcomes of its calls, in the order sent. */
const inOneBody = (cookie: string | undefined, calls: ReadonlyArray<readonly [string, unknown]>) =>
  Effect.gen(function*() {
    const body = calls.map(([tag, payload], i) => line(tag, payload, String(i + 1))).join("")
    const reply = yield* postRaw(body, siteHeaders(cookie))
    expect(reply.status).toBe(200)
    const exits = reply.lines.filter((l) => l["_tag"] === "Exit")
    return calls.map((_, i) => outcome(exits.find((l) => l["requestId"] === String(i + 1)) ?? {}))
  })

/** `n` requests at once, one call each. */
const inParallel = (cookie: string | undefined, n: number, call: (i: number) => readonly [string, unknown]) =>
  Effect.all(Arr.makeBy(n, (i) => Effect.map(inOneBody(cookie, [call(i)]), (o) => o[0]!)), { concurrency: "unbounded" })

const refusedWhole = (cookie: string | undefined, calls: ReadonlyArray<readonly [string, unknown]>) =>
  Effect.gen(function*() {
    const reply = yield* postRaw(
      calls.map(([tag, payload], i) => line(tag, payload, String(i + 1))).join(""),
      siteHeaders(cookie)
    )
    expect(reply.status).toBe(400)
    return reply.lines[0]
  })

describe("the RPC gate's sensitive calls", () => {
  it("are log-in, registration, phone codes, activation letters, every password-reset call and every call that tries a password, a code or a link", () => {
    expect([...SENSITIVE_RPCS].sort()).toStrictEqual([
      "AcceptStaffInvitation",
      "ChangePassword",
      "ClaimAccount",
      "CompleteSignIn",
      "ConfirmActivationCode",
      "ConfirmEmailChange",
      "ConfirmPhoneCode",
      "ConfirmTotpEnrolment",
      "EraseMyAccount",
      "LogIn",
      "Register",
      "RegisterPaperNeighbour",
      "RegisterWithProposal",
      "RequestAccountClaim",
      "RequestActivationLetter",
      "RequestEmailChange",
      "RequestPhoneCode"
    ])
    for (
      const tag of ["RequestPasswordReset", "RequestPasswordResetCode", "CompletePasswordReset",
        "CompletePasswordResetByCode"]
    ) {
      expect(isSensitiveRpc(tag)).toBe(true)
    }
    for (const tag of ["WhoAmI", "PostAlert", "ListAlerts", "BeginTotpEnrolment"]) {
      expect(isSensitiveRpc(tag)).toBe(false)
    }
  })

  it("the edge limits count every call made without a session that tries a secret", () => {
    for (
      const tag of ["LogIn", "Register", "RequestPhoneCode", "ConfirmPhoneCode", "CompleteSignIn",
        "AcceptStaffInvitation", "ConfirmEmailChange", "RequestPasswordReset", "CompletePasswordResetByCode",
        "RequestAccountClaim", "ClaimAccount"]
    ) {
      expect(isEdgeLimitedRpc(tag)).toBe(true)
    }
    for (const tag of ["WhoAmI", "ListAlerts", "PostAlert"]) expect(isEdgeLimitedRpc(tag)).toBe(false)
  })
})

for (const db of databases) {
  describe(`limits under concurrency [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(180) })("over real HTTP", (it) => {
      it.effect("the gate refuses, as a whole and before anything runs, more than 4 calls, two sensitive calls, or calls with their own headers", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gate-${db.name}`)
          const email = world.emails.memberB
          const five = Arr.makeBy(MAX_CALLS_PER_BODY + 1, () => ["WhoAmI", {}] as const)
          expect(yield* refusedWhole(cookieOf(world.tokens.memberB), five)).toMatchObject({ _tag: "BatchRefused",
            reason: "too_many_calls", maxCalls: 4 })
          const twoLogIns = [["LogIn", { email, password: "wrong one" }], ["LogIn", { email,
            password: PASSWORD }]] as const
          expect(yield* refusedWhole(undefined, twoLogIns)).toMatchObject({ _tag: "BatchRefused",
            reason: "too_many_sensitive_calls" })
          const mixed = [["RequestPhoneCode", { phone: "06 39 98 10 01" }], ["RequestActivationLetter", {
            membershipId: world.pendingMembership.id
          }]] as const
          expect(yield* refusedWhole(cookieOf(world.tokens.pending), mixed)).toMatchObject({
            reason: "too_many_sensitive_calls"
          })
          // Two tries of a password or a code in one body, whatever the call: refused, nothing tried.
          const memberA = cookieOf(world.tokens.memberA)
          const twoErasures = [["EraseMyAccount", { password: "wrong one" }], ["EraseMyAccount", {
            password: PASSWORD
          }]] as const
          expect(yield* refusedWhole(memberA, twoErasures)).toMatchObject({ reason: "too_many_sensitive_calls" })
          const changeAndErase = [["ChangePassword", { currentPassword: "wrong one",
            newPassword: "une toute nouvelle phrase" }], ["EraseMyAccount", { password: PASSWORD }]] as const
          expect(yield* refusedWhole(memberA, changeAndErase)).toMatchObject({ reason: "too_many_sensitive_calls" })
          const twoSecondSteps = [["CompleteSignIn", { challenge: "bm9ib2R5cy1jaGFsbGVuZ2U", code: "000000" }], [
            "AcceptStaffInvitation",
            { token: "bm9ib2R5cy1pbnZpdGF0aW9u", password: "une phrase de passe assez longue" }
          ]] as const
          expect(yield* refusedWhole(undefined, twoSecondSteps)).toMatchObject({ reason: "too_many_sensitive_calls" })
          expect(
            yield* refusedWhole(cookieOf(world.tokens.pending), [["ConfirmActivationCode", {
              membershipId: world.pendingMembership.id,
              code: "0000-0000-00"
            }], ["ConfirmPhoneCode", { code: "000000" }]])
          )
            .toMatchObject({ reason: "too_many_sensitive_calls" })
          expect(yield* inOneBody(memberA, [["WhoAmI", {}]])).toStrictEqual(["data"])
          // A call's own headers would be merged into the request the handlers see: refused.
          const smuggled =
            JSON.stringify({ _tag: "Request", id: "1", tag: "WhoAmI", payload: {},
              headers: [["x-vigie-client-ip", "10.9.9.9"]] }) + "\n"
          const withHeaders = yield* postRaw(smuggled, siteHeaders(cookieOf(world.tokens.memberB)))
          expect(withHeaders.status).toBe(400)
          expect(withHeaders.lines[0]).toMatchObject({ _tag: "BatchRefused", reason: "call_headers" })
          // Nothing of the refused bodies ran: no failure was counted, the right password logs in.
          expect(yield* inOneBody(undefined, [["LogIn", { email, password: PASSWORD }], ["WhoAmI", {}]])).toStrictEqual(
            ["data", "Unauthenticated"]
          )
          // The largest body allowed runs: four calls, one of them sensitive.
          expect(
            yield* inOneBody(cookieOf(world.tokens.memberB), [["WhoAmI", {}], ["WhoAmI", {}], ["WhoAmI", {}], ["LogIn",
              { email, password: PASSWORD }]])
          )
            .toStrictEqual(["data", "data", "data", "data"])
        }))

      it.effect("8 simultaneous wrong passwords: 3 are tried and counted, the others wait", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`login-${db.name}`)
          const email = world.emails.memberA
          const outcomes = yield* inParallel(undefined, 8, (i) => ["LogIn", { email, password: `wrong guess ${i}` }])
          expect(tally(outcomes)).toStrictEqual({ InvalidCredentials: 3, LoginThrottled: 5 })
          // Every try made was counted before its Argon2 verification: none is lost to the race.
          expect(yield* failuresOf(email)).toBe(3)
        }))

      it.effect("the owner's browser, known by its device cookie, logs in while someone else's failures throttle everyone else", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`device-${db.name}`)
          const email = world.emails.memberA
          const first = yield* postRaw(line("LogIn", { email, password: PASSWORD }, "1"))
          expect(outcome(first.lines[0]!)).toBe("data")
          const setCookies = first.setCookie.join("\n")
          const device = /vigie_device=([A-Za-z0-9_-]+)/.exec(setCookies)?.[1]
          expect(device).toBeDefined()
          expect(setCookies).toMatch(/vigie_device=[^\n]*HttpOnly/)
          expect(setCookies).toMatch(/vigie_device=[^\n]*Max-Age=31536000/)
          const sql = yield* SqlClient.SqlClient
          // Stored only as its keyed hash, bound to the account.
          const [stored] = yield* sql<{ n: number; raw: number }>`SELECT count(*)::int AS n,
              count(*) FILTER (WHERE token_hash = convert_to(${device!}, 'UTF8'))::int AS raw
            FROM login_devices WHERE account_id = ${world.accounts.memberA.id}`
          expect(stored!.n).toBeGreaterThan(0)
          expect(stored!.raw).toBe(0)
          // Someone else guesses from elsewhere: throttled, and so is anyone without the device.
          expect(tally(yield* inParallel(undefined, 6, (i) => ["LogIn", { email, password: `guess ${i}` }])))
            .toStrictEqual({ InvalidCredentials: 3, LoginThrottled: 3 })
          yield* longThrottle(email)
          expect(yield* inOneBody(undefined, [["LogIn", { email, password: PASSWORD }]])).toStrictEqual([
            "LoginThrottled"
          ])
          // The owner's browser is not delayed, and is not given a second device cookie.
          const owner = yield* postRaw(
            line("LogIn", { email, password: PASSWORD }, "1"),
            siteHeaders(`vigie_device=${device}`)
          )
          expect(outcome(owner.lines[0]!)).toBe("data")
          expect(owner.setCookie.join("\n")).not.toMatch(/vigie_device=/)
          // The device cookie is bound to its account: it lifts nobody else's throttle.
          const other = world.emails.memberB
          yield* inParallel(undefined, 5, (i) => ["LogIn", { email: other, password: `guess ${i}` }])
          yield* longThrottle(other)
          const stranger = yield* postRaw(
            line("LogIn", { email: other, password: PASSWORD }, "1"),
            siteHeaders(`vigie_device=${device}`)
          )
          expect(outcome(stranger.lines[0]!)).toBe("LoginThrottled")
        }))

      it.effect("6 simultaneous phone-code requests send exactly one SMS", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`phone-${db.name}`)
          const cookie = cookieOf(world.tokens.memberB)
          const phone = db.name === "pglite" ? "06 39 98 20 01" : "06 39 98 20 02"
          const outcomes = yield* inParallel(cookie, 6, () => ["RequestPhoneCode", { phone }])
          expect(tally(outcomes)).toStrictEqual({ TooManyCodeRequests: 5, data: 1 })
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<
            { n: number }
          >`SELECT count(*)::int AS n FROM phone_verifications WHERE account_id = ${world.accounts.memberB.id}`
          expect(row?.n).toBe(1)
        }))

      it.effect("6 simultaneous activation-letter requests write exactly 3 letters (3 per 30 days)", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`letters-${db.name}`)
          const outcomes = yield* inParallel(
            cookieOf(world.tokens.pending),
            6,
            () => ["RequestActivationLetter", { membershipId: world.pendingMembership.id }]
          )
          expect(tally(outcomes)).toStrictEqual({ TooManyCodeRequests: 3, data: 3 })
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM address_verifications
            WHERE membership_id = ${world.pendingMembership.id} AND method = 'letter'`
          expect(row?.n).toBe(3)
        }))

      const alert = (communityId: string, i: number) =>
        ["PostAlert", {
          scope: { _tag: "Community", communityId },
          category:
            (["suspicious_vehicle", "suspicious_person", "fire_or_smoke", "road_danger", "other"] as const)[i % 5],
          urgency: "info",
          text: ["Camionnette blanche qui tourne", "Chien errant rue des Lilas", "Fumée derrière l'école",
            "Nid-de-poule énorme avenue Foch", "Portail ouvert au numéro 12", "Volets fermés depuis une semaine",
            "Scooter abandonné au parc", "Lampadaire tombé"][i]!,
          sharedWithAuthorities: false
        }] as const

      it.effect("alerts in one body: the burst hold fires on the 4th, and the next body goes past 5 an hour only as refusals", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`alerts-body-${db.name}`)
          const cookie = cookieOf(world.tokens.referentA)
          const communityId = world.communityA.id
          expect(yield* inOneBody(cookie, Arr.makeBy(4, (i) => alert(communityId, i)))).toStrictEqual(["data", "data",
            "data", "data"])
          expect(yield* refusedWhole(cookie, Arr.makeBy(5, (i) => alert(communityId, i)))).toMatchObject({
            reason: "too_many_calls"
          })
          expect(tally(yield* inOneBody(cookie, Arr.makeBy(4, (i) => alert(communityId, i + 4))))).toStrictEqual({
            AlertRateLimited: 3,
            data: 1
          })
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<
            { status: string }
          >`SELECT status FROM alerts WHERE author_id = ${world.accounts.referentA.id} ORDER BY created_at, id`
          // New member: the first two held; the 4th and 5th within 30 minutes held as a burst.
          expect(rows.map((r) => r.status)).toStrictEqual(["held_for_review", "held_for_review", "published",
            "held_for_review", "held_for_review"])
        }))

      it.effect("8 alerts in parallel requests: exactly 5 are written, and the bursts are held", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`alerts-parallel-${db.name}`)
          const outcomes = yield* inParallel(cookieOf(world.tokens.referentA), 8, (i) => alert(world.communityA.id, i))
          expect(tally(outcomes)).toStrictEqual({ AlertRateLimited: 3, data: 5 })
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<
            { status: string }
          >`SELECT status FROM alerts WHERE author_id = ${world.accounts.referentA.id}`
          expect(tally(rows.map((r) => r.status))).toStrictEqual({ held_for_review: 4, published: 1 })
        }))

      it.effect("a member flags an alert once, however many flags arrive at once", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`flags-${db.name}`)
          const flag = ["FlagAlert", { alertId: world.alertKept.id, reason: "personal_data",
            text: "Une plaque est lisible" }] as const
          expect(tally(yield* inOneBody(cookieOf(world.tokens.referentA), Arr.makeBy(4, () => flag)))).toStrictEqual({
            AlreadyFlagged: 3,
            data: 1
          })
          expect(tally(yield* inParallel(cookieOf(world.tokens.mairie), 6, () => flag))).toStrictEqual({
            AlreadyFlagged: 5,
            data: 1
          })
        }))

      it.effect("an author appeals a hiding once, however many appeals arrive at once", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`appeals-${db.name}`)
          const moderator = cookieOf(world.tokens.moderator)
          for (const alertId of [world.alertKept.id, world.alertToRetract.id]) {
            expect(
              yield* inOneBody(moderator, [["HideAlert", { alertId, reason: "other",
                details: "Doublon d'une autre alerte" }]])
            ).toStrictEqual(["data"])
          }
          const appeal = (alertId: string) =>
            ["AppealHiding", { alertId, text: "La plaque était celle de ma propre voiture." }] as const
          const author = cookieOf(world.tokens.memberA)
          expect(tally(yield* inOneBody(author, Arr.makeBy(4, () => appeal(world.alertKept.id))))).toStrictEqual({
            AlreadyAppealed: 3,
            data: 1
          })
          expect(tally(yield* inParallel(author, 6, () => appeal(world.alertToRetract.id)))).toStrictEqual({
            AlreadyAppealed: 5,
            data: 1
          })
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<
            { n: number }
          >`SELECT count(*)::int AS n FROM moderation_appeals WHERE author_id = ${world.accounts.memberA.id}`
          expect(row?.n).toBe(2)
        }))

      it.effect("two confirmations that the month's SMS budget pays only one of: exactly one is sent", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`budget-${db.name}`)
          const sql = yield* SqlClient.SqlClient
          const cookie = cookieOf(world.tokens.mairie)
          // Two residents reachable by SMS: every town alert costs SMS.
          yield* sql`UPDATE accounts SET phone = '+33639983001', phone_verified = true WHERE id = ${world.accounts.memberA.id}`
          yield* sql`UPDATE accounts SET phone = '+33639983002', phone_verified = true WHERE id = ${world.accounts.memberB.id}`
          const preview = (text: string) =>
            Effect.gen(function*() {
              const reply = yield* postRaw(
                line("PreviewTownAlert", { insee: "33080", category: "weather", urgency: "urgent", text }, "1"),
                siteHeaders(cookie)
              )
              return (reply.lines[0]!["exit"] as { value: { previewToken: string; sms: number; smsSegments: number } })
                .value
            })
          const tokens = [yield* preview("Vigilance orange orages"), yield* preview("Coupure d'eau demain matin"),
            yield* preview("Route de Bordeaux fermée"), yield* preview("Marché annulé samedi")]
          const cost = Math.max(...tokens.map((t) => t.sms * t.smsSegments))
          expect(cost).toBeGreaterThan(0)
          // Room for exactly one of them this month.
          yield* sql`INSERT INTO commune_budgets (insee, monthly_sms_segments) VALUES ('33080', ${cost})
            ON CONFLICT (insee) DO UPDATE SET monthly_sms_segments = excluded.monthly_sms_segments`
          const confirm = (t: { previewToken: string }) =>
            ["ConfirmTownAlert", { previewToken: t.previewToken }] as const
          expect(tally(yield* inOneBody(cookie, tokens.slice(0, 2).map(confirm)))).toStrictEqual({ BudgetExceeded: 1,
            data: 1 })
          yield* sql`UPDATE commune_budgets SET monthly_sms_segments = ${cost * 2} WHERE insee = '33080'`
          expect(
            tally(
              yield* Effect.all(tokens.slice(2).map((t) => Effect.map(inOneBody(cookie, [confirm(t)]), (o) => o[0]!)), {
                concurrency: "unbounded"
              })
            )
          )
            .toStrictEqual({ BudgetExceeded: 1, data: 1 })
        }))

      it.effect("bulletins to référents are paid from the month's SMS budget: 4 at once with room for 2 send exactly 2", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`bulletins-${db.name}`)
          const sql = yield* SqlClient.SqlClient
          const cookie = cookieOf(world.tokens.mairie)
          yield* sql`UPDATE accounts SET phone = '+33639983003', phone_verified = true WHERE id = ${world.accounts.referentA.id}`
          const used = () =>
            Effect.map(
              sql<
                { n: number }
              >`SELECT (coalesce((SELECT sum(billed_segments) FROM town_alerts WHERE insee = '33080'), 0)
              + coalesce((SELECT sum(billed_segments) FROM referent_bulletins WHERE insee = '33080'), 0))::int AS n`,
              (rows) => rows[0]!.n
            )
          const setBudget = (segments: number) =>
            sql`INSERT INTO commune_budgets (insee, monthly_sms_segments) VALUES ('33080', ${segments})
              ON CONFLICT (insee) DO UPDATE SET monthly_sms_segments = excluded.monthly_sms_segments`
          const bulletin = (i: number) =>
            ["SendReferentBulletin", { insee: "33080", communityIds: [world.communityA.id],
              text: `Réunion publique n° ${i} jeudi` }] as const
          const before = yield* used()
          yield* setBudget(before)
          expect(yield* inOneBody(cookie, [bulletin(0)])).toStrictEqual(["BudgetExceeded"])
          const [none] = yield* sql<
            { n: number }
          >`SELECT count(*)::int AS n FROM referent_bulletins WHERE text LIKE 'Réunion publique n° 0%'`
          expect(none?.n).toBe(0)
          yield* setBudget(before + 2)
          expect(tally(yield* inOneBody(cookie, Arr.makeBy(4, (i) => bulletin(i + 1))))).toStrictEqual({
            BudgetExceeded: 2,
            data: 2
          })
          expect(yield* used()).toBe(before + 2)
          yield* setBudget(before + 4)
          expect(tally(yield* inParallel(cookie, 4, (i) => bulletin(i + 5)))).toStrictEqual({ BudgetExceeded: 2,
            data: 2 })
          expect(yield* used()).toBe(before + 4)
        }))
    })
  })

  /** The error lines "verification SMS budget reached" the server logged, with their annotations. */
  const budgetLines: Array<Record<string, unknown>> = []
  const budgetLogger = Logger.make(({ annotations, logLevel, message }) => {
    const text = Array.isArray(message) ? message.join(" ") : String(message)
    if (logLevel._tag === "Error" && text.includes("verification SMS budget reached")) {
      budgetLines.push(Object.fromEntries(HashMap.toEntries(annotations)))
    }
  })

  const withLimits = (limits: Partial<VerificationSmsLimits>) =>
    serverLayer(db).pipe(
      Layer.provide(Layer.succeed(VerificationSmsSettings, { ...DEFAULT_VERIFICATION_SMS_LIMITS, ...limits }))
    )

  describe(`SMS fraud [${db.name}]`, () => {
    layer(withLimits({ perAddressPerDay: 2 }), { excludeTestServices: true, timeout: Duration.seconds(180) })(
      "per address",
      (it) => {
        it.effect("codes go only to French mobiles, metropolitan or overseas: a +44 number is refused and nothing is sent", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`country-${db.name}`)
            const cookie = cookieOf(world.tokens.memberA)
            expect(yield* inOneBody(cookie, [["RequestPhoneCode", { phone: "+44 7911 123456" }]])).toStrictEqual([
              "PhoneCountryNotAllowed"
            ])
            expect(yield* inOneBody(cookie, [["RequestPhoneCode", { phone: "+32 470 12 34 56" }]])).toStrictEqual([
              "PhoneCountryNotAllowed"
            ])
            const sql = yield* SqlClient.SqlClient
            const [row] = yield* sql<
              { n: number }
            >`SELECT count(*)::int AS n FROM phone_verifications WHERE account_id = ${world.accounts.memberA.id}`
            expect(row?.n).toBe(0)
            // La Réunion's mobiles are French mobiles.
            expect(yield* inOneBody(cookie, [["RequestPhoneCode", { phone: "+262 692 12 34 56" }]])).toStrictEqual([
              "data"
            ])
            // Nor can one register with such a number.
            const register = (phone: string) =>
              ["Register", {
                firstName: "Camille",
                lastName: "Durand",
                email: `camille.${phone.length}.${db.name}@example.org`,
                phone,
                password: "trois petits chats gris",
                communityId: world.communityA.id,
                address: { line1: "9 allée des Saules", postcode: "33140", city: "Cadaujac" }
              }] as const
            expect(yield* inOneBody(undefined, [register("+44 7911 123456")])).toStrictEqual(["PhoneCountryNotAllowed"])
            expect(yield* inOneBody(undefined, [register("06 39 98 60 01")])).toStrictEqual(["data"])
          }))

        it.effect("3 accounts asking at once from one address: the address's daily budget (2 here) sends exactly 2", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`address-${db.name}`)
            // Earlier tests of this suite called from this address too: their SMS are from two days ago.
            yield* (yield* SqlClient.SqlClient)`UPDATE verification_sms SET created_at = created_at - interval '2 days'`
            const callers = [world.tokens.memberB, world.tokens.referentA, world.tokens.mairie]
            const outcomes = yield* Effect.all(
              callers.map((token, i) =>
                Effect.map(
                  inOneBody(cookieOf(token), [["RequestPhoneCode", { phone: `06 39 98 40 0${i}` }]]),
                  (o) => o[0]!
                )
              ),
              { concurrency: "unbounded" }
            )
            expect(tally(outcomes)).toStrictEqual({ SmsBudgetReached: 1, data: 2 })
          }))
      }
    )

    layer(withLimits({ platformPerDay: 2, perAddressPerDay: 100 }).pipe(Layer.provide(Logger.add(budgetLogger))), {
      excludeTestServices: true,
      timeout: Duration.seconds(180)
    })("platform", (it) => {
      it.effect("4 accounts asking at once: the platform's daily budget (2 here) sends exactly 2; an account without a verified address gets 2 codes in all", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`platform-${db.name}`)
          const callers = [world.tokens.memberA, world.tokens.memberB, world.tokens.referentA, world.tokens.police]
          const outcomes = yield* Effect.all(
            callers.map((token, i) =>
              Effect.map(
                inOneBody(cookieOf(token), [["RequestPhoneCode", { phone: `06 39 98 50 0${i}` }]]),
                (o) => o[0]!
              )
            ),
            { concurrency: "unbounded" }
          )
          expect(tally(outcomes)).toStrictEqual({ SmsBudgetReached: 2, data: 2 })
          const sql = yield* SqlClient.SqlClient
          const [sent] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM verification_sms`
          expect(sent?.n).toBe(2)
          // Yesterday's SMS leave the day's budget; the pending member (no verified address) had 2 codes last week.
          yield* sql`UPDATE verification_sms SET created_at = created_at - interval '2 days'`
          yield* sql`UPDATE phone_verifications SET created_at = created_at - interval '2 days'`
          yield* sql`INSERT INTO verification_sms (account_id, client_key, purpose, created_at)
            SELECT ${world.accounts.pending.id}, '\\x00'::bytea, 'phone_code', now() - interval '7 days' FROM generate_series(1, 2)`
          expect(yield* inOneBody(cookieOf(world.tokens.pending), [["RequestPhoneCode", { phone: "06 39 98 50 09" }]]))
            .toStrictEqual(["AddressNotVerifiedYet"])
          expect(yield* inOneBody(cookieOf(world.tokens.memberA), [["RequestPhoneCode", { phone: "06 39 98 50 00" }]]))
            .toStrictEqual(["data"])
        }))

      it.effect("password-reset codes spend the same budgets: 3 asked at once, the platform's 2 are sent, every answer the same", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`reset-sms-${db.name}`)
          const sql = yield* SqlClient.SqlClient
          const sent = yield* Sent
          // The day's budget starts empty: earlier SMS of this suite are from two days ago.
          yield* sql`UPDATE verification_sms SET created_at = created_at - interval '2 days'`
          const owners = [world.accounts.memberA, world.accounts.memberB, world.accounts.referentA]
          const phones = ["+33639985101", "+33639985102", "+33639985103"]
          for (const [i, owner] of owners.entries()) {
            yield* sql`UPDATE accounts SET phone = ${phones[i]!}, phone_verified = true WHERE id = ${owner.id}`
          }
          const outcomes = yield* inParallel(undefined, 3, (i) => ["RequestPasswordResetCode", { phone: phones[i]! }])
          expect(outcomes).toStrictEqual(["data", "data", "data"])
          const [ledger] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM verification_sms
            WHERE purpose = 'password_reset' AND created_at > now() - interval '1 day'`
          expect(ledger?.n).toBe(2)
          const [resets] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM password_resets
            WHERE channel = 'sms' AND account_id IN ${sql.in(owners.map((o) => o.id))}`
          expect(resets?.n).toBe(2)
          yield* Effect.sleep(Duration.millis(300))
          expect(sent.sms.filter((m) => m.destinations.some((d) => phones.includes(d)))).toHaveLength(2)
          // Over budget, a known number and an unknown one get the same answer, and nothing is sent.
          expect(yield* inOneBody(undefined, [["RequestPasswordResetCode", { phone: "06 39 98 51 09" }]]))
            .toStrictEqual(["data"])
          yield* sql`UPDATE account_quotas SET last_at = last_at - interval '2 minutes'`
          const before = sent.sms.length
          expect(yield* inOneBody(undefined, [["RequestPasswordResetCode", { phone: phones[0]! }]])).toStrictEqual([
            "data"
          ])
          yield* Effect.sleep(Duration.millis(300))
          expect(sent.sms.length).toBe(before)
          // Each refusal left an error line naming the budget and the purpose.
          expect(budgetLines.filter((l) => l["purpose"] === "password_reset").map((l) => l["budget"])).toStrictEqual([
            "platform",
            "platform",
            "platform"
          ])
          // And a phone code asked by a member finds the platform's budget spent by the resets.
          expect(yield* inOneBody(cookieOf(world.tokens.police), [["RequestPhoneCode", { phone: "06 39 98 51 08" }]]))
            .toStrictEqual(["SmsBudgetReached"])
        }))
    })
  })
}
