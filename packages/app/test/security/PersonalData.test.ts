import { defaultGazetteChoices } from "@vigie/domain/gazette/GazettePreferences"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import { QuietHours } from "@vigie/domain/delivery/NotificationPreferences"
import { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import { DateTime, Duration, Effect, Option, Redacted, Schema } from "effect"
import { strFromU8, unzipSync } from "fflate"
import { EXPORT_PATH } from "../../src/http/PersonalDataExport.js"
import { publicUrl, rpcClient, serverLayer } from "../support/HttpHarness.js"
import { makeWorld, PASSWORD, verifiedNeighbour } from "../support/World.js"
import { deliverAll } from "../workers/Support.js"

/** A member with names, e-mail, phone and address found nowhere else, so a scan of the database can look for them. */
const person = (tag: string) => ({
  firstName: tag === "a" ? "Zéphyrine" : "Philomène",
  lastName: `Quintavalle${tag}`,
  email: Schema.decodeSync(Email)(`zephyrine.${tag}@example.org`),
  phone: Schema.decodeSync(PhoneE164)(`+3361234${tag === "a" ? "5678" : "5679"}`),
  line1: `17 impasse des Glycines ${tag}`
})

/** A member of community A with everything Vigie can hold about a person, logged in over HTTP. */
const makeMember = (tag: string) =>
  Effect.gen(function*() {
    const world = yield* makeWorld(`gdpr-${tag}`)
    const p = person(tag)
    const account = yield* verifiedNeighbour({ communityId: world.communityA.id, ...p, phone: Option.some(p.phone) })
    const alerts = yield* AlertPublisher
    const at = DateTime.subtract(yield* DateTime.now, { minutes: 50 })
    const own = yield* alerts.post({
      scope: { _tag: "Community", communityId: world.communityA.id },
      authorId: account.id,
      origin: "web",
      category: "lost_or_found_animal",
      urgency: "info",
      text: `Chat roux perdu ${tag}, répond au nom de Caramel`,
      place: Option.none(),
      sharedWithAuthorities: false,
      status: "published"
    }, at)
    const neighbours = yield* alerts.post({
      scope: { _tag: "Community", communityId: world.communityA.id },
      authorId: world.accounts.memberA.id,
      origin: "web",
      category: "road_danger",
      urgency: "urgent",
      text: `Arbre tombé sur la route ${tag}`,
      place: Option.none(),
      sharedWithAuthorities: false,
      status: "published"
    }, at)
    const sql = yield* SqlClient.SqlClient
    // The neighbour's alert went to this member by SMS (delivered) and by e-mail (still pending).
    yield* sql`UPDATE deliveries SET status = 'delivered' WHERE alert_id = ${neighbours.alert.id} AND account_id = ${account.id} AND channel = 'sms'`
    yield* sql`INSERT INTO inbound_sms (message_uuid, from_number, to_number, text, type, received_at, sender, handling, outcome)
      VALUES (${`uuid-${tag}-${crypto.randomUUID()}`}, ${p.phone}, '+33700000000', ${`VOL vélo ${p.lastName}`}, 'sms', now(), ${p.phone}, 'handled', 'alert_published')`
    const login = yield* (yield* Sessions).logIn({ email: p.email, password: Redacted.make(PASSWORD) }).pipe(
      Effect.orDie
    )
    const cookie = `vigie_session=${Redacted.value(login.token)}`
    const client = yield* rpcClient(cookie)
    yield* client.UpdatePreferences({ sms: "urgent_only", email: "all",
      quietHours: Option.some(Schema.decodeSync(QuietHours)({ start: 1320, end: 420 })) })
    yield* client.UpdateGazettePreferences({ choices: { ...defaultGazetteChoices, annonce: "none" }, mairieSms: true })
    yield* client.MarkAlert({ alertId: neighbours.alert.id, kind: "seen" })
    return { world, p, account, cookie, own: own.alert, neighbours: neighbours.alert }
  })

const download = (cookie?: string) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const response = yield* http.execute(
      HttpClientRequest.get(EXPORT_PATH).pipe(HttpClientRequest.setHeaders(cookie === undefined ? {} : { cookie }))
    )
    return { status: response.status, headers: response.headers, body: new Uint8Array(yield* response.arrayBuffer) }
  })

/** Rows of every table of the schema whose text contains `needle` (case-insensitive), as "table: n". */
const foundIn = (needle: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const tables = yield* sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
    const found: Array<string> = []
    for (const { name } of tables) {
      const [row] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM ${
        sql(name)
      } t WHERE t::text ILIKE ${`%${needle}%`}`
      if ((row?.n ?? 0) > 0) found.push(`${name}: ${row!.n}`)
    }
    return found
  })

/** The tables added by issue 12 that hold rows of an account. */
const ACCOUNT_TABLES = [
  "login_devices",
  "verification_sms",
  "password_resets",
  "email_changes",
  "account_quotas",
  "account_locks",
  "sign_in_challenges",
  "staff_invitations",
  "second_factors",
  "recovery_codes"
] as const

/** How many rows of the account each of those tables holds, as "table: n" (empty when none). */
const rowsOf = (accountId: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const found: Array<string> = []
    for (const table of ACCOUNT_TABLES) {
      const [row] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM ${
        sql(table)
      } WHERE account_id = ${accountId}`
      if ((row?.n ?? 0) > 0) found.push(`${table}: ${row!.n}`)
    }
    return found
  })

/** Gives the account a row in each of those tables, as its own use of Vigie (or a staff's) would. */
const fillAccountTables = (accountId: string, cookie: string, newEmail: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const client = yield* rpcClient(cookie)
    yield* client.RequestEmailChange({ newEmail: Schema.decodeSync(Email)(newEmail),
      password: Redacted.make(PASSWORD) })
    yield* sql`INSERT INTO verification_sms (account_id, client_key, purpose, created_at) VALUES (${accountId}, '\\x01'::bytea, 'phone_code', now())`
    yield* sql`INSERT INTO password_resets (account_id, channel, secret_hash, created_at, expires_at)
      VALUES (${accountId}, 'email', ${Buffer.from(crypto.randomUUID())}, now(), now() + interval '1 hour')`
    yield* sql`INSERT INTO account_quotas (account_id, purpose, window_start, used, last_at) VALUES (${accountId}, 'password_reset', now(), 1, now())
      ON CONFLICT DO NOTHING`
    yield* sql`INSERT INTO account_locks (account_id, purpose) VALUES (${accountId}, 'password_check') ON CONFLICT DO NOTHING`
    yield* sql`INSERT INTO sign_in_challenges (token_hash, account_id, expires_at) VALUES (${
      Buffer.from(crypto.randomUUID())
    }, ${accountId}, now() + interval '5 minutes')`
    yield* sql`INSERT INTO staff_invitations (token_hash, account_id, created_at, expires_at) VALUES (${
      Buffer.from(crypto.randomUUID())
    }, ${accountId}, now(), now() + interval '7 days')`
    yield* sql`INSERT INTO second_factors (account_id, pending_sealed_secret) VALUES (${accountId}, '\\x02'::bytea)`
    yield* sql`INSERT INTO recovery_codes (account_id, code_hash) VALUES (${accountId}, ${
      Buffer.from(crypto.randomUUID())
    })`
  })

for (const db of databases) {
  layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(120) })(
    `personal data over HTTP [${db.name}]`,
    (it) => {
      it.scoped("the export holds the member's own data, and nothing of other members; never cached; nothing without a session", () =>
        Effect.gen(function*() {
          const { account, cookie, own, p, world } = yield* makeMember("a")
          const anonymous = yield* download()
          expect(anonymous.status).toBe(401)
          expect(anonymous.headers["cache-control"]).toBe("no-store")

          const pendingEmail = `nouvelle.zephyrine.${db.name}@example.org`
          yield* (yield* rpcClient(cookie)).RequestEmailChange({ newEmail: Schema.decodeSync(Email)(pendingEmail),
            password: Redacted.make(PASSWORD) })
          const reply = yield* download(cookie)
          expect(reply.status).toBe(200)
          expect(reply.headers["content-type"]).toBe("application/zip")
          expect(reply.headers["cache-control"]).toBe("no-store")
          expect(reply.headers["content-disposition"]).toMatch(
            /^attachment; filename="vigie-mes-donnees-\d{4}-\d{2}-\d{2}\.zip"$/
          )
          const files = Object.fromEntries(
            Object.entries(unzipSync(reply.body)).map(([name, bytes]) => [name, strFromU8(bytes)])
          )
          const json = (name: string) => JSON.parse(files[name]!) as ReadonlyArray<Record<string, unknown>>
          expect(Object.keys(files)).toEqual(expect.arrayContaining([
            "compte.json",
            "quartiers.json",
            "alertes.json",
            "reponses-aux-alertes.json",
            "preferences.json",
            "preferences-gazette.json",
            "messages-recus.json",
            "sessions-et-connexions.json",
            "moderation.json",
            "telephone.json"
          ]))
          expect(json("compte.json")[0]).toMatchObject({ id: account.id, email: p.email, phone: p.phone,
            last_name: p.lastName })
          expect(json("quartiers.json")[0]).toMatchObject({ address_line1: p.line1, status: "verified",
            community: world.communityA.name })
          expect(json("alertes.json").map((a) => a["text"])).toStrictEqual([own.text])
          expect(json("reponses-aux-alertes.json")).toHaveLength(1)
          expect(json("preferences.json")[0]).toMatchObject({ sms: "urgent_only", quiet_start: 1320 })
          expect(json("preferences-gazette.json")[0]).toMatchObject({ annonce: "none", mairie_sms: true })
          // One alert's two deliveries share their time: the export orders them by (created_at, id), so by
          // the fan-out's insert order, which is not this test's concern.
          expect(
            json("messages-recus.json").map((d) => [d["channel"], d["destination"], d["status"]])
              .sort(([a], [b]) => String(a).localeCompare(String(b)))
          ).toStrictEqual([
            ["email", p.email, "pending"],
            ["sms", p.phone, "delivered"]
          ])
          const sessions = json("sessions-et-connexions.json")[0]!["sessions"] as ReadonlyArray<unknown>
          expect(sessions.length).toBeGreaterThanOrEqual(1)
          // The browsers Vigie knows, without their cookie; a pending new address; no hash of any kind.
          const devices = json("sessions-et-connexions.json")[0]!["navigateurs_connus"] as ReadonlyArray<
            Record<string, unknown>
          >
          expect(devices.length).toBeGreaterThanOrEqual(1)
          expect(Object.keys(devices[0]!).sort()).toStrictEqual(["created_at", "last_used_at"])
          const security = json("securite-du-compte.json")[0]!
          expect(
            (security["changements_d_adresse_email"] as ReadonlyArray<Record<string, unknown>>).map((
              c
            ) => [c["new_email"], c["status"]])
          )
            .toStrictEqual([[pendingEmail, "pending"]])
          expect(files["securite-du-compte.json"]).not.toMatch(/hash|secret|token/)
          expect(files["telephone.json"]).toContain(`VOL vélo ${p.lastName}`)
          expect(files["compte.json"]).not.toContain("password_hash")
          const everything = Object.values(files).join("\n")
          expect(everything).not.toContain("memberA")
          for (const [kind, other] of Object.entries(world.accounts)) {
            expect(everything, kind).not.toContain(other.id)
            expect(everything, kind).not.toContain(Option.getOrThrow(other.email))
            expect(everything, kind).not.toContain(`${other.firstName} ${other.lastName}`)
          }
        }))

      it.scoped("erasure: a wrong password changes nothing; the right one leaves no personal data, ends the session, and cancels pending messages", () =>
        Effect.gen(function*() {
          const { account, cookie, own, p, world } = yield* makeMember("b")
          const sql = yield* SqlClient.SqlClient
          const client = yield* rpcClient(cookie)

          const newEmail = `ailleurs.quintavalle.b.${db.name}@example.org`
          yield* fillAccountTables(account.id, cookie, newEmail)
          expect(yield* rowsOf(account.id)).toHaveLength(ACCOUNT_TABLES.length)
          const wrong = yield* Effect.flip(client.EraseMyAccount({ password: Redacted.make("not my password") }))
          expect(wrong._tag).toBe("InvalidCredentials")
          expect((yield* client.WhoAmI({})).account.email).toStrictEqual(Option.some(p.email))
          expect(yield* foundIn(p.line1)).toStrictEqual(["memberships: 1"])

          yield* client.EraseMyAccount({ password: Redacted.make(PASSWORD) })

          // Nothing of theirs is left in the tables of known browsers, SMS budgets, links, codes and second factors.
          expect(yield* rowsOf(account.id)).toStrictEqual([])
          for (const needle of [p.email, p.phone, p.phone.slice(1), p.lastName, p.firstName, p.line1, newEmail]) {
            expect(yield* foundIn(needle), needle).toStrictEqual([])
          }
          const [row] = yield* sql<{ status: string; first_name: string; last_name: string }>`
          SELECT status, first_name, last_name FROM accounts WHERE id = ${account.id}`
          expect(row).toStrictEqual({ status: "erased", first_name: "Ancien", last_name: "membre" })
          expect(yield* sql`SELECT status, home, postcode FROM memberships WHERE account_id = ${account.id}`)
            .toStrictEqual([
              { status: "left", home: false, postcode: "00000" }
            ])
          expect(yield* sql`SELECT count(*)::int AS n FROM sessions WHERE account_id = ${account.id}`).toStrictEqual([{
            n: 0
          }])
          expect((yield* Effect.flip(client.WhoAmI({})))._tag).toBe("Unauthenticated")
          const again = yield* Effect.flip(
            (yield* rpcClient()).LogIn({ email: p.email, password: Redacted.make(PASSWORD) })
          )
          expect(again._tag).toBe("InvalidCredentials")
          expect((yield* download(cookie)).status).toBe(401)

          // Their alert stays for the neighbours; their pending e-mail is cancelled, not sent.
          const neighbour = yield* rpcClient(`vigie_session=${world.tokens.memberA}`)
          const seen = yield* neighbour.GetAlert({ alertId: own.id })
          expect(seen.text).toBe(own.text)
          const statuses = yield* sql<{ channel: string; status: string; destination: string }>`
          SELECT channel, status, destination FROM deliveries WHERE account_id = ${account.id} ORDER BY channel`
          expect(statuses).toStrictEqual([
            { channel: "email", status: "cancelled", destination: "" },
            { channel: "sms", status: "delivered", destination: "" }
          ])
          const { mails } = yield* deliverAll(publicUrl)
          expect(mails.filter((m) => m.destination === p.email)).toStrictEqual([])
        }))

      it.scoped("the last référent of a quartier may erase their account: the quartier is left without one, nothing else of it changes", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("gdpr-referent")
          const sql = yield* SqlClient.SqlClient
          const referent = yield* rpcClient(`vigie_session=${world.tokens.referentA}`)
          yield* referent.EraseMyAccount({ password: Redacted.make(PASSWORD) })
          expect(
            yield* sql`SELECT count(*)::int AS n FROM memberships
          WHERE community_id = ${world.communityA.id} AND role = 'referent' AND status = 'verified'`
          ).toStrictEqual([{ n: 0 }])
          const neighbour = yield* rpcClient(`vigie_session=${world.tokens.memberA}`)
          expect((yield* neighbour.GetAlert({ alertId: world.alertKept.id })).id).toBe(world.alertKept.id)
        }))

      it.scoped("erasure is no way around the log-in's delay: after three wrong passwords even the right one waits, and nothing is erased", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("gdpr-guess")
          const client = yield* rpcClient(`vigie_session=${world.tokens.memberB}`)
          for (let i = 0; i < 3; i++) {
            expect((yield* Effect.flip(client.EraseMyAccount({ password: Redacted.make(`guess ${i}`) })))._tag).toBe(
              "InvalidCredentials"
            )
          }
          expect((yield* Effect.flip(client.EraseMyAccount({ password: Redacted.make(PASSWORD) })))._tag).toBe(
            "LoginThrottled"
          )
          expect((yield* client.WhoAmI({})).account.status).toBe("active")
        }))

      it.scoped("six wrong passwords for the erasure in parallel requests: exactly three are tried and counted, nothing is erased", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld("gdpr-burst")
          const cookie = `vigie_session=${world.tokens.memberA}`
          const outcomes = yield* Effect.all(
            Array.from(
              { length: 6 },
              (_, i) =>
                Effect.flatMap(
                  rpcClient(cookie),
                  (client) =>
                    Effect.match(client.EraseMyAccount({ password: Redacted.make(`devinette ${i}`) }), {
                      onFailure: (e) => e._tag,
                      onSuccess: () => "erased"
                    })
                )
            ),
            { concurrency: "unbounded" }
          )
          expect(outcomes.filter((o) => o === "InvalidCredentials")).toHaveLength(3)
          expect(outcomes.filter((o) => o === "LoginThrottled")).toHaveLength(3)
          const sql = yield* SqlClient.SqlClient
          const [account] = yield* sql<
            { status: string }
          >`SELECT status FROM accounts WHERE id = ${world.accounts.memberA.id}`
          expect(account!.status).toBe("active")
          // The same counter as the log-in's: the right password waits there too.
          const login = yield* Effect.flip(
            (yield* rpcClient()).LogIn({ email: Option.getOrThrow(world.accounts.memberA.email),
              password: Redacted.make(PASSWORD) })
          )
          expect(login._tag).toBe("LoginThrottled")
          expect((yield* (yield* rpcClient(cookie)).WhoAmI({})).account.status).toBe("active")
        }))
    }
  )
}
