import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import * as OutboxEmailSender from "@vigie/adapters/email/OutboxEmailSender"
import * as OutboxSmsSender from "@vigie/adapters/sms/OutboxSmsSender"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import { StaffInvitations } from "@vigie/domain/accounts/StaffInvitations"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import { CommuneStatisticsService } from "@vigie/domain/mairie/CommuneStatistics"
import { ReferentBulletins } from "@vigie/domain/mairie/ReferentBulletins"
import { TownAlerts } from "@vigie/domain/mairie/TownAlerts"
import type { Account } from "@vigie/domain/accounts/Account"
import type { Community } from "@vigie/domain/communities/Community"
import { gsm7Segments } from "@vigie/domain/channels/Gsm7"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import type { Email } from "@vigie/domain/shared/Text"
import { Chunk, DateTime, Duration, Effect, Fiber, Layer, Option, Redacted, Schedule, Stream } from "effect"
import { staff } from "../../src/commands/Staff.js"
import { alertRenderer } from "../../src/workers/AlertTexts.js"
import * as DeliveryWorker from "../../src/workers/DeliveryWorker.js"
import { BORDEAUX, CADAUJAC, homeAddress, makeWorld } from "../support/World.js"
import { actorOf, mairiePlatform, publicUrl, resident } from "./Support.js"

/** A resident (see `resident`) made référent of `communities`, with `status`. */
const referent = (
  communities: ReadonlyArray<Community>,
  options: Parameters<typeof resident>[1] & { readonly referentStatus?: "verified" | "pending_verification" } = {}
) =>
  Effect.gen(function*() {
    const memberships = yield* MembershipRepo
    const account = yield* resident([], options)
    for (const community of communities) {
      yield* memberships.insert({
        accountId: account.id,
        communityId: community.id,
        role: "referent",
        status: options.referentStatus ?? "verified",
        address: homeAddress("2 place de la Mairie")
      }).pipe(Effect.orDie)
    }
    return account
  })

const fast: DeliveryWorker.DeliveryWorkerConfig = {
  ...DeliveryWorker.defaultConfig,
  poll: Duration.millis(50),
  sms: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  email: { ratePerSecond: Infinity, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 }
}

const bulletinDeliveries = (bulletinId: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql<{ account_id: string; channel: string; destination: string; status: string; message_id: string }>`
      SELECT account_id, channel, destination, status, message_id FROM deliveries WHERE bulletin_id = ${bulletinId}
      ORDER BY account_id, channel`.pipe(Effect.orDie)
  )

const channelsOf = (rows: ReadonlyArray<{ account_id: string; channel: string }>, account: Account) =>
  rows.filter((r) => r.account_id === account.id).map((r) => r.channel)

const firstPage = { before: Option.none(), limit: 20 }

for (const db of databases) {
  describe(`référents' bulletins, statistics, staff command [${db.name}]`, () => {
    layer(mairiePlatform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("mairie", (it) => {
      it.effect("a bulletin reaches the verified référents of the chosen communities once, kept in their inbox", () =>
        Effect.gen(function*() {
          const bulletins = yield* ReferentBulletins
          const world = yield* makeWorld(`bul-${db.name}`)
          const { mairie, mairieOther, memberA, police, referentA } = world.accounts
          const sent = yield* bulletins.send(actorOf(police), {
            insee: CADAUJAC,
            communityIds: [world.communityA.id, world.communityB.id],
            text: "Vols de catalyseurs signalés cette semaine"
          })
          expect(sent.referents).toBe(1)
          expect(sent.bulletin.origin).toBe("police")
          const inbox = yield* bulletins.inbox(actorOf(referentA), firstPage)
          expect(inbox.bulletins.map((b) => b.id)).toStrictEqual([sent.bulletin.id])
          expect((yield* bulletins.inbox(actorOf(memberA), firstPage)).bulletins).toStrictEqual([])
          expect((yield* bulletins.inbox(actorOf(mairie), firstPage)).bulletins).toStrictEqual([])
          const refused = yield* Effect.flip(
            bulletins.send(actorOf(mairieOther), { insee: CADAUJAC, communityIds: [world.communityA.id], text: "x" })
          )
          expect(refused._tag).toBe("Forbidden")
          const stranger = yield* Effect.flip(
            bulletins.send(actorOf(mairieOther), { insee: BORDEAUX, communityIds: [world.communityA.id], text: "x" })
          )
          expect(stranger._tag).toBe("CommunityNotFound")
          expect(
            (yield* Effect.flip(
              bulletins.send(actorOf(referentA), { insee: CADAUJAC, communityIds: [world.communityA.id], text: "x" })
            ))._tag
          ).toBe("Forbidden")
        }))

      it.effect("a bulletin goes by SMS and e-mail once to each référent of the chosen communities, as their preferences allow, rendered in French by the workers", () =>
        Effect.gen(function*() {
          const sql = yield* SqlClient.SqlClient
          const bulletins = yield* ReferentBulletins
          const world = yield* makeWorld(`bulsend-${db.name}`)
          const { communityA, communityB } = world
          const { mairie, memberA, referentA } = world.accounts
          const both = yield* referent([communityA, communityB])
          const ofB = yield* referent([communityB])
          const urgentOnly = yield* referent([communityA], { sms: "urgent_only", email: "none" })
          const stopped = yield* referent([communityB], { stopped: true })
          const unreachable = yield* referent([communityA], { sms: "none", email: "none" })
          const pending = yield* referent([communityA], { referentStatus: "pending_verification" })
          const neighbour = yield* resident([communityA, communityB])

          const sent = yield* bulletins.send(actorOf(mairie), {
            insee: CADAUJAC,
            communityIds: [communityA.id, communityB.id],
            text:
              "Coupure d'eau rue des Vignes jeudi de 8 h à 12 h. Prévenez les personnes âgées <de votre rue> & voisins."
          })
          expect(sent.referents).toBe(6)
          const messages = yield* sql<{ kind: string; alert_id: string | null }>`
            SELECT kind, alert_id FROM messages WHERE bulletin_id = ${sent.bulletin.id}`
          expect(messages).toStrictEqual([{ kind: "bulletin", alert_id: null }])
          const rows = yield* bulletinDeliveries(sent.bulletin.id)
          expect(rows.every((r) => r.status === "pending")).toBe(true)
          expect(channelsOf(rows, both)).toStrictEqual(["email", "sms"])
          expect(channelsOf(rows, ofB)).toStrictEqual(["email", "sms"])
          expect(channelsOf(rows, urgentOnly)).toStrictEqual(["sms"])
          expect(channelsOf(rows, stopped)).toStrictEqual(["email"])
          expect(channelsOf(rows, referentA)).toStrictEqual(["email"])
          for (const nobody of [unreachable, pending, neighbour, memberA, mairie]) {
            expect(channelsOf(rows, nobody)).toStrictEqual([])
          }
          expect(rows).toHaveLength(7)

          const outbox = Layer.merge(OutboxSmsSender.layer, OutboxEmailSender.layer)
          yield* Effect.scoped(Effect.gen(function*() {
            yield* Effect.forkScoped(
              DeliveryWorker.run(yield* alertRenderer(publicUrl), fast).pipe(Effect.provide(outbox))
            )
            yield* bulletinDeliveries(sent.bulletin.id).pipe(
              Effect.filterOrFail((all) => all.every((r) => r.status === "sent"), () => "not sent yet"),
              Effect.retry(Schedule.spaced(Duration.millis(50))),
              Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () =>
                new Error("bulletin not sent in time") })
            )
          }))
          const phones = rows.filter((r) => r.channel === "sms").map((r) => r.destination)
          const addresses = rows.filter((r) => r.channel === "email").map((r) => r.destination)
          const sms = (yield* sql<{ destination: string; text: string }>`SELECT destination, text FROM sms_outbox`)
            .filter((m) => phones.includes(m.destination) && m.text.includes("aux référents"))
          const mails = (yield* sql<{ destination: string; subject: string; text: string; html: string }>`
            SELECT destination, subject, text, html FROM email_outbox`)
            .filter((m) => addresses.includes(m.destination) && m.subject.includes("aux référents"))
          expect(sms.map((m) => m.destination).sort()).toStrictEqual([...phones].sort())
          expect(mails.map((m) => m.destination).sort()).toStrictEqual([...addresses].sort())
          for (const m of sms) {
            expect(m.text).toMatch(/^Vigie - Mairie de Cadaujac aux référents : Coupure d'eau rue des Vignes jeudi/)
            expect(gsm7Segments(m.text).segments).toBe(1)
          }
          for (const m of mails) {
            expect(m.subject).toBe("Vigie – Mairie de Cadaujac aux référents")
            expect(m.text).toContain("Prévenez les personnes âgées <de votre rue> & voisins.")
            expect(m.html).toContain("Prévenez les personnes âgées &lt;de votre rue&gt; &amp; voisins.")
            expect(m.html).not.toContain("<de votre rue>")
          }
        }))

      it.effect("statistics: members and alerts per community and category, town-alert progress, CSV; aggregates only; staff only", () =>
        Effect.gen(function*() {
          const stats = yield* CommuneStatisticsService
          const towns = yield* TownAlerts
          const alerts = yield* AlertPublisher
          const world = yield* makeWorld(`stats-${db.name}`)
          const { mairie, mairieOther, memberA, moderator, police } = world.accounts
          yield* resident([world.communityB])
          yield* resident([world.communityB], { status: "pending_verification" })
          const old = yield* alerts.post({
            scope: { _tag: "Community", communityId: world.communityB.id },
            authorId: world.accounts.memberB.id,
            origin: "web",
            category: "fire_or_smoke",
            urgency: "urgent",
            text: "Fumée derrière le stade",
            place: Option.none(),
            sharedWithAuthorities: false,
            status: "published"
          }, DateTime.subtract(DateTime.unsafeNow(), { days: 3 }))
          expect(old.alert.status).toBe("published")
          const preview = yield* towns.preview(actorOf(mairie), {
            insee: CADAUJAC,
            communityIds: Option.some([world.communityA.id, world.communityB.id]),
            category: "strike",
            urgency: "info",
            text: "Grève des transports scolaires demain",
            place: Option.none()
          })
          const sent = yield* towns.confirm(actorOf(mairie), preview.previewToken, false)

          const figures = yield* stats.get(actorOf(police), CADAUJAC)
          const a = figures.communities.find((c) => c.communityId === world.communityA.id)!
          const b = figures.communities.find((c) => c.communityId === world.communityB.id)!
          // A: memberA, referentA verified; pending + 2 to vouch for. World's 3 alerts + the town alert.
          expect(a).toMatchObject({ verifiedMembers: 2, pendingMembers: 3,
            alerts: { last24h: 4, last7d: 4, last30d: 4 } })
          expect(b).toMatchObject({ verifiedMembers: 2, pendingMembers: 1,
            alerts: { last24h: 1, last7d: 2, last30d: 2 } })
          const fire = figures.categories.find((c) => c.category === "fire_or_smoke")!
          expect(fire.alerts).toStrictEqual({ last24h: 0, last7d: 1, last30d: 1 })
          const progress = figures.townAlerts.find((t) => t.alertId === sent.alert.id)!
          expect(progress).toMatchObject({ queued: sent.sms + sent.email, sent: 0, delivered: 0, failed: 0, dead: 0,
            withheld: 0 })
          expect(JSON.stringify(figures)).not.toContain("Fumée")

          const csv = yield* stats.exportCsv(actorOf(mairie), CADAUJAC)
          expect(csv.filename).toMatch(/^vigie-33080-\d{4}-\d{2}-\d{2}\.csv$/)
          expect(csv.csv.split("\r\n")[0]).toBe(
            "section,id,name,verified_members,pending_members,alerts_24h,alerts_7d,alerts_30d"
          )
          expect(csv.csv).toContain(`town_alert,${sent.alert.id},`)

          for (const outsider of [mairieOther, memberA, moderator]) {
            expect((yield* Effect.flip(stats.get(actorOf(outsider), CADAUJAC)))._tag).toBe("Forbidden")
            expect((yield* Effect.flip(stats.exportCsv(actorOf(outsider), CADAUJAC)))._tag).toBe("Forbidden")
          }
        }))

      it.scoped("statistics stream: the figures at once, then again when an alert of the commune is published", () =>
        Effect.gen(function*() {
          const stats = yield* CommuneStatisticsService
          const towns = yield* TownAlerts
          const world = yield* makeWorld(`stats-live-${db.name}`)
          const stream = yield* stats.watch(actorOf(world.accounts.mairie), CADAUJAC)
          const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(stream, 2)))
          yield* Effect.sleep(Duration.millis(200))
          const preview = yield* towns.preview(actorOf(world.accounts.police), {
            insee: CADAUJAC,
            communityIds: Option.some([world.communityA.id]),
            category: "roads",
            urgency: "info",
            text: "Route de Bordeaux fermée",
            place: Option.none()
          })
          const sent = yield* towns.confirm(actorOf(world.accounts.police), preview.previewToken, false)
          const got = Chunk.toReadonlyArray(yield* Fiber.join(fiber).pipe(Effect.timeout(Duration.seconds(10))))
          expect(got[0]!.townAlerts.map((t) => t.alertId)).not.toContain(sent.alert.id)
          expect(got[1]!.townAlerts.map((t) => t.alertId)).toContain(sent.alert.id)
        }))

      it.effect("staff add: a new mairie agent gets an invitation where they choose their password; an existing account gets the role; bad lines are refused", () =>
        Effect.gen(function*() {
          const accounts = yield* AccountRepo
          const email = `agent.${db.name}.${crypto.randomUUID().slice(0, 6)}@mairie-cadaujac.fr`
          const added = yield* staff(["add", "--role", "mairie", "--commune", "33080", "--email", email, "--first-name",
            "Anne", "--last-name", "Duval"])
          expect(added.created).toBe(true)
          const token = Redacted.value(Option.getOrThrow(added.invitation))
          const account = Option.getOrThrow(yield* accounts.findByEmail(email as Email))
          expect(account.staffRoles).toStrictEqual([{ _tag: "MairieAgent", insee: CADAUJAC }])
          const password = Redacted.make("Anne choisit sa phrase de passe")
          expect((yield* Effect.flip((yield* Sessions).logIn({ email: email as Email, password })))._tag).toBe(
            "InvalidCredentials"
          )
          const accepted = yield* (yield* StaffInvitations).accept({ token, password })
          expect(accepted.session.accountId).toBe(account.id)
          const login = yield* (yield* Sessions).logIn({ email: email as Email, password })
          expect(login.session.accountId).toBe(account.id)
          const again = yield* staff(["add", "--role", "police", "--commune", "33080", "--email", email, "--first-name",
            "Anne", "--last-name", "Duval"])
          expect(again.created).toBe(false)
          expect(again.roleGranted).toBe(true)
          expect(Option.getOrThrow(yield* accounts.findByEmail(email as Email)).staffRoles).toHaveLength(2)
          const same = yield* staff(["add", "--role", "police", "--commune", "33080", "--email", email, "--first-name",
            "Anne", "--last-name", "Duval"])
          expect(same.roleGranted).toBe(false)
          for (
            const bad of [
              ["add", "--role", "mairie", "--email", email, "--first-name", "A", "--last-name", "B"],
              ["add", "--role", "admin", "--commune", "33080", "--email", email, "--first-name", "A", "--last-name",
                "B"],
              ["add", "--role", "mayor", "--email", email, "--first-name", "A", "--last-name", "B"],
              ["add", "--role", "mairie", "--commune", "99999", "--email", "x@example.org", "--first-name", "A",
                "--last-name", "B"]
            ]
          ) {
            expect((yield* Effect.flip(staff(bad)))._tag).toBe("StaffCommandError")
          }
        }))
    })
  })
}
