import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { PersonalDataRepo } from "@vigie/domain/accounts/PersonalDataRepo"
import type { AccountId } from "@vigie/domain/accounts/Account"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { Email } from "@vigie/domain/shared/Text"
import { DateTime, Duration, Effect, Option, Redacted, Schema } from "effect"
import sharp from "sharp"
import { rpcClient, serverLayer } from "../support/HttpHarness.js"
import { logInWithSecondStep } from "../support/StaffSignIn.js"
import { makeWorld, PASSWORD, verifiedNeighbour, type ActorKind, type World } from "../support/World.js"

const cookieOf = (world: World, kind: ActorKind) =>
  world.tokens[kind] === undefined ? undefined : `vigie_session=${world.tokens[kind]}`

const get = (path: string, cookie?: string) =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const response = yield* http.execute(
      HttpClientRequest.get(path).pipe(HttpClientRequest.setHeaders(cookie === undefined ? {} : { cookie }))
    )
    return { status: response.status, body: new Uint8Array(yield* response.arrayBuffer) }
  })

const photo = () =>
  Effect.promise(() =>
    sharp({ create: { width: 400, height: 400, channels: 3, background: "#3a7ac2" } }).jpeg().withExif({
      IFD0: { Make: "Telephone", Model: "Modele 12" }
    }).toBuffer().then((b) => new Uint8Array(b))
  )

const emptyProfile = {
  listed: true,
  nameStyle: "short",
  photoId: null,
  presentation: "",
  interests: [],
  interestsOther: "",
  skills: [],
  skillsOther: "",
  languages: [],
  visibility: {}
} as const

const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) => Effect.flip(effect)

const profileRows = (accountId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ presentation: string; updated_at: Date }>`
SELECT presentation, updated_at FROM member_profiles WHERE account_id = ${accountId}`.pipe(Effect.orDie))

const blockRows = (accountId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ n: number }>`
SELECT count(*)::int AS n FROM member_blocks WHERE blocker_id = ${accountId} OR blocked_id = ${accountId}`.pipe(
      Effect.map((rows) => rows[0]!.n),
      Effect.orDie
    ))

for (const db of databases) {
  describe(`profiles, the annuaire and blocking [${db.name}]`, () => {
    layer(serverLayer(db), { excludeTestServices: true, timeout: Duration.seconds(180) })("over HTTP", (it) => {
      it.scoped("a profile's fields reach only those its owner chose; its photo is served to them alone", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`directory-profile-${db.name}`)
          const chloe = yield* rpcClient(cookieOf(world, "memberA"))
          const neighbour = yield* rpcClient(cookieOf(world, "referentA"))
          const memberA = world.accounts.memberA.id

          // Never filled: listed with the short name only; street, number, phone, e-mail hidden.
          const first = yield* chloe.GetMyProfile({})
          expect(first).toMatchObject({ mine: true, listed: true, name: "Test M.", street: "rue memberA",
            houseNumber: "1", email: world.emails.memberA })
          expect(first.visibility).toMatchObject({ street: "me", houseNumber: "me", phone: "me", email: "me" })
          const seen = yield* neighbour.GetMemberProfile({ accountId: memberA })
          expect(seen).toMatchObject({ name: "Test M.", street: null, houseNumber: null, email: null, phone: null,
            visibility: null, mine: false })

          const upload = yield* chloe.UploadFile({ kind: "photo", data: yield* photo() })
          const saved = yield* chloe.SaveMyProfile({
            ...emptyProfile,
            nameStyle: "full",
            photoId: upload.id,
            presentation: "  Retraitée, j'arrose vos plantes.  ",
            interests: ["jardinage", "lecture"],
            interestsOther: "Les roses anciennes",
            skills: ["arrosage"],
            languages: ["fr", "es"],
            visibility: { street: "members", photo: "members", email: "me", languages: "me" }
          })
          expect(saved).toMatchObject({ name: "Test memberA", presentation: "Retraitée, j'arrose vos plantes.",
            photoUrl: `/media/${upload.id}` })
          const shown = yield* neighbour.GetMemberProfile({ accountId: memberA })
          expect(shown).toMatchObject({ name: "Test memberA", street: "rue memberA", houseNumber: null, email: null,
            interests: ["jardinage", "lecture"], skills: ["arrosage"], languages: [], referent: false,
            photoUrl: `/media/${upload.id}` })

          // The photo: its owner and a neighbour; nobody else, not even by its address.
          const served = yield* get(`/media/${upload.id}`, cookieOf(world, "referentA"))
          expect(served.status).toBe(200)
          expect((yield* Effect.promise(() => sharp(served.body).metadata())).exif).toBeUndefined()
          expect((yield* get(`/media/${upload.id}`, cookieOf(world, "memberA"))).status).toBe(200)
          for (const other of ["anonymous", "memberB", "pending", "moderator", "mairie", "admin"] as const) {
            expect((yield* get(`/media/${upload.id}`, cookieOf(world, other))).status, other).toBe(404)
          }
          // Replaced, then put back: a released photo cannot be taken again, a new one is served.
          const second = yield* chloe.UploadFile({ kind: "photo", data: yield* photo() })
          yield* chloe.SaveMyProfile({ ...emptyProfile, photoId: second.id })
          expect((yield* get(`/media/${upload.id}`, cookieOf(world, "memberA"))).status).toBe(404)
          expect((yield* get(`/media/${second.id}`, cookieOf(world, "referentA"))).status).toBe(200)
          const replaced = yield* Effect.flatMap(
            SqlClient.SqlClient,
            (sql) =>
              sql<{ claimed: boolean }>`SELECT claimed_at IS NOT NULL AS claimed FROM media_uploads
WHERE id = ${upload.id}`.pipe(Effect.orDie)
          )
          expect(replaced).toEqual([{ claimed: false }])
          const upload2 = second
          yield* chloe.SaveMyProfile({ ...emptyProfile, photoId: upload2.id, visibility: { photo: "me" } })
          expect((yield* get(`/media/${upload2.id}`, cookieOf(world, "referentA"))).status).toBe(404)
          expect((yield* get(`/media/${upload2.id}`, cookieOf(world, "memberA"))).status).toBe(200)

          // Staff and other quartiers find nobody; the same answer as for an unknown member.
          for (const other of ["memberB", "pending", "moderator", "mairie", "police", "admin"] as const) {
            const client = yield* rpcClient(cookieOf(world, other))
            expect((yield* failure(client.GetMemberProfile({ accountId: memberA })))._tag, other).toBe(
              "ProfileNotFound"
            )
          }

          // Bad input: a typed error, nothing written.
          const before = yield* profileRows(memberA)
          const bad = [
            { ...emptyProfile, presentation: "é".repeat(501) },
            { ...emptyProfile, interests: ["parachutisme"] },
            { ...emptyProfile, visibility: { street: "tout le monde" } },
            { ...emptyProfile, nameStyle: "surnom" }
          ]
          for (const payload of bad) {
            expect((yield* failure(chloe.SaveMyProfile(payload)))._tag).toBe("InvalidProfile")
          }
          expect(yield* failure(chloe.SaveMyProfile({ ...emptyProfile, interests: ["parachutisme"] }))).toMatchObject({
            field: "interests",
            reason: "unknown",
            value: "parachutisme"
          })
          // Someone else's photo cannot be taken.
          const hers = yield* neighbour.UploadFile({ kind: "photo", data: yield* photo() })
          expect((yield* failure(chloe.SaveMyProfile({ ...emptyProfile, photoId: hers.id })))._tag).toBe(
            "UploadUnavailable"
          )
          expect(yield* profileRows(memberA)).toEqual(before)

          // Leaving the annuaire: nobody finds her, she still sees her own profile; coming back.
          yield* chloe.SaveMyProfile({ ...emptyProfile, listed: false })
          expect((yield* failure(neighbour.GetMemberProfile({ accountId: memberA })))._tag).toBe("ProfileNotFound")
          const without = yield* neighbour.ListAnnuaire({ communityId: world.communityA.id })
          expect(without.entries.map((e) => e.accountId)).not.toContain(memberA)
          expect((yield* chloe.GetMyProfile({})).listed).toBe(false)
          expect((yield* chloe.ListAnnuaire({ communityId: world.communityA.id })).viewerListed).toBe(false)
          yield* chloe.SaveMyProfile({ ...emptyProfile, listed: true })
          expect((yield* neighbour.ListAnnuaire({ communityId: world.communityA.id })).entries.map((e) => e.accountId))
            .toContain(memberA)
        }))

      it.scoped("the annuaire: searched by name, shown street and interest; référents and newcomers; never staff", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`directory-annuaire-${db.name}`)
          const hugo = yield* verifiedNeighbour({
            communityId: world.communityA.id,
            firstName: "Hugo",
            lastName: "Bernard",
            email: Schema.decodeSync(Email)(`hugo.annuaire.${db.name}@example.org`),
            phone: Option.none(),
            line1: "3 rue des Vignes"
          })
          const hugoClient = yield* rpcClient(
            `vigie_session=${
              Redacted.value(
                (yield* logInWithSecondStep(
                  Schema.decodeSync(Email)(`hugo.annuaire.${db.name}@example.org`),
                  PASSWORD
                ).pipe(Effect.orDie)).token
              )
            }`
          )
          yield* hugoClient.SaveMyProfile({ ...emptyProfile, interests: ["velo"], skills: ["bricolage"],
            visibility: { street: "members" } })
          const chloe = yield* rpcClient(cookieOf(world, "memberA"))
          const communityId = world.communityA.id
          const names = (query: string) =>
            Effect.map(chloe.ListAnnuaire({ communityId, query }), (a) => a.entries.map((e) => e.name))
          const all = yield* chloe.ListAnnuaire({ communityId })
          expect(all.communityName).toBe(world.communityA.name)
          expect(all.entries.map((e) => e.name).sort()).toEqual(["Hugo B.", "Test M.", "Test R."])
          expect(all.entries.find((e) => e.name === "Test R.")!.referent).toBe(true)
          expect(all.entries.find((e) => e.name === "Hugo B.")).toMatchObject({ street: "rue des Vignes",
            interests: ["velo"], skills: ["bricolage"], mine: false })
          expect(yield* names("vélo")).toEqual(["Hugo B."])
          expect(yield* names("bricolage")).toEqual(["Hugo B."])
          expect(yield* names("vignes")).toEqual(["Hugo B."])
          expect(yield* names("hugo")).toEqual(["Hugo B."])
          // The référent's street is not shown: a search never finds it.
          expect(yield* names("referentA")).toEqual([])

          // Verified this week (the World's members were verified now too): all are new; one of last month is not.
          const sql = yield* SqlClient.SqlClient
          yield* sql`UPDATE memberships SET verified_at = now() - interval '30 days'
WHERE account_id <> ${hugo.id} AND community_id = ${communityId}`.pipe(Effect.orDie)
          yield* sql`UPDATE memberships SET verified_at = now() - interval '2 days' WHERE account_id = ${hugo.id}`
            .pipe(Effect.orDie)
          expect((yield* chloe.ListAnnuaire({ communityId })).newThisWeek.map((e) => e.name)).toEqual(["Hugo B."])

          // Staff never see it; other quartiers' members neither; the mairie keeps its counts only.
          for (const staff of ["moderator", "mairie", "police", "admin"] as const) {
            const client = yield* rpcClient(cookieOf(world, staff))
            expect((yield* failure(client.ListAnnuaire({ communityId })))._tag, staff).toBe("Forbidden")
          }
          for (const other of ["memberB", "pending"] as const) {
            const client = yield* rpcClient(cookieOf(world, other))
            expect((yield* failure(client.ListAnnuaire({ communityId })))._tag, other).toBe("NotAVerifiedMember")
          }
          const anonymous = yield* rpcClient()
          expect((yield* failure(anonymous.ListAnnuaire({ communityId })))._tag).toBe("Unauthenticated")
        }))

      it.scoped("blocking: the blocked member loses the blocker everywhere, is not told; bad blocks write nothing", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`directory-block-${db.name}`)
          const chloe = yield* rpcClient(cookieOf(world, "memberA"))
          const arthur = yield* rpcClient(cookieOf(world, "referentA"))
          const memberA = world.accounts.memberA.id
          const referentA = world.accounts.referentA.id
          const communityId = world.communityA.id

          const blocked = yield* chloe.BlockMember({ accountId: referentA })
          expect(blocked.map((b) => [b.accountId, b.name])).toEqual([[referentA, "Test R."]])
          // Again: nothing changes.
          expect((yield* chloe.BlockMember({ accountId: referentA })).length).toBe(1)
          expect((yield* chloe.ListMyBlocks({})).map((b) => b.accountId)).toEqual([referentA])

          // Arthur no longer finds her, as if she were unknown.
          expect((yield* arthur.ListAnnuaire({ communityId })).entries.map((e) => e.accountId)).not.toContain(memberA)
          expect((yield* failure(arthur.GetMemberProfile({ accountId: memberA })))._tag).toBe("ProfileNotFound")
          // Her Gazette posts take no comment or « merci » from him; her alerts no mark: the generic refusal.
          const comment = yield* failure(arthur.CommentGazettePost({ postId: world.gazettePost.id, text: "Bonjour" }))
          expect(comment._tag).toBe("Forbidden")
          expect((yield* failure(arthur.ThankGazettePost({ postId: world.gazettePost.id })))._tag).toBe("Forbidden")
          expect((yield* failure(arthur.MarkAlert({ alertId: world.alertKept.id, kind: "seen" })))._tag).toBe(
            "Forbidden"
          )
          expect((yield* chloe.GetAlertReactions({ alertId: world.alertKept.id })).seen).toEqual([])
          expect((yield* chloe.GetGazetteThanks({ postId: world.gazettePost.id })).count).toBe(0)
          // She still finds him (to unblock), marked as blocked.
          expect((yield* chloe.GetMemberProfile({ accountId: referentA })).blockedByMe).toBe(true)
          expect(
            (yield* chloe.ListAnnuaire({ communityId })).entries.find((e) => e.accountId === referentA)!
              .blockedByMe
          ).toBe(true)

          // Bad blocks: oneself, another quartier's member, an unknown one; nothing written.
          expect(yield* failure(chloe.BlockMember({ accountId: memberA }))).toMatchObject({ reason: "self" })
          expect(yield* failure(chloe.BlockMember({ accountId: world.accounts.memberB.id }))).toMatchObject({
            reason: "not_a_neighbour"
          })
          expect(yield* failure(chloe.BlockMember({ accountId: "00000000-0000-4000-8000-00000000beef" as AccountId })))
            .toMatchObject({ reason: "not_a_neighbour" })
          const moderator = yield* rpcClient(cookieOf(world, "moderator"))
          expect(yield* failure(moderator.BlockMember({ accountId: memberA }))).toMatchObject({
            reason: "not_a_neighbour"
          })
          expect(yield* blockRows(memberA)).toBe(1)

          // Unblocked: he finds her again, and may thank her post.
          expect(yield* chloe.UnblockMember({ accountId: referentA })).toEqual([])
          expect((yield* arthur.GetMemberProfile({ accountId: memberA })).name).toBe("Test M.")
          expect((yield* arthur.ThankGazettePost({ postId: world.gazettePost.id })).count).toBe(1)
        }))

      it.scoped("erasure removes the profile and the blocks; the export holds both; an erased member cannot be blocked", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`directory-gdpr-${db.name}`)
          const email = Schema.decodeSync(Email)(`leon.gdpr.${db.name}@example.org`)
          const leon = yield* verifiedNeighbour({ communityId: world.communityA.id, firstName: "Léon",
            lastName: "Petit", email, phone: Option.none(), line1: "8 impasse des Tilleuls" })
          const login = yield* logInWithSecondStep(email, PASSWORD).pipe(Effect.orDie)
          const client = yield* rpcClient(`vigie_session=${Redacted.value(login.token)}`)
          const portrait = yield* client.UploadFile({ kind: "photo", data: yield* photo() })
          yield* client.SaveMyProfile({ ...emptyProfile, photoId: portrait.id, presentation: "Musicien du dimanche",
            interests: ["musique"] })
          yield* client.BlockMember({ accountId: world.accounts.memberA.id })

          const data = yield* PersonalDataRepo
          const files = yield* data.collect(leon.id, new Uint8Array(32))
          const annuaire = (files.find((f) => f.name === "annuaire.json")!.content as ReadonlyArray<unknown>)[0] as {
            readonly profil: ReadonlyArray<Record<string, unknown>>
            readonly membres_bloques: ReadonlyArray<Record<string, unknown>>
          }
          expect(annuaire.profil[0]).toMatchObject({ presentation: "Musicien du dimanche", dans_l_annuaire: true })
          expect(annuaire.membres_bloques.map((b) => b["membre"])).toEqual(["Test M."])
          expect(JSON.stringify(annuaire)).not.toContain(world.accounts.memberA.id)

          yield* data.erase(leon.id, yield* DateTime.now)
          yield* (yield* AccountRepo).setStatus(leon.id, "erased")
          expect(yield* profileRows(leon.id)).toEqual([])
          // The photo is served to nobody, and released: the retention job's sweep of stale uploads takes its bytes.
          expect((yield* get(`/media/${portrait.id}`, cookieOf(world, "memberA"))).status).toBe(404)
          const sql = yield* SqlClient.SqlClient
          const [released] = yield* sql<{ claimed: boolean; stale: boolean }>`
SELECT claimed_at IS NOT NULL AS claimed, created_at < now() - interval '1 day' AS stale
FROM media_uploads WHERE id = ${portrait.id}`.pipe(Effect.orDie)
          expect(released).toEqual({ claimed: false, stale: true })
          expect(yield* blockRows(leon.id)).toBe(0)
          const chloe = yield* rpcClient(cookieOf(world, "memberA"))
          expect(yield* failure(chloe.BlockMember({ accountId: leon.id }))).toMatchObject({ reason: "not_a_neighbour" })
          expect((yield* failure(chloe.GetMemberProfile({ accountId: leon.id })))._tag).toBe("ProfileNotFound")
          expect((yield* (yield* MembershipRepo).listByAccount(leon.id)).every((m) => m.status === "left")).toBe(true)
        }))
    })
  })
}
