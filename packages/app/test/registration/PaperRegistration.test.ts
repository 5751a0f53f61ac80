import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { PersonalData } from "@vigie/domain/accounts/PersonalData"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { PaperRegistrations } from "@vigie/domain/registration/PaperRegistrations"
import { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import { InboundSmsRepo } from "@vigie/domain/sms/InboundSmsRepo"
import { smsCommunity } from "@vigie/domain/sms/SmsGateway"
import { DateTime, Duration, Effect, Option, Redacted, Schema } from "effect"
import { actorOf } from "../support/Actors.js"
import { postRaw, requestLine, rpcClient, serverLayer } from "../support/HttpHarness.js"
import { Sent } from "../support/Recorders.js"
import { homeAddress, makeWorld, type World } from "../support/World.js"

const PASSWORD = "une phrase de passe assez longue"

let numbers = 0
/** A fictional mobile (ARCEP's range for fiction) nobody else in the suite uses. */
const mobile = () => `06 39 98 5${String(numbers++).padStart(3, "0").slice(0, 1)} ${String(numbers).padStart(2, "0")}`
const e164 = (typed: string) => `+33${typed.replace(/\s/g, "").slice(1)}`

const neighbour = (world: World, phone: string, consent = true) => ({
  communityId: world.communityA.id,
  firstName: "Germaine",
  lastName: "Papier",
  address: homeAddress("3 chemin des Vignes"),
  phone,
  consent
})

/** The account (if any) holding `phone`, as stored. */
const accountRow = (phone: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ id: string; email: string | null; password_hash: string | null; phone_verified: boolean }>`
      SELECT id::text, email, password_hash, phone_verified FROM accounts WHERE phone = ${e164(phone)}`
  )

/** The code of the newest SMS sent to `phone`. */
const lastCode = (phone: string) =>
  Effect.map(Sent, (sent) => {
    const batch = [...sent.sms].reverse().find((b) => b.destinations.includes(e164(phone) as never))
    return batch?.text.match(/\b([0-9]{6})\b/)?.[1]
  })

/** The claim letters sent to the neighbour named `lastName`, oldest first. */
const claimLettersTo = (lastName: string) =>
  Effect.map(
    Sent,
    (sent) => sent.letters.filter((l) => l.kind === "account_claim" && l.recipientName.endsWith(` ${lastName}`))
  )

let landlines = 0
/** A landline nobody else in the suite uses. */
const landline = () => `05 49 ${String(10 + landlines++).padStart(2, "0")} 12 34`

const smsTo = (phone: string) =>
  Effect.map(Sent, (sent) => sent.sms.filter((b) => b.destinations.includes(e164(phone) as never)).length)

for (const db of databases) {
  describe(`neighbours without internet [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
      "over real HTTP and SQL",
      (it) => {
        it.scoped("the référent registers a neighbour: verified at once, vouched by them, recorded with the consent, no e-mail nor password", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-referent-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const client = yield* rpcClient(`vigie_session=${world.tokens.referentA}`)
            const phone = mobile()
            const registered = yield* client.RegisterPaperNeighbour(neighbour(world, phone))
            expect(registered.phoneKind).toBe("mobile")
            expect(registered.smsAlerts).toBe(true)
            const [account] = yield* accountRow(phone)
            expect(account).toStrictEqual({ id: registered.accountId, email: null, password_hash: null,
              phone_verified: true })
            const memberships = yield* sql<{ status: string; home: boolean }>`
            SELECT status, home FROM memberships WHERE account_id = ${registered.accountId}`
            expect(memberships).toStrictEqual([{ status: "verified", home: true }])
            const vouches = yield* sql<{ method: string; vouched_by: string }>`
            SELECT method, vouched_by::text FROM address_verifications WHERE membership_id = ${registered.membershipId}`
            expect(vouches).toStrictEqual([{ method: "referent_vouch", vouched_by: world.accounts.referentA.id }])
            const records = yield* sql<{ recorded_by: string; consent: boolean; phone_kind: string; recent: boolean }>`
            SELECT recorded_by::text, consent, phone_kind, recorded_at > now() - interval '1 minute' AS recent
            FROM paper_registrations WHERE account_id = ${registered.accountId}`
            expect(records).toStrictEqual([{ recorded_by: world.accounts.referentA.id, consent: true,
              phone_kind: "mobile", recent: true }])
            // The SMS gateway knows the mobile: its home quartier is the one registered.
            const facts = yield* (yield* InboundSmsRepo).senderFacts(PhoneE164.make(e164(phone)))
            expect(Option.map(smsCommunity(facts.memberships), (m) => m.communityId)).toStrictEqual(
              Option.some(world.communityA.id)
            )
          }))

        it.scoped("the mairie agent registers one with a landline: vouched by the mairie, the phone kept unverified (no SMS can reach it)", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-mairie-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const client = yield* rpcClient(`vigie_session=${world.tokens.mairie}`)
            const landline = `05 56 ${String(10 + numbers++).slice(0, 2)} 12 34`
            const registered = yield* client.RegisterPaperNeighbour(neighbour(world, landline))
            expect(registered.phoneKind).toBe("landline")
            expect(registered.smsAlerts).toBe(false)
            expect((yield* accountRow(landline))[0]?.phone_verified).toBe(false)
            const vouches = yield* sql<{ method: string; vouched_by: string }>`
            SELECT method, vouched_by::text FROM address_verifications WHERE membership_id = ${registered.membershipId}`
            expect(vouches).toStrictEqual([{ method: "mairie_vouch", vouched_by: world.accounts.mairie.id }])
          }))

        it.scoped("without the consent ticked, or with a phone already used, nothing is written", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-refused-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const client = yield* rpcClient(`vigie_session=${world.tokens.referentA}`)
            const count = () =>
              Effect.map(
                sql<{ n: number }>`SELECT
              (SELECT count(*) FROM accounts)::int + (SELECT count(*) FROM memberships)::int
              + (SELECT count(*) FROM paper_registrations)::int AS n`,
                (r) => r[0]!.n
              )
            const before = yield* count()
            const phone = mobile()
            const noConsent = yield* Effect.flip(client.RegisterPaperNeighbour(neighbour(world, phone, false)))
            expect(noConsent._tag).toBe("PaperConsentMissing")
            expect(yield* accountRow(phone)).toStrictEqual([])
            yield* client.RegisterPaperNeighbour(neighbour(world, phone))
            const afterFirst = yield* count()
            expect(afterFirst).toBe(before + 3)
            const again = yield* Effect.flip(
              client.RegisterPaperNeighbour({ ...neighbour(world, phone), firstName: "Autre" })
            )
            expect(again._tag).toBe("PhoneAlreadyUsed")
            expect(yield* count()).toBe(afterFirst)
            // The table itself refuses a record without consent.
            const [registered] = yield* accountRow(phone)
            const forced = yield* Effect.either(sql`
              INSERT INTO paper_registrations (membership_id, account_id, recorded_at, consent, phone_kind)
              SELECT id, account_id, now(), false, 'mobile' FROM memberships WHERE account_id = ${registered!.id}`)
            expect(forced._tag).toBe("Left")
          }))

        it.scoped("two registrations of one phone at once: one account, the other refused", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-race-phone-${db.name}`)
            const paper = yield* PaperRegistrations
            const phone = mobile()
            const outcomes = yield* Effect.all(
              [actorOf(world.accounts.referentA), actorOf(world.accounts.mairie)].map((actor) =>
                Effect.either(paper.register(actor, neighbour(world, phone)))
              ),
              { concurrency: "unbounded" }
            )
            expect(outcomes.map((o) => o._tag).sort()).toStrictEqual(["Left", "Right"])
            expect(outcomes.flatMap((o) => (o._tag === "Left" ? [o.left._tag] : []))).toStrictEqual([
              "PhoneAlreadyUsed"
            ])
            expect(yield* accountRow(phone)).toHaveLength(1)
          }))

        it.scoped("an alert of the quartier reaches the paper neighbour by SMS only; a landline neighbour gets nothing", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-alert-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const alerts = yield* Alerts
            const client = yield* rpcClient(`vigie_session=${world.tokens.referentA}`)
            const phone = mobile()
            const onMobile = yield* client.RegisterPaperNeighbour(neighbour(world, phone))
            const landline = `05 57 ${String(10 + numbers++).slice(0, 2)} 12 34`
            const onLandline = yield* client.RegisterPaperNeighbour(neighbour(world, landline))
            const alert = yield* alerts.post(actorOf(world.accounts.memberA), {
              scope: { _tag: "Community", communityId: world.communityA.id },
              category: "suspicious_vehicle",
              urgency: "urgent",
              text: "Camionnette qui relève les boîtes aux lettres",
              place: Option.none(),
              sharedWithAuthorities: false
            })
            expect(alert.status).toBe("published")
            const deliveries = (accountId: string) =>
              sql<{ channel: string; destination: string | null }>`
              SELECT channel, destination FROM deliveries WHERE alert_id = ${alert.id} AND account_id = ${accountId}`
            expect(yield* deliveries(onMobile.accountId)).toStrictEqual([{ channel: "sms", destination: e164(phone) }])
            expect(yield* deliveries(onLandline.accountId)).toStrictEqual([])
            // The e-mail fan-out still reaches the members who have one.
            const emails = yield* sql<{ n: number }>`
            SELECT count(*)::int AS n FROM deliveries WHERE alert_id = ${alert.id} AND channel = 'email'`
            expect(emails[0]!.n).toBeGreaterThan(0)
          }))

        it.scoped("« appel vocal pour les alertes urgentes » ticked: stored with the registration; the landline gets one voice call per urgent alert and never an SMS", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-voice-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const client = yield* rpcClient(`vigie_session=${world.tokens.referentA}`)
            const fixed = landline()
            const onLandline = yield* client.RegisterPaperNeighbour({ ...neighbour(world, fixed), voiceUrgent: true })
            expect(onLandline.phoneKind).toBe("landline")
            expect(onLandline.smsAlerts).toBe(false)
            expect(onLandline.voiceAlerts).toBe(true)
            const silent = yield* client.RegisterPaperNeighbour({ ...neighbour(world, landline()), voiceUrgent: false })
            expect(silent.voiceAlerts).toBe(false)
            const phone = mobile()
            const onMobile = yield* client.RegisterPaperNeighbour({ ...neighbour(world, phone), voiceUrgent: true })
            expect(onMobile.voiceAlerts).toBe(true)
            const prefs = yield* sql<{ account_id: string; voice_urgent: boolean; sms: string; email: string }>`
            SELECT account_id::text, voice_urgent, sms, email FROM notification_preferences
            WHERE account_id IN (${onLandline.accountId}, ${silent.accountId}, ${onMobile.accountId}) ORDER BY voice_urgent`
            expect(prefs).toHaveLength(2)
            expect(prefs.every((p) => p.voice_urgent && p.sms === "all" && p.email === "all")).toBe(true)
            expect(prefs.map((p) => p.account_id).sort()).toStrictEqual(
              [onLandline.accountId, onMobile.accountId].sort()
            )
            // The landline stays unverified: the signed form lets a call reach it, never an SMS.
            expect((yield* accountRow(fixed))[0]?.phone_verified).toBe(false)
            // Published at once through the publisher (the trust policy, not the subject here, would hold them).
            const publisher = yield* AlertPublisher
            const post = (urgency: "urgent" | "info", text: string) =>
              Effect.map(
                Effect.flatMap(DateTime.now, (now) =>
                  publisher.post({
                    scope: { _tag: "Community", communityId: world.communityA.id },
                    authorId: world.accounts.referentA.id,
                    origin: "web",
                    category: urgency === "urgent" ? "fire_or_smoke" : "lost_or_found_animal",
                    urgency,
                    text,
                    place: Option.none(),
                    sharedWithAuthorities: false,
                    status: "published"
                  }, now)),
                (posted) => posted.alert
              )
            const first = yield* post("urgent", "Fumée épaisse derrière l'école")
            const second = yield* post("urgent", "Inondation rue des Lilas, restez chez vous")
            const info = yield* post("info", "Chat tigré trouvé rue Notre-Dame")
            const deliveries = (accountId: string) =>
              sql<{ alert_id: string; channel: string; destination: string | null }>`
              SELECT alert_id::text, channel, destination FROM deliveries WHERE account_id = ${accountId}
              ORDER BY alert_id, channel`
            const byAlert = (rows: ReadonlyArray<{ alert_id: string; channel: string; destination: string | null }>) =>
              [first.id, second.id, info.id].map((id) =>
                rows.filter((r) => r.alert_id === id).map((r) => `${r.channel} ${r.destination}`)
              )
            expect(byAlert(yield* deliveries(onLandline.accountId))).toStrictEqual([
              [`voice ${e164(fixed)}`],
              [`voice ${e164(fixed)}`],
              []
            ])
            expect(yield* deliveries(silent.accountId)).toStrictEqual([])
            expect(byAlert(yield* deliveries(onMobile.accountId))).toStrictEqual([
              [`sms ${e164(phone)}`, `voice ${e164(phone)}`],
              [`sms ${e164(phone)}`, `voice ${e164(phone)}`],
              [`sms ${e164(phone)}`]
            ])
          }))

        it.scoped("the neighbour claims the account with the SMS code: a wrong code is counted, the right one signs them in; then they log in", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-claim-${db.name}`)
            const referent = yield* rpcClient(`vigie_session=${world.tokens.referentA}`)
            const phone = mobile()
            yield* referent.RegisterPaperNeighbour(neighbour(world, phone))
            const anonymous = yield* rpcClient()
            const requested = yield* anonymous.RequestAccountClaim({ phone })
            expect(requested.validMinutes).toBe(10)
            const code = yield* lastCode(phone)
            expect(code).toMatch(/^[0-9]{6}$/)
            const email = Schema.decodeSync(Email)(`germaine.${numbers++}.${db.name}@example.org`)
            const wrong = code === "000000" ? "111111" : "000000"
            const refused = yield* Effect.flip(
              anonymous.ClaimAccount({ phone, code: wrong, email, password: Redacted.make(PASSWORD) })
            )
            expect(refused).toMatchObject({ _tag: "WrongCode", remainingAttempts: 4 })
            const reply = yield* postRaw(requestLine("ClaimAccount", { phone, code, email, password: PASSWORD }))
            expect(reply.lines[0]).toMatchObject({ _tag: "Exit", exit: { _tag: "Success" } })
            // Signed in: the reply set the session cookie, and it opens the neighbour's own account.
            const cookie = reply.setCookie.find((c) => c.startsWith("vigie_session="))!.split(";")[0]!
            const me = yield* (yield* rpcClient(cookie)).WhoAmI({})
            expect(Option.getOrNull(me.account.email)).toBe(email)
            expect(me.memberships.map((m) => m.membership.status)).toStrictEqual(["verified"])
            const again = yield* anonymous.LogIn({ email, password: Redacted.make(PASSWORD) })
            expect(again.account.id).toBe(me.account.id)
            // Claimed: the number no longer gets claim codes, and the code is spent.
            const sentBefore = yield* smsTo(phone)
            yield* anonymous.RequestAccountClaim({ phone })
            expect(yield* smsTo(phone)).toBe(sentBefore)
            const replay = yield* Effect.flip(
              anonymous.ClaimAccount({ phone, code: code!, email: Schema.decodeSync(Email)(`other.${email}`),
                password: Redacted.make(PASSWORD) })
            )
            expect(replay._tag).toBe("NoPendingCode")
            // The export names the paper registration: when, by whom (a role, never another person's name), the consent.
            const files = yield* (yield* PersonalData).exportOf(actorOf(again.account))
            const quartiers = files.find((f) => f.name === "quartiers.json")!.content as ReadonlyArray<
              { readonly paper_registration: Record<string, unknown> | null }
            >
            expect(
              quartiers.map((q) =>
                q.paper_registration && { ...q.paper_registration, recorded_at: "at", claimed_at: "at" }
              )
            ).toStrictEqual([{ recorded_at: "at", recorded_by: "referent", consent: true, phone_kind: "mobile",
              claimed_at: "at" }])
            expect(JSON.stringify(files)).not.toContain(world.accounts.referentA.id)
            // Erasing the account takes the paper record with it.
            yield* (yield* PersonalData).eraseOwn(actorOf(again.account), Redacted.make(PASSWORD))
            const left = yield* (yield* SqlClient.SqlClient)<{ n: number }>`
              SELECT count(*)::int AS n FROM paper_registrations WHERE account_id = ${again.account.id}`
            expect(left).toStrictEqual([{ n: 0 }])
          }))

        it.scoped("an unknown number gets the same answer and no SMS", () =>
          Effect.gen(function*() {
            const anonymous = yield* rpcClient()
            const phone = mobile()
            const answer = yield* anonymous.RequestAccountClaim({ phone })
            expect(answer.validMinutes).toBe(10)
            expect(yield* smsTo(phone)).toBe(0)
          }))

        it.scoped("a landline neighbour asks for a letter: it goes to their registered address with a code, which claims the account", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-letter-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const referent = yield* rpcClient(`vigie_session=${world.tokens.referentA}`)
            const phone = landline()
            const lastName = `Courrier${db.name}`
            const registered = yield* referent.RegisterPaperNeighbour({ ...neighbour(world, phone), lastName })
            expect(registered.phoneKind).toBe("landline")
            const anonymous = yield* rpcClient()
            // A landline cannot take an SMS (said of any landline, registered or not): nothing is sent.
            const bySms = yield* Effect.flip(anonymous.RequestAccountClaim({ phone }))
            expect(bySms._tag).toBe("InvalidPhoneNumber")
            expect(yield* smsTo(phone)).toBe(0)
            const requested = yield* anonymous.RequestAccountClaim({ phone, by: "letter" })
            expect(requested).toMatchObject({ channel: "letter", validMinutes: 30 * 24 * 60 })
            const letters = yield* claimLettersTo(lastName)
            expect(letters).toHaveLength(1)
            const letter = letters[0]!
            expect(letter.recipientName).toBe(`Germaine ${lastName}`)
            expect(letter.address.line1).toBe("3 chemin des Vignes")
            expect(letter.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)
            // Stored hashed, valid 30 days.
            const rows = yield* sql<{ hashed: boolean; days: number; status: string }>`
            SELECT code_hash <> convert_to(${letter.code}, 'UTF8') AS hashed,
              round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days, status
            FROM account_claim_letters WHERE account_id = ${registered.accountId}`
            expect(rows).toStrictEqual([{ hashed: true, days: 30, status: "pending" }])
            const email = Schema.decodeSync(Email)(`landline.${numbers++}.${db.name}@example.org`)
            // A wrong code is counted; the code typed as people do (lower case, hyphens) claims the account.
            const refused = yield* Effect.flip(
              anonymous.ClaimAccount({ phone, code: "0000000000", email, password: Redacted.make(PASSWORD) })
            )
            expect(refused).toMatchObject({ _tag: "WrongCode", remainingAttempts: 4 })
            const typed = `${letter.code.slice(0, 4)}-${letter.code.slice(4, 8)}-${letter.code.slice(8)}`.toLowerCase()
            const reply = yield* postRaw(requestLine("ClaimAccount", { phone, code: typed, email, password: PASSWORD }))
            expect(reply.lines[0]).toMatchObject({ _tag: "Exit", exit: { _tag: "Success" } })
            const cookie = reply.setCookie.find((c) => c.startsWith("vigie_session="))!.split(";")[0]!
            const me = yield* (yield* rpcClient(cookie)).WhoAmI({})
            expect(me.account.id).toBe(registered.accountId)
            expect(Option.getOrNull(me.account.email)).toBe(email)
            expect(
              yield* sql<{ attempts: number; status: string }>`
            SELECT attempts, status FROM account_claim_letters WHERE account_id = ${registered.accountId}`
            )
              .toStrictEqual([{ attempts: 2, status: "used" }])
            // Claimed: no more letters, and the code is spent.
            yield* anonymous.RequestAccountClaim({ phone, by: "letter" })
            expect(yield* claimLettersTo(lastName)).toHaveLength(1)
            const replay = yield* Effect.flip(
              anonymous.ClaimAccount({ phone, code: letter.code, email: Schema.decodeSync(Email)(`other.${email}`),
                password: Redacted.make(PASSWORD) })
            )
            expect(replay._tag).toBe("NoPendingCode")
          }))

        it.scoped("an unknown number asking for a letter gets the same answer and no letter", () =>
          Effect.gen(function*() {
            const anonymous = yield* rpcClient()
            const before = (yield* Sent).letters.length
            const answer = yield* anonymous.RequestAccountClaim({ phone: landline(), by: "letter" })
            expect(answer).toMatchObject({ channel: "letter", validMinutes: 30 * 24 * 60 })
            expect((yield* Sent).letters.length).toBe(before)
          }))

        it.scoped("the letter budget holds under concurrent requests: 3 letters per 30 days, the newest code alone works", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-letter-race-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const paper = yield* PaperRegistrations
            const phone = landline()
            const lastName = `Budget${db.name}`
            const registered = yield* paper.register(actorOf(world.accounts.mairie), { ...neighbour(world, phone),
              lastName })
            const answers = yield* Effect.all(
              Array.from({ length: 6 }, (_, i) => paper.requestClaim(phone, `192.0.2.${30 + i}`, "letter")),
              { concurrency: "unbounded" }
            )
            expect(new Set(answers.map((a) => `${a.channel}:${a.validMinutes}`))).toStrictEqual(
              new Set([`letter:${30 * 24 * 60}`])
            )
            const letters = yield* claimLettersTo(lastName)
            expect(letters).toHaveLength(3)
            const rows = yield* sql<{ status: string }>`
            SELECT status FROM account_claim_letters WHERE account_id = ${registered.accountId} ORDER BY created_at, id`
            expect(rows.map((r) => r.status).sort()).toStrictEqual(["pending", "superseded", "superseded"])
            // An older letter's code never claims the account (a newer one superseded it); the newest does.
            const email = Schema.decodeSync(Email)(`budget.${numbers++}.${db.name}@example.org`)
            const outcomes = yield* Effect.all(
              letters.map((l) =>
                Effect.either(paper.claim({ phone, code: l.code, email, password: Redacted.make(PASSWORD) }))
              ),
              { concurrency: 1 }
            )
            expect(outcomes.filter((o) => o._tag === "Right")).toHaveLength(1)
            expect((yield* accountRow(phone))[0]?.email).toBe(email)
          }))

        it.scoped("a letter's code: concurrent wrong tries locked at 5 under the row lock; past its 30 days, CodeExpired", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-letter-tries-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const paper = yield* PaperRegistrations
            const phone = landline()
            const lastName = `Essais${db.name}`
            const registered = yield* paper.register(actorOf(world.accounts.referentA), { ...neighbour(world, phone),
              lastName })
            yield* paper.requestClaim(phone, "192.0.2.40", "letter")
            const code = (yield* claimLettersTo(lastName))[0]!.code
            const wrong = code.startsWith("0") ? "1111111111" : "0000000000"
            const email = Schema.decodeSync(Email)(`tries.${numbers++}.${db.name}@example.org`)
            const outcomes = yield* Effect.all(
              Array.from(
                { length: 9 },
                () => Effect.flip(paper.claim({ phone, code: wrong, email, password: Redacted.make(PASSWORD) }))
              ),
              { concurrency: "unbounded" }
            )
            expect(outcomes.filter((e) => e._tag === "WrongCode")).toHaveLength(4)
            expect(outcomes.filter((e) => e._tag === "CodeLocked")).toHaveLength(5)
            expect(
              yield* sql<{ attempts: number; status: string }>`
            SELECT attempts, status FROM account_claim_letters WHERE account_id = ${registered.accountId}`
            )
              .toStrictEqual([{ attempts: 5, status: "locked" }])
            const right = yield* Effect.flip(paper.claim({ phone, code, email, password: Redacted.make(PASSWORD) }))
            expect(right._tag).toBe("CodeLocked")
            // A new letter, left 31 days: its code has expired, the try is not counted.
            yield* paper.requestClaim(phone, "192.0.2.41", "letter")
            const late = (yield* claimLettersTo(lastName))[1]!.code
            yield* sql`UPDATE account_claim_letters
            SET created_at = created_at - interval '31 days', expires_at = expires_at - interval '31 days'
            WHERE account_id = ${registered.accountId}`
            const expired = yield* Effect.flip(
              paper.claim({ phone, code: late, email, password: Redacted.make(PASSWORD) })
            )
            expect(expired._tag).toBe("CodeExpired")
            expect((yield* accountRow(phone))[0]?.email).toBeNull()
          }))

        it.scoped("concurrent wrong codes never pass the limit of 5 tries; then even the right code is refused", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-race-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const paper = yield* PaperRegistrations
            const phone = mobile()
            const registered = yield* paper.register(actorOf(world.accounts.referentA), neighbour(world, phone))
            yield* paper.requestClaim(phone, "192.0.2.10")
            const code = (yield* lastCode(phone))!
            const wrong = code === "000000" ? "111111" : "000000"
            const email = Schema.decodeSync(Email)(`race.${numbers++}.${db.name}@example.org`)
            const outcomes = yield* Effect.all(
              Array.from(
                { length: 9 },
                () => Effect.flip(paper.claim({ phone, code: wrong, email, password: Redacted.make(PASSWORD) }))
              ),
              { concurrency: "unbounded" }
            )
            expect(outcomes.filter((e) => e._tag === "WrongCode")).toHaveLength(4)
            expect(outcomes.filter((e) => e._tag === "CodeLocked")).toHaveLength(5)
            const rows = yield* sql<{ attempts: number; status: string }>`
            SELECT attempts, status FROM phone_verifications WHERE account_id = ${registered.accountId}`
            expect(rows).toStrictEqual([{ attempts: 5, status: "locked" }])
            const right = yield* Effect.flip(paper.claim({ phone, code, email, password: Redacted.make(PASSWORD) }))
            expect(right._tag).toBe("CodeLocked")
            expect((yield* accountRow(phone))[0]?.email).toBeNull()
          }))

        it.scoped("a code past its 10 minutes: CodeExpired, the try not counted, the account unclaimed", () =>
          Effect.gen(function*() {
            const world = yield* makeWorld(`paper-expiry-${db.name}`)
            const sql = yield* SqlClient.SqlClient
            const paper = yield* PaperRegistrations
            const phone = mobile()
            const registered = yield* paper.register(actorOf(world.accounts.mairie), neighbour(world, phone))
            yield* paper.requestClaim(phone, "192.0.2.11")
            const code = (yield* lastCode(phone))!
            yield* sql`UPDATE phone_verifications
            SET created_at = created_at - interval '11 minutes', expires_at = expires_at - interval '11 minutes'
            WHERE account_id = ${registered.accountId}`
            const email = Schema.decodeSync(Email)(`late.${numbers++}.${db.name}@example.org`)
            const error = yield* Effect.flip(paper.claim({ phone, code, email, password: Redacted.make(PASSWORD) }))
            expect(error._tag).toBe("CodeExpired")
            const rows = yield* sql<{ attempts: number; status: string }>`
            SELECT attempts, status FROM phone_verifications WHERE account_id = ${registered.accountId}`
            expect(rows).toStrictEqual([{ attempts: 0, status: "pending" }])
            expect((yield* accountRow(phone))[0]?.email).toBeNull()
          }))
      }
    )
  })
}
