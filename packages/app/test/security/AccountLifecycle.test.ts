import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { Duration, Effect } from "effect"
import { postRaw, requestLine, serverLayer, siteHeaders } from "../support/HttpHarness.js"
import { Sent } from "../support/Recorders.js"
import { makeWorld, PASSWORD } from "../support/World.js"

const NEW_PASSWORD = "une toute nouvelle phrase de passe"

type Reply = {
  readonly status: number
  readonly lines: ReadonlyArray<Record<string, unknown>>
  readonly setCookie: ReadonlyArray<string>
}

/** One call over HTTP, as the web app makes it. */
const call = (tag: string, payload: unknown, cookie?: string) => postRaw(requestLine(tag, payload), siteHeaders(cookie))

/** "data", or the tag of the typed refusal. */
const outcome = (reply: Reply): string => {
  const exit = reply.lines.find((l) => l["_tag"] === "Exit")?.["exit"] as Record<string, unknown> | undefined
  if (exit === undefined) return `HTTP ${reply.status} ${JSON.stringify(reply.lines)}`
  if (exit["_tag"] === "Success") return "data"
  const cause = exit["cause"] as { _tag: string; error?: { _tag: string } }
  return cause.error?._tag ?? `DEFECT ${JSON.stringify(cause)}`
}

const value = (reply: Reply) =>
  ((reply.lines.find((l) => l["_tag"] === "Exit")?.["exit"]) as { value: Record<string, unknown> }).value

const cookieOf = (reply: Reply): string => reply.setCookie[0]!.split(";")[0]!

const logIn = (email: string, password: string) =>
  Effect.map(
    call("LogIn", { email, password }),
    (reply) => ({ reply, outcome: outcome(reply), cookie: reply.setCookie.length > 0 ? cookieOf(reply) : undefined })
  )

const whoAmI = (cookie: string | undefined) =>
  Effect.map(
    call("WhoAmI", {}, cookie),
    (r) => ({ outcome: outcome(r), me: outcome(r) === "data" ? value(r) : undefined })
  )

/** What a refusal or an answer says, without the request's id. */
const shape = (reply: Reply) => ({ status: reply.status, exits: reply.lines.map((l) => JSON.stringify(l["exit"])) })

/** Messages leave after the answer: waits (a few seconds at most) until `find` sees one. */
const eventually = <A>(find: () => A | undefined) =>
  Effect.gen(function*() {
    for (let i = 0; i < 250; i++) {
      const found = find()
      if (found !== undefined) return found
      yield* Effect.sleep(Duration.millis(20))
    }
    return yield* Effect.dieMessage("nothing arrived")
  })

const tokenIn = (text: string) => /jeton=([A-Za-z0-9_-]+)/.exec(text)?.[1]

for (const db of databases) {
  layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
    `account lifecycle over HTTP [${db.name}]`,
    (it) => {
      it.effect("a reset is asked with the same answer for a known and an unknown address or phone; only the account's owner gets something", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("same")
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          yield* sql`UPDATE accounts SET phone = '+33639981177', phone_verified = true WHERE id = ${world.accounts.memberB.id}`

          const known = yield* call("RequestPasswordReset", { email: world.emails.memberA })
          const unknown = yield* call("RequestPasswordReset", { email: "personne.same@example.org" })
          expect(outcome(known)).toBe("data")
          expect(shape(unknown)).toStrictEqual(shape(known))
          const knownSms = yield* call("RequestPasswordResetCode", { phone: "06 39 98 11 77" })
          const unknownSms = yield* call("RequestPasswordResetCode", { phone: "06 39 98 11 78" })
          expect(outcome(knownSms)).toBe("data")
          expect(shape(unknownSms)).toStrictEqual(shape(knownSms))

          const mail = yield* eventually(() =>
            sent.emails.find((m) => m.to === world.emails.memberA && tokenIn(m.text) !== undefined)
          )
          expect(mail.text).toContain("http://vigie.test/mot-de-passe/nouveau?jeton=")
          const sms = yield* eventually(() => sent.sms.find((s) => s.destinations.includes("+33639981177" as never)))
          expect(sms.text).toMatch(/[0-9]{6}/)
          expect(sent.emails.filter((m) => m.to === "personne.same@example.org")).toStrictEqual([])
          expect(sent.sms.filter((s) => s.destinations.includes("+33639981178" as never))).toStrictEqual([])
          // Only keyed hashes are kept: neither the link's token nor the code is in the table.
          const token = tokenIn(mail.text)!
          const code = /([0-9]{6})/.exec(sms.text)![1]!
          const leaks = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM password_resets
          WHERE encode(secret_hash, 'escape') LIKE ${"%" + token + "%"} OR encode(secret_hash, 'escape') LIKE ${
            "%" + code + "%"
          }`
          expect(leaks[0]!.n).toBe(0)
        }))

      it.effect("the link sets the new password once: every session ends, failed log-ins are forgotten, the old password no longer works", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("link")
          const sent = yield* Sent
          const email = world.emails.memberA
          const second = yield* logIn(email, PASSWORD)
          for (let i = 0; i < 3; i++) {
            expect((yield* logIn(email, "pas le bon mot de passe")).outcome).toBe("InvalidCredentials")
          }
          expect((yield* logIn(email, PASSWORD)).outcome).toBe("LoginThrottled")

          expect(outcome(yield* call("RequestPasswordReset", { email }))).toBe("data")
          const token = tokenIn(
            (yield* eventually(() => sent.emails.find((m) => m.to === email && tokenIn(m.text) !== undefined))).text
          )!

          expect(outcome(yield* call("CompletePasswordReset", { token, password: "court" }))).toBe("WeakPassword")
          expect(outcome(yield* call("CompletePasswordReset", { token, password: NEW_PASSWORD }))).toBe("data")
          expect((yield* whoAmI(`vigie_session=${world.tokens.memberA}`)).outcome).toBe("Unauthenticated")
          expect((yield* whoAmI(second.cookie)).outcome).toBe("Unauthenticated")
          expect((yield* logIn(email, PASSWORD)).outcome).toBe("InvalidCredentials")
          expect((yield* logIn(email, NEW_PASSWORD)).outcome).toBe("data")

          expect(outcome(yield* call("CompletePasswordReset", { token, password: "encore une autre phrase de passe" })))
            .toBe("LinkAlreadyUsed")
          expect(outcome(yield* call("CompletePasswordReset", { token: token.slice(1), password: NEW_PASSWORD }))).toBe(
            "LinkNotFound"
          )
          expect((yield* logIn(email, NEW_PASSWORD)).outcome).toBe("data")
          // The owner is told that the password changed.
          yield* eventually(() =>
            sent.emails.find((m) => m.to === email && m.subject.includes("mot de passe a été changé"))
          )
        }))

      it.effect("an expired link and a replaced link are refused, and change nothing", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("expired")
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          const email = world.emails.memberB
          const links = () =>
            sent.emails.filter((m) => m.to === email && tokenIn(m.text) !== undefined).map((m) => tokenIn(m.text)!)
          expect(outcome(yield* call("RequestPasswordReset", { email }))).toBe("data")
          const first = yield* eventually(() => links()[0])
          // A minute later (the quota's least interval), a second link replaces the first.
          yield* sql`UPDATE account_quotas SET last_at = last_at - interval '2 minutes'`
          yield* sql`UPDATE password_resets SET created_at = created_at - interval '2 minutes'`
          expect(outcome(yield* call("RequestPasswordReset", { email }))).toBe("data")
          const latest = yield* eventually(() => links()[1])
          expect(outcome(yield* call("CompletePasswordReset", { token: first, password: NEW_PASSWORD }))).toBe(
            "LinkAlreadyUsed"
          )

          yield* sql`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE account_id = ${world.accounts.memberB.id}`
          expect(outcome(yield* call("CompletePasswordReset", { token: latest, password: NEW_PASSWORD }))).toBe(
            "LinkExpired"
          )
          expect((yield* whoAmI(`vigie_session=${world.tokens.memberB}`)).outcome).toBe("data")
          expect((yield* logIn(email, PASSWORD)).outcome).toBe("data")
        }))

      it.effect("the SMS code sets the new password: a wrong code says nothing more for a known number, an expired code is refused", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("code")
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          yield* sql`UPDATE accounts SET phone = '+33639981277', phone_verified = true WHERE id = ${world.accounts.memberA.id}`
          const codes = () =>
            sent.sms.filter((s) => s.destinations.includes("+33639981277" as never)).map((s) =>
              /([0-9]{6})/.exec(s.text)![1]!
            )

          expect(outcome(yield* call("RequestPasswordResetCode", { phone: "+33 6 39 98 12 77" }))).toBe("data")
          const code = yield* eventually(() => codes()[0])
          const wrong = code === "000000" ? "111111" : "000000"
          const onKnown = yield* call("CompletePasswordResetByCode", { phone: "06 39 98 12 77", code: wrong,
            password: NEW_PASSWORD })
          const onUnknown = yield* call("CompletePasswordResetByCode", { phone: "06 39 98 12 78", code: wrong,
            password: NEW_PASSWORD })
          expect(outcome(onKnown)).toBe("WrongResetCode")
          expect(shape(onUnknown)).toStrictEqual(shape(onKnown))

          expect(
            outcome(
              yield* call("CompletePasswordResetByCode", { phone: "06 39 98 12 77", code, password: NEW_PASSWORD })
            )
          ).toBe("data")
          expect((yield* whoAmI(`vigie_session=${world.tokens.memberA}`)).outcome).toBe("Unauthenticated")
          expect((yield* logIn(world.emails.memberA, NEW_PASSWORD)).outcome).toBe("data")
          expect(
            outcome(yield* call("CompletePasswordResetByCode", { phone: "06 39 98 12 77", code, password: PASSWORD }))
          ).toBe("ResetCodeExpired")

          yield* sql`UPDATE account_quotas SET last_at = last_at - interval '2 minutes'`
          expect(outcome(yield* call("RequestPasswordResetCode", { phone: "06 39 98 12 77" }))).toBe("data")
          const second = yield* eventually(() => codes()[1])
          yield* sql`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE account_id = ${world.accounts.memberA.id}`
          expect(
            outcome(
              yield* call("CompletePasswordResetByCode", { phone: "06 39 98 12 77", code: second, password: PASSWORD })
            )
          ).toBe("ResetCodeExpired")
          expect((yield* logIn(world.emails.memberA, NEW_PASSWORD)).outcome).toBe("data")
        }))

      it.effect("a common password is refused on every path that chooses one (link, SMS code, change) and nothing changes", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("common")
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          const email = world.emails.memberA
          const here = `vigie_session=${world.tokens.memberA}`
          yield* sql`UPDATE accounts SET phone = '+33639981477', phone_verified = true WHERE id = ${world.accounts.memberA.id}`
          const hashBefore = yield* sql<
            { h: string }
          >`SELECT password_hash AS h FROM accounts WHERE id = ${world.accounts.memberA.id}`

          expect(outcome(yield* call("RequestPasswordReset", { email }))).toBe("data")
          const token = tokenIn(
            (yield* eventually(() => sent.emails.find((m) => m.to === email && tokenIn(m.text) !== undefined))).text
          )!
          expect(outcome(yield* call("CompletePasswordReset", { token, password: "Qwerty123456" }))).toBe(
            "CommonPassword"
          )

          yield* sql`UPDATE account_quotas SET last_at = last_at - interval '2 minutes'`
          expect(outcome(yield* call("RequestPasswordResetCode", { phone: "06 39 98 14 77" }))).toBe("data")
          const sms = yield* eventually(() => sent.sms.find((s) => s.destinations.includes("+33639981477" as never)))
          const code = /([0-9]{6})/.exec(sms.text)![1]!
          expect(
            outcome(
              yield* call("CompletePasswordResetByCode", { phone: "06 39 98 14 77", code, password: "administrator" })
            )
          ).toBe("CommonPassword")

          expect(
            outcome(yield* call("ChangePassword", { currentPassword: PASSWORD, newPassword: "Qwerty123456" }, here))
          ).toBe("CommonPassword")

          // Nothing changed: the same password, the session alive, the code still usable.
          const hashAfter = yield* sql<
            { h: string }
          >`SELECT password_hash AS h FROM accounts WHERE id = ${world.accounts.memberA.id}`
          expect(hashAfter[0]!.h).toBe(hashBefore[0]!.h)
          expect((yield* whoAmI(here)).outcome).toBe("data")
          expect((yield* logIn(email, "Qwerty123456")).outcome).toBe("InvalidCredentials")
          expect((yield* logIn(email, PASSWORD)).outcome).toBe("data")
          expect(
            outcome(
              yield* call("CompletePasswordResetByCode", { phone: "06 39 98 14 77", code, password: NEW_PASSWORD })
            )
          ).toBe("data")
          expect((yield* logIn(email, NEW_PASSWORD)).outcome).toBe("data")
        }))

      it.effect("requests at once for one account send one message: the per-account limit holds under concurrency", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("burst")
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          const email = world.emails.referentA
          const replies = yield* Effect.all(Array.from({ length: 8 }, () => call("RequestPasswordReset", { email })), {
            concurrency: "unbounded"
          })
          expect(replies.map(outcome)).toStrictEqual(Array(8).fill("data"))
          const rows = yield* sql<
            { n: number }
          >`SELECT count(*)::int AS n FROM password_resets WHERE account_id = ${world.accounts.referentA.id}`
          expect(rows[0]!.n).toBe(1)
          yield* eventually(() => sent.emails.find((m) => m.to === email && tokenIn(m.text) !== undefined))
          yield* Effect.sleep(Duration.millis(200))
          expect(sent.emails.filter((m) => m.to === email && tokenIn(m.text) !== undefined)).toHaveLength(1)
        }))

      it.effect("changing the password asks the current one (counted like log-in failures) and ends the other sessions only", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("change")
          const email = world.emails.memberA
          const here = `vigie_session=${world.tokens.memberA}`
          const other = (yield* logIn(email, PASSWORD)).cookie

          expect(
            outcome(yield* call("ChangePassword", { currentPassword: "pas le bon", newPassword: NEW_PASSWORD }, here))
          ).toBe("WrongPassword")
          expect(outcome(yield* call("ChangePassword", { currentPassword: PASSWORD, newPassword: "court" }, here)))
            .toBe("WeakPassword")
          expect(outcome(yield* call("ChangePassword", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }))).toBe(
            "Unauthenticated"
          )
          expect(outcome(yield* call("ChangePassword", { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, here)))
            .toBe("data")
          expect((yield* whoAmI(here)).outcome).toBe("data")
          expect((yield* whoAmI(other)).outcome).toBe("Unauthenticated")
          expect((yield* logIn(email, PASSWORD)).outcome).toBe("InvalidCredentials")
          expect((yield* logIn(email, NEW_PASSWORD)).outcome).toBe("data")
        }))

      it.effect("wrong current passwords sent at once are counted one after the other: three tries, then the delay", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("guess")
          const here = `vigie_session=${world.tokens.memberB}`
          const replies = yield* Effect.all(
            Array.from(
              { length: 10 },
              (_, i) =>
                call("ChangePassword", { currentPassword: `essai numéro ${i}`, newPassword: NEW_PASSWORD }, here)
            ),
            { concurrency: "unbounded" }
          )
          const outcomes = replies.map(outcome)
          expect(outcomes.filter((o) => o === "WrongPassword")).toHaveLength(3)
          expect(outcomes.filter((o) => o === "LoginThrottled")).toHaveLength(7)
          // The same count slows the log-in of that address.
          expect((yield* logIn(world.emails.memberB, PASSWORD)).outcome).toBe("LoginThrottled")
        }))

      it.effect("a new e-mail address takes effect only through the link sent to it; the old address is told; the link serves once", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("move")
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          const old = world.emails.memberA
          const here = `vigie_session=${world.tokens.memberA}`
          const next = "nouvelle.adresse.move@example.org"

          expect(outcome(yield* call("RequestEmailChange", { newEmail: next, password: "pas le bon" }, here))).toBe(
            "WrongPassword"
          )
          expect(outcome(yield* call("RequestEmailChange", { newEmail: old, password: PASSWORD }, here))).toBe(
            "EmailUnchanged"
          )
          const asked = yield* call("RequestEmailChange", { newEmail: next, password: PASSWORD }, here)
          expect(outcome(asked)).toBe("data")
          expect(value(asked)["newEmail"]).toBe(next)

          const me = (yield* whoAmI(here)).me as { account: { email: string } }
          expect(me.account.email).toBe(old)
          const link = sent.emails.find((m) => m.to === next)!
          expect(link.text).toContain("http://vigie.test/mon-compte/email?jeton=")
          const toldOld = sent.emails.find((m) => m.to === old && m.subject.includes("changement d'adresse"))!
          expect(toldOld.text).not.toContain("jeton=")
          expect(toldOld.text).not.toContain(next)

          // A reset link sent to the old address before the change...
          expect(outcome(yield* call("RequestPasswordReset", { email: old }))).toBe("data")
          const reset = tokenIn(
            (yield* eventually(() => sent.emails.find((m) => m.to === old && m.text.includes("mot-de-passe/nouveau"))))
              .text
          )!

          const token = tokenIn(link.text)!
          const confirmed = yield* call("ConfirmEmailChange", { token })
          expect(outcome(confirmed)).toBe("data")
          expect(value(confirmed)["email"]).toBe(next)
          expect(((yield* whoAmI(here)).me as { account: { email: string } }).account.email).toBe(next)
          expect(sent.emails.some((m) => m.to === old && m.subject.includes("a été changée"))).toBe(true)
          expect(outcome(yield* call("ConfirmEmailChange", { token }))).toBe("LinkAlreadyUsed")
          // ... no longer opens the account once the address has changed.
          expect(outcome(yield* call("CompletePasswordReset", { token: reset, password: NEW_PASSWORD }))).toBe(
            "LinkAlreadyUsed"
          )
          expect((yield* logIn(next, PASSWORD)).outcome).toBe("data")
          expect((yield* logIn(old, PASSWORD)).outcome).toBe("InvalidCredentials")

          // An expired link changes nothing.
          const again = "encore.une.move@example.org"
          yield* sql`UPDATE email_changes SET created_at = created_at - interval '2 minutes'`
          expect(outcome(yield* call("RequestEmailChange", { newEmail: again, password: PASSWORD }, here))).toBe("data")
          yield* sql`UPDATE email_changes SET expires_at = now() - interval '1 second' WHERE account_id = ${world.accounts.memberA.id}`
          const late = tokenIn(sent.emails.find((m) => m.to === again)!.text)!
          expect(outcome(yield* call("ConfirmEmailChange", { token: late }))).toBe("LinkExpired")
          expect(((yield* whoAmI(here)).me as { account: { email: string } }).account.email).toBe(next)
        }))

      it.effect("an address already used by another account: the same answer, no link, its owner is told", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("taken")
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          const taken = yield* call(
            "RequestEmailChange",
            { newEmail: world.emails.memberA, password: PASSWORD },
            `vigie_session=${world.tokens.memberB}`
          )
          const free = yield* call(
            "RequestEmailChange",
            { newEmail: "libre.taken@example.org", password: PASSWORD },
            `vigie_session=${world.tokens.referentA}`
          )
          expect(outcome(taken)).toBe("data")
          expect(Object.keys(value(taken)).sort()).toStrictEqual(Object.keys(value(free)).sort())
          const toOwner = sent.emails.filter((m) => m.to === world.emails.memberA)
          expect(toOwner).toHaveLength(1)
          expect(tokenIn(toOwner[0]!.text)).toBeUndefined()
          const links = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM email_changes
          WHERE account_id = ${world.accounts.memberB.id} AND token_hash IS NOT NULL`
          expect(links[0]!.n).toBe(0)
          expect(
            ((yield* whoAmI(`vigie_session=${world.tokens.memberB}`)).me as { account: { email: string } }).account
              .email
          )
            .toBe(world.emails.memberB)
        }))

      it.effect("e-mail changes asked at once: exactly one goes out, the others are refused with a typed error", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("moves")
          const sent = yield* Sent
          const here = `vigie_session=${world.tokens.memberB}`
          const replies = yield* Effect.all(
            Array.from(
              { length: 3 },
              (_, i) =>
                call("RequestEmailChange", { newEmail: `ailleurs.${i}.moves@example.org`, password: PASSWORD }, here)
            ),
            { concurrency: "unbounded" }
          )
          const outcomes = replies.map(outcome)
          expect(outcomes.filter((o) => o === "data")).toHaveLength(1)
          expect(outcomes.filter((o) => o === "TooManyEmailChanges")).toHaveLength(2)
          expect(sent.emails.filter((m) => /ailleurs\.[0-9]\.moves@/.test(m.to))).toHaveLength(1)
        }))

      it.effect("a new phone number becomes the account's only once its SMS code is confirmed", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("phone")
          const sent = yield* Sent
          const sql = yield* SqlClient.SqlClient
          const here = `vigie_session=${world.tokens.memberA}`
          yield* sql`UPDATE accounts SET phone = '+33639981377', phone_verified = true WHERE id = ${world.accounts.memberA.id}`
          expect(outcome(yield* call("RequestPhoneCode", { phone: "06 39 98 13 78" }, here))).toBe("data")
          const before = (yield* whoAmI(here)).me as { account: { phone: string; phoneVerified: boolean } }
          expect(before.account).toMatchObject({ phone: "+33639981377", phoneVerified: true })
          const code = /([0-9]{6})/.exec(
            sent.sms.find((s) => s.destinations.includes("+33639981378" as never))!.text
          )![1]!
          expect(outcome(yield* call("ConfirmPhoneCode", { code }, here))).toBe("data")
          const after = (yield* whoAmI(here)).me as { account: { phone: string; phoneVerified: boolean } }
          expect(after.account).toMatchObject({ phone: "+33639981378", phoneVerified: true })
          // The owner is told by e-mail, with the new number masked.
          const told = sent.emails.filter((m) =>
            m.to === world.emails.memberA && m.subject === "Vigie : votre numéro de téléphone a été changé"
          )
          expect(told).toHaveLength(1)
          expect(told[0]!.text).toContain("•• •• •• •• 78")
          expect(told[0]!.text).not.toContain("39 98 13 78")
        }))
    }
  )
}
