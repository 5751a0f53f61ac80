import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import * as OtpAuthTotp from "@vigie/adapters/auth/OtpAuthTotp"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { AccountRepo as Accounts } from "@vigie/domain/accounts/AccountRepo"
import { PasswordHasher } from "@vigie/domain/accounts/PasswordHasher"
import { StaffAccounts } from "@vigie/domain/mairie/StaffAccounts"
import { Email } from "@vigie/domain/shared/Text"
import { Duration, Effect, Option, Redacted, Schema } from "effect"
import { postRaw, requestLine, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { CADAUJAC, PASSWORD } from "../support/World.js"

interface Answer {
  /** "data", or the `_tag` of the typed failure. */
  readonly outcome: string
  readonly value: any
  readonly cookie: string | undefined
}

const outcomeOf = (exit: any): { outcome: string; value: any } =>
  exit?._tag === "Success"
    ? { outcome: "data", value: exit.value }
    : { outcome: exit?.cause?._tag === "Fail" ? exit.cause.error._tag : `DEFECT ${JSON.stringify(exit)}`,
      value: exit?.cause?.error }

/** Several calls in one POST /rpc body; their answers in the order sent. */
const batch = (calls: ReadonlyArray<readonly [string, unknown]>, cookie?: string) =>
  Effect.gen(function*() {
    const body = calls.map(([tag, payload], i) => requestLine(tag, payload, String(i + 1))).join("\n") + "\n"
    const reply = yield* postRaw(body, siteHeaders(cookie))
    const cookieOf = reply.setCookie.map((c) => c.split(";")[0]!).find((c) =>
      c.startsWith("vigie_session=") && c !== "vigie_session="
    )
    return calls.map((_, i): Answer => {
      const line = reply.lines.find((l) => l["_tag"] === "Exit" && String(l["requestId"]) === String(i + 1))
      return { ...outcomeOf(line?.["exit"]), cookie: cookieOf }
    })
  })

const call = (tag: string, payload: unknown, cookie?: string) =>
  Effect.map(batch([[tag, payload]], cookie), (answers) => answers[0]!)

const totp = OtpAuthTotp.make
/** Six digits that are not the code of the previous, current or next 30-second step. */
const wrongTotp = (secret: string) => {
  const now = Date.now()
  const valid = [-30_000, 0, 30_000, 60_000].map((d) => totp.codeAt(secret, now + d))
  let n = 123456
  while (valid.includes(String(n).padStart(6, "0"))) n = (n + 1) % 1_000_000
  return String(n).padStart(6, "0")
}

const INBOX = { insee: "33080", limit: 20 }

/** A new mairie agent of Cadaujac with a password and no second factor yet. */
const newAgent = (tag: string) =>
  Effect.gen(function*() {
    const accounts = yield* Accounts
    const hasher = yield* PasswordHasher
    const email = Schema.decodeSync(Email)(`agent.${tag}.${crypto.randomUUID().slice(0, 8)}@mairie-cadaujac.fr`)
    const account = yield* accounts.insert({
      firstName: "Agent",
      lastName: tag,
      email: Option.some(email),
      phone: Option.none(),
      phoneVerified: false,
      passwordHash: Option.some(yield* hasher.hash(Redacted.make(PASSWORD))),
      staffRoles: [{ _tag: "MairieAgent", insee: CADAUJAC }]
    }).pipe(Effect.orDie)
    return { account, email }
  })

/** A mairie agent who signed in and enrolled over HTTP: its secret, the code used, its recovery codes. */
const enrolledAgent = (tag: string) =>
  Effect.gen(function*() {
    const { account, email } = yield* newAgent(tag)
    const login = yield* call("LogIn", { email, password: PASSWORD })
    expect(login.outcome).toBe("data")
    const cookie = login.cookie!
    const enrolment = yield* call("BeginTotpEnrolment", {}, cookie)
    const secret = enrolment.value.secret as string
    const code = totp.codeAt(secret, Date.now())
    const confirmed = yield* call("ConfirmTotpEnrolment", { code }, cookie)
    expect(confirmed.outcome).toBe("data")
    return { account, email, secret, code, recoveryCodes: confirmed.value.codes as ReadonlyArray<string>, cookie }
  })

const challengeOf = (answer: Answer) => {
  expect(answer.outcome).toBe("SecondFactorRequired")
  expect(answer.cookie).toBeUndefined()
  return answer.value.challenge as string
}

for (const db of databases) {
  describe(`staff sign-in over real HTTP [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("issue 12, item 8", (it) => {
      it.effect("a staff account without its second factor can do nothing but enrol; the secret is shown once and stored sealed", () =>
        Effect.gen(function*() {
          const { account, email } = yield* newAgent("unenrolled")
          const login = yield* call("LogIn", { email, password: PASSWORD })
          expect(login.outcome).toBe("data")
          const cookie = login.cookie!
          for (
            const [tag, payload] of [
              ["ListAuthoritiesInbox", INBOX],
              ["GetCommuneStatistics", { insee: "33080" }],
              ["PreviewTownAlert", { insee: "33080", category: "weather", urgency: "urgent",
                text: "Vigilance orange orages" }],
              ["ListAlerts", { limit: 20 }],
              ["GetPreferences", {}]
            ] as const
          ) {
            expect((yield* call(tag, payload, cookie)).outcome, tag).toBe("SecondFactorEnrolmentRequired")
          }
          expect((yield* call("WhoAmI", {}, cookie)).outcome).toBe("data")
          expect((yield* call("GetSecondFactorStatus", {}, cookie)).value).toMatchObject({ required: true,
            enrolled: false })

          const enrolment = yield* call("BeginTotpEnrolment", {}, cookie)
          expect(enrolment.outcome).toBe("data")
          const secret = enrolment.value.secret as string
          expect(secret).toMatch(/^[A-Z2-7]{32}$/)
          expect(enrolment.value.uri).toMatch(/^otpauth:\/\/totp\/Vigie:.*secret=/)
          const wrong = yield* call("ConfirmTotpEnrolment", { code: wrongTotp(secret) }, cookie)
          expect(wrong.outcome).toBe("WrongSecondFactorCode")
          expect((yield* call("ListAuthoritiesInbox", INBOX, cookie)).outcome).toBe("SecondFactorEnrolmentRequired")

          const confirmed = yield* call("ConfirmTotpEnrolment", { code: totp.codeAt(secret, Date.now()) }, cookie)
          expect(confirmed.outcome).toBe("data")
          const codes = confirmed.value.codes as ReadonlyArray<string>
          expect(codes).toHaveLength(10)
          expect(new Set(codes).size).toBe(10)
          expect((yield* call("ListAuthoritiesInbox", INBOX, cookie)).outcome).toBe("data")
          expect((yield* call("GetSecondFactorStatus", {}, cookie)).value).toMatchObject({ enrolled: true,
            recoveryCodesLeft: 10 })
          // Never shown again, and not readable from a copy of the database.
          expect((yield* call("BeginTotpEnrolment", {}, cookie)).outcome).toBe("AlreadyEnrolled")
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<
            { sealed_secret: Uint8Array }
          >`SELECT sealed_secret FROM second_factors WHERE account_id = ${account.id}`
          expect(Buffer.from(rows[0]!.sealed_secret).toString("latin1")).not.toContain(secret)
          const stored = yield* sql<
            { code_hash: Uint8Array }
          >`SELECT code_hash FROM recovery_codes WHERE account_id = ${account.id}`
          expect(stored).toHaveLength(10)
          for (const row of stored) expect(Buffer.from(row.code_hash).toString("latin1")).not.toMatch(/[0-9A-Z]{4}-/)
        }))

      it.effect("after the password, no session until a code: a TOTP code serves once, a recovery code once, the challenge once", () =>
        Effect.gen(function*() {
          const agent = yield* enrolledAgent("second-step")
          const challenge = challengeOf(yield* call("LogIn", { email: agent.email, password: PASSWORD }))
          expect((yield* call("CompleteSignIn", { challenge, code: agent.code })).outcome).toBe("WrongSecondFactorCode")

          const next = totp.codeAt(agent.secret, Date.now() + 30_000)
          const signedIn = yield* call("CompleteSignIn", { challenge, code: next })
          expect(signedIn.outcome).toBe("data")
          expect(signedIn.cookie).toBeDefined()
          expect((yield* call("ListAuthoritiesInbox", INBOX, signedIn.cookie)).outcome).toBe("data")
          expect((yield* call("CompleteSignIn", { challenge, code: agent.recoveryCodes[0]! })).outcome).toBe(
            "SignInChallengeExpired"
          )

          const again = challengeOf(yield* call("LogIn", { email: agent.email, password: PASSWORD }))
          expect((yield* call("CompleteSignIn", { challenge: again, code: next })).outcome).toBe(
            "WrongSecondFactorCode"
          )
          const byRecovery = yield* call("CompleteSignIn", { challenge: again, code: agent.recoveryCodes[0]! })
          expect(byRecovery.outcome).toBe("data")

          const third = challengeOf(yield* call("LogIn", { email: agent.email, password: PASSWORD }))
          expect((yield* call("CompleteSignIn", { challenge: third, code: agent.recoveryCodes[0]! })).outcome).toBe(
            "WrongSecondFactorCode"
          )
          const typedLoosely = agent.recoveryCodes[1]!.toLowerCase().replace(/-/g, " ")
          expect((yield* call("CompleteSignIn", { challenge: third, code: typedLoosely })).outcome).toBe("data")
          expect((yield* call("GetSecondFactorStatus", {}, byRecovery.cookie)).value).toMatchObject({
            recoveryCodesLeft: 8
          })
        }))

      it.effect("wrong codes are limited: of 8 fired at once in parallel requests, exactly 5 are tried, then even the right code waits", () =>
        Effect.gen(function*() {
          const agent = yield* enrolledAgent("parallel")
          const challenge = challengeOf(yield* call("LogIn", { email: agent.email, password: PASSWORD }))
          const wrong = wrongTotp(agent.secret)
          const answers = yield* Effect.all(
            Array.from(
              { length: 8 },
              (_, i) => call("CompleteSignIn", { challenge, code: i % 2 === 0 ? wrong : "AAAA-AAAA-AA" })
            ),
            { concurrency: "unbounded" }
          )
          const outcomes = answers.map((a) => a.outcome).sort()
          expect(outcomes).toStrictEqual([...Array(3).fill("SecondFactorLocked"),
            ...Array(5).fill("WrongSecondFactorCode")])
          const right = yield* call("CompleteSignIn", { challenge, code: agent.recoveryCodes[0]! })
          expect(right.outcome).toBe("SecondFactorLocked")
          expect(right.value.retryAfterSeconds).toBeGreaterThan(0)
          expect(right.cookie).toBeUndefined()
        }))

      it.effect("one body may carry one code only: four wrong codes in one body are refused whole, none tried", () =>
        Effect.gen(function*() {
          const agent = yield* enrolledAgent("batched")
          const challenge = challengeOf(yield* call("LogIn", { email: agent.email, password: PASSWORD }))
          const four = Array.from(
            { length: 4 },
            (_, i) => requestLine("CompleteSignIn", { challenge, code: "ZZZZ-ZZZZ-ZZ" }, String(i + 1))
          )
          const reply = yield* postRaw(four.join("\n") + "\n", siteHeaders())
          expect(reply.status).toBe(400)
          expect(reply.lines[0]).toMatchObject({ _tag: "BatchRefused", reason: "too_many_sensitive_calls" })
          // Nothing was counted: the right code still opens the session.
          const right = yield* call("CompleteSignIn", { challenge, code: agent.recoveryCodes[0]! })
          expect(right.outcome).toBe("data")
          expect(right.cookie).toBeDefined()
        }))

      it.effect("a challenge expires", () =>
        Effect.gen(function*() {
          const agent = yield* enrolledAgent("expiry")
          const challenge = challengeOf(yield* call("LogIn", { email: agent.email, password: PASSWORD }))
          const sql = yield* SqlClient.SqlClient
          yield* sql`UPDATE sign_in_challenges SET expires_at = now() - interval '1 second' WHERE account_id = ${agent.account.id}`
          expect((yield* call("CompleteSignIn", { challenge, code: agent.recoveryCodes[0]! })).outcome).toBe(
            "SignInChallengeExpired"
          )
          expect((yield* call("CompleteSignIn", { challenge: "not-a-challenge", code: "123456" })).outcome).toBe(
            "SignInChallengeExpired"
          )
        }))

      it.effect("an invitation: common and weak passwords refused without using it; then it serves once, leads to enrolment, and expires", () =>
        Effect.gen(function*() {
          const staff = yield* StaffAccounts
          const email = Schema.decodeSync(Email)(`invite.${crypto.randomUUID().slice(0, 8)}@mairie-cadaujac.fr`)
          const added = yield* staff.add({ role: { _tag: "MunicipalPolice", insee: CADAUJAC }, email, firstName: "Inès",
            lastName: "Morel" })
          const token = Redacted.value(Option.getOrThrow(added.invitation))
          expect((yield* call("LogIn", { email, password: PASSWORD })).outcome).toBe("InvalidCredentials")

          expect((yield* call("AcceptStaffInvitation", { token, password: "Qwerty123456" })).outcome).toBe(
            "CommonPassword"
          )
          expect((yield* call("AcceptStaffInvitation", { token, password: "administrator" })).outcome).toBe(
            "CommonPassword"
          )
          expect((yield* call("AcceptStaffInvitation", { token, password: "court" })).outcome).toBe("WeakPassword")
          // The same rule at registration.
          const register = (password: string) =>
            call("Register", {
              firstName: "Nouvelle",
              lastName: "Voisine",
              email: `voisine.${crypto.randomUUID().slice(0, 8)}@example.org`,
              password,
              communityId: crypto.randomUUID(),
              address: { line1: "4 chemin des Vignes", postcode: "33140", city: "Cadaujac" }
            })
          expect((yield* register("Qwerty123456")).outcome).toBe("CommonPassword")
          expect((yield* register("une phrase de passe assez longue")).outcome).toBe("CommunityNotFound")
          const chosen = "Inès choisit une phrase de passe"
          const [a, b] = yield* Effect.all([
            call("AcceptStaffInvitation", { token, password: chosen }),
            call("AcceptStaffInvitation", { token, password: "une autre phrase de passe" })
          ], { concurrency: "unbounded" })
          expect([a!.outcome, b!.outcome].sort()).toStrictEqual(["InvitationNotFound", "data"])
          const accepted = a!.outcome === "data" ? a! : b!
          expect(accepted.cookie).toBeDefined()
          expect((yield* call("ListAuthoritiesInbox", INBOX, accepted.cookie)).outcome).toBe(
            "SecondFactorEnrolmentRequired"
          )
          expect((yield* call("GetSecondFactorStatus", {}, accepted.cookie)).value).toMatchObject({ required: true,
            enrolled: false })
          expect((yield* call("AcceptStaffInvitation", { token, password: chosen })).outcome).toBe("InvitationNotFound")
          const password = accepted === a ? chosen : "une autre phrase de passe"
          expect((yield* call("LogIn", { email, password })).outcome).toBe("data")

          const later = Schema.decodeSync(Email)(`late.${crypto.randomUUID().slice(0, 8)}@mairie-cadaujac.fr`)
          const late = yield* staff.add({ role: { _tag: "Moderator" }, email: later, firstName: "Paul",
            lastName: "Tardif" })
          const sql = yield* SqlClient.SqlClient
          yield* sql`UPDATE staff_invitations SET expires_at = now() - interval '1 second' WHERE account_id = ${late.account.id}`
          const lateToken = Redacted.value(Option.getOrThrow(late.invitation))
          expect((yield* call("AcceptStaffInvitation", { token: lateToken, password: chosen })).outcome).toBe(
            "InvitationExpired"
          )
          expect((yield* call("LogIn", { email: later, password: chosen })).outcome).toBe("InvalidCredentials")
        }))
    })
  })
}
