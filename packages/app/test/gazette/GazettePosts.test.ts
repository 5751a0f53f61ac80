import { RpcClient, RpcTest } from "@effect/rpc"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { AlertId } from "@vigie/domain/alerts/Alert"
import type {
  GazetteCursor,
  GazetteDetails,
  GazettePage,
  GazettePostId,
  GazettePostView
} from "@vigie/domain/gazette/GazettePost"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { Upload, type UploadId, type UploadKind } from "@vigie/domain/media/Upload"
import { UploadRepo } from "@vigie/domain/media/UploadRepo"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { LiveEvents } from "@vigie/domain/live/LiveEvents"
import { Email } from "@vigie/domain/shared/Text"
import { Chunk, DateTime, Duration, Effect, Fiber, Layer, Option, Redacted, Schema, Stream } from "effect"
import * as Server from "../../src/http/Server.js"
import { VigieRpcs } from "../../src/rpc/VigieRpcs.js"
import { actorOf } from "../support/Actors.js"
import { logInWithSecondStep } from "../support/StaffSignIn.js"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld, PASSWORD, verifiedNeighbour, type ActorKind, type World } from "../support/World.js"

const publicUrl = new URL("http://vigie.test")

const inDays = (days: number) => Effect.map(DateTime.now, (now) => DateTime.add(now, { days }))

/** A stored upload of `owner`, as the media pipeline leaves it before a post claims it. */
const upload = (owner: AccountId, kind: UploadKind) =>
  Effect.gen(function*() {
    const id = crypto.randomUUID() as UploadId
    yield* (yield* UploadRepo).insert(
      new Upload({
        id,
        ownerId: owner,
        kind,
        blobKey: `test/${id}`,
        contentType: kind === "photo" ? "image/jpeg" : "application/pdf",
        name: kind === "pdf" ? "compte-rendu.pdf" : null,
        bytes: 1000,
        width: kind === "photo" ? 800 : null,
        height: kind === "photo" ? 600 : null,
        createdAt: yield* DateTime.now,
        claimedAt: null
      })
    )
    return id
  })

const setup = (world: World) =>
  Effect.gen(function*() {
    const client = yield* RpcTest.makeClient(VigieRpcs)
    const as = <A, E, R>(kind: ActorKind, effect: Effect.Effect<A, E, R>) =>
      RpcClient.withHeaders(effect, { cookie: `vigie_session=${world.tokens[kind]}` })
    const failure = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.map(Effect.flip(effect), (e) => e._tag)
    const publish = (kind: ActorKind, title: string, details: GazetteDetails, extra: {
      readonly body?: string
      readonly photos?: ReadonlyArray<UploadId>
      readonly community?: "A" | "B"
    } = {}) =>
      as(
        kind,
        client.PublishGazettePost({
          communityId: (extra.community === "B" ? world.communityB : world.communityA).id,
          title,
          body: extra.body ?? "Voir les détails ci-dessous.",
          photos: extra.photos ?? [],
          details: details as never
        })
      )
    const list = (kind: ActorKind, payload: Partial<Parameters<typeof client.ListGazette>[0]> = {}) =>
      as(
        kind,
        client.ListGazette({ communityId: world.communityA.id, kinds: [], state: "open", limit: 20, ...payload })
      )
    return { client, as, failure, publish, list }
  })

const titles = (posts: ReadonlyArray<GazettePostView>) => posts.map((p) => p.title)

for (const db of databases) {
  describe(`Gazette posts [${db.name}]`, () => {
    layer(Server.handlers().pipe(Layer.provideMerge(platform(db, publicUrl))), {
      excludeTestServices: true,
      timeout: Duration.seconds(120)
    })("through the RPCs", (it) => {
      it.scoped("a member publishes each kind; their quartier reads it, nobody else does", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-kinds-${db.name}`)
          const { as, client, failure, publish } = yield* setup(world)
          const memberA = world.accounts.memberA.id
          const photo = yield* upload(memberA, "photo")
          const pdf = yield* upload(memberA, "pdf")
          const tomorrow = yield* inDays(1)
          const yesterday = yield* inDays(-1)
          const kinds: ReadonlyArray<readonly [string, GazetteDetails, ReadonlyArray<UploadId>]> = [
            ["Vends vélo", { _tag: "annonce", offer: "vends", priceCents: 4500 }, []],
            ["Courses pour Mme Roux", { _tag: "entraide", direction: "demande", help: "courses" }, []],
            ["Bordeaux lundi matin", {
              _tag: "covoiturage",
              direction: "offre",
              from: "Cadaujac",
              to: "Bordeaux",
              departsAt: tomorrow,
              seats: 3
            }, []],
            ["Chat perdu", { _tag: "perdu_trouve", situation: "perdu", subject: "animal", where: "rue des Vignes",
              seenAt: yesterday }, [photo]],
            ["Bienvenue aux Martin", { _tag: "vie_du_quartier", topic: "bienvenue" }, []],
            ["AG de la résidence", { _tag: "compte_rendu", meeting: "assemblee_copropriete", heldOn: yesterday,
              attachment: pdf }, []],
            ["Fête des voisins", { _tag: "evenement", startsAt: tomorrow, endsAt: DateTime.add(tomorrow, { hours: 3 }),
              place: "Square Jean Moulin", capacity: 40 }, []]
          ]
          for (const [title, details, photos] of kinds) {
            const published = yield* publish("memberA", title, details, { photos })
            expect(published.post.status, title).toBe("published")
            expect(published.post.kind).toBe(details._tag)
            expect(published.post.authorName).toBe("Test M.")
            expect(published.post.mine).toBe(true)
            expect(published.post.photos).toEqual(photos)
            expect(published.post.state).toBe("open")
            expect(published.post.expiresAt !== null, title).toBe(
              ["annonce", "entraide", "covoiturage", "perdu_trouve"].includes(details._tag)
            )
            const postId = published.post.id
            const read = yield* as("referentA", client.GetGazettePost({ postId }))
            expect(read.title).toBe(title)
            expect(read.mine).toBe(false)
            expect(read.details).toEqual(published.post.details)
            for (const stranger of ["memberB", "pending", "moderator", "admin", "police", "mairie"] as const) {
              expect(yield* failure(as(stranger, client.GetGazettePost({ postId }))), stranger).toBe(
                "GazettePostNotFound"
              )
            }
          }
          // The claimed uploads are taken: another post cannot use them again.
          expect(
            yield* failure(publish("memberA", "Encore le chat", { _tag: "vie_du_quartier", topic: "anecdote" }, {
              photos: [photo]
            }))
          ).toBe("UploadUnavailable")
        }))

      it.scoped("bad input gets its typed error and writes nothing; a refused upload leaves no post behind", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-bad-${db.name}`)
          const { failure, publish } = yield* setup(world)
          const repo = yield* GazetteRepo
          const memberA = world.accounts.memberA.id
          const before = yield* repo.countByAuthor(memberA)
          const tomorrow = yield* inDays(1)
          const ride = { _tag: "covoiturage", direction: "offre", from: "Cadaujac", to: "Bordeaux", departsAt: tomorrow,
            seats: 2 } as const
          const invalid = (details: GazetteDetails, photos: ReadonlyArray<UploadId> = []) =>
            Effect.flip(publish("memberA", "Titre correct", details, { photos }))
          expect(yield* invalid({ ...ride, to: "" })).toMatchObject({ _tag: "InvalidGazettePost", field: "to",
            reason: "required" })
          expect(yield* invalid({ ...ride, departsAt: yield* inDays(-1) })).toMatchObject({
            _tag: "InvalidGazettePost",
            field: "departsAt",
            reason: "in_the_past"
          })
          expect(
            yield* invalid({ _tag: "evenement", startsAt: tomorrow, endsAt: DateTime.add(tomorrow, { hours: -1 }),
              place: "Salle des fêtes" })
          ).toMatchObject({ _tag: "InvalidGazettePost", field: "endsAt", reason: "before_start" })
          expect(yield* invalid({ _tag: "evenement", startsAt: yield* inDays(-2), place: "Salle des fêtes" }))
            .toMatchObject({ _tag: "InvalidGazettePost", field: "startsAt", reason: "in_the_past" })
          expect(yield* invalid({ _tag: "annonce", offer: "donne", priceCents: 100 })).toMatchObject({
            _tag: "InvalidGazettePost",
            field: "priceCents"
          })
          // One good photo and one of somebody else's: nothing is claimed, no post is written.
          const mine = yield* upload(memberA, "photo")
          const theirs = yield* upload(world.accounts.referentA.id, "photo")
          expect(
            yield* failure(publish("memberA", "Trouvé des clés", {
              _tag: "vie_du_quartier",
              topic: "nouvelle"
            }, { photos: [mine, theirs] }))
          ).toBe("UploadUnavailable")
          // A PDF is no photo.
          const pdf = yield* upload(memberA, "pdf")
          expect(
            yield* failure(publish("memberA", "Trouvé des clés", {
              _tag: "vie_du_quartier",
              topic: "nouvelle"
            }, { photos: [pdf] }))
          ).toBe("UploadUnavailable")
          expect(yield* repo.countByAuthor(memberA)).toBe(before)
          expect(Option.map(yield* (yield* UploadRepo).get(mine), (u) => u.claimedAt)).toEqual(Option.some(null))
          // The same photo is usable once the post is right.
          const ok = yield* publish("memberA", "Trouvé des clés", { _tag: "vie_du_quartier", topic: "nouvelle" }, {
            photos: [mine]
          })
          expect(ok.post.photos).toEqual([mine])
          // Two posts racing for one photo: exactly one takes it.
          const raced = yield* upload(memberA, "photo")
          const race = yield* Effect.all(
            ["Course 1", "Course 2"].map((title) =>
              publish("memberA", title, { _tag: "vie_du_quartier", topic: "anecdote" }, { photos: [raced] }).pipe(
                Effect.map(() => "ok"),
                Effect.catchAll((e) => Effect.succeed(e._tag))
              )
            ),
            { concurrency: "unbounded" }
          )
          expect([...race].sort()).toEqual(["UploadUnavailable", "ok"])
          // Outside one's own quartier: refused.
          expect(
            yield* failure(publish("memberA", "Ailleurs", { _tag: "vie_du_quartier", topic: "nouvelle" }, {
              community: "B"
            }))
          ).toBe("NotAVerifiedMember")
          expect(yield* failure(publish("pending", "En attente", { _tag: "vie_du_quartier", topic: "nouvelle" })))
            .toBe("NotAVerifiedMember")
        }))

      it.scoped("a new member's first posts and a profiling lost-and-found wait for a moderator; only their author sees them", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-held-${db.name}`)
          const { as, client, failure, publish } = yield* setup(world)
          // referentA never posted in the Gazette: their first two posts are held.
          const first = yield* publish("referentA", "Bonjour à tous", { _tag: "vie_du_quartier", topic: "nouvelle" })
          expect(first.post.status).toBe("held_for_review")
          expect(first.post.holdReasons).toEqual(["new_member"])
          expect(yield* failure(as("memberA", client.GetGazettePost({ postId: first.post.id })))).toBe(
            "GazettePostNotFound"
          )
          expect((yield* as("referentA", client.GetGazettePost({ postId: first.post.id }))).holdReasons).toEqual([
            "new_member"
          ])
          // memberA is trusted (two posts already); a profiling text holds the post anyway, and says why.
          const yesterday = yield* inDays(-1)
          const profiling = yield* publish("memberA", "Vélo trouvé", {
            _tag: "perdu_trouve",
            situation: "trouve",
            subject: "objet",
            where: "parc",
            seenAt: yesterday
          }, { body: "Un vélo laissé par un homme de type maghrébin près du parc." })
          expect(profiling.post.status).toBe("held_for_review")
          expect(profiling.post.holdReasons).toEqual(["sensitive_descriptors"])
          expect(profiling.flagged.map((s) => s.kind)).toContain("origin")
          expect(yield* failure(as("referentA", client.GetGazettePost({ postId: profiling.post.id })))).toBe(
            "GazettePostNotFound"
          )
          // The same words in an annonce are not checked (the check is for posts about people).
          const annonce = yield* publish("memberA", "Tapis", { _tag: "annonce", offer: "vends" }, {
            body: "Tapis oriental, style maghrébin."
          })
          expect(annonce.post.status).toBe("published")
          // The held posts are listed to their author only.
          const listed = (kind: ActorKind) =>
            Effect.map(
              as(kind, client.ListGazette({ communityId: world.communityA.id, kinds: [], state: "all", limit: 50 })),
              (p) => titles(p.posts)
            )
          expect(yield* listed("memberA")).toContain("Vélo trouvé")
          expect(yield* listed("referentA")).not.toContain("Vélo trouvé")
          expect(yield* listed("referentA")).toContain("Bonjour à tous")
          expect(yield* listed("memberA")).not.toContain("Bonjour à tous")
        }))

      it.scoped("pages on (created_at, id) with no duplicate and no gap, filters by kind and state, searches in French without accents", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-pages-${db.name}`)
          const { list } = yield* setup(world)
          const repo = yield* GazetteRepo
          const now = yield* DateTime.now
          // 23 posts, several sharing one instant: the id breaks the ties.
          const ids: Array<GazettePostId> = []
          for (let i = 0; i < 23; i++) {
            const at = DateTime.subtract(now, { minutes: Math.floor(i / 3) })
            const post = yield* repo.insert({
              kind: i % 2 === 0 ? "annonce" : "vie_du_quartier",
              communityId: world.communityA.id,
              insee: CADAUJAC,
              authorId: world.accounts.referentA.id,
              title: i === 4 ? "Réunion rue des Écoles" : i === 5 ? "TRAVAUX ECOLES" : `Annonce ${i}`,
              body: "Texte",
              photos: [],
              attachment: null,
              details: i % 2 === 0
                ? { _tag: "annonce", offer: "donne" }
                : { _tag: "vie_du_quartier", topic: "nouvelle" },
              status: "published",
              holdReasons: [],
              createdAt: at,
              expiresAt: i % 2 === 0 ? DateTime.add(at, { days: 30 }) : null
            })
            ids.push(post.id)
          }
          const seen: Array<GazettePostView> = []
          let cursor: GazetteCursor | undefined = undefined
          for (let page = 0; page < 20; page++) {
            const result: GazettePage = yield* list("memberA", { limit: 5, state: "all",
              ...(cursor ? { cursor } : {}) })
            seen.push(...result.posts)
            if (Option.isNone(result.next)) break
            cursor = result.next.value
          }
          const mine = seen.filter((p) => ids.includes(p.id))
          expect(new Set(seen.map((p) => p.id)).size).toBe(seen.length)
          expect(new Set(mine.map((p) => p.id))).toEqual(new Set(ids))
          const order = seen.map((p) => [DateTime.toEpochMillis(p.createdAt), p.id] as const)
          const sorted = [...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0))
          expect(order).toEqual(sorted)

          const onlyNews = yield* list("memberA", { kinds: ["vie_du_quartier"], state: "all", limit: 50 })
          expect(onlyNews.posts.every((p) => p.kind === "vie_du_quartier")).toBe(true)
          expect(onlyNews.posts.filter((p) => ids.includes(p.id))).toHaveLength(11)

          const search = (query: string) => Effect.map(list("memberA", { query, state: "all" }), (p) => titles(p.posts))
          expect(yield* search("ecoles")).toEqual(expect.arrayContaining(["Réunion rue des Écoles", "TRAVAUX ECOLES"]))
          expect(yield* search("écoles")).toEqual(expect.arrayContaining(["Réunion rue des Écoles", "TRAVAUX ECOLES"]))
          expect(yield* search("École")).toEqual(expect.arrayContaining(["Réunion rue des Écoles", "TRAVAUX ECOLES"]))
          expect(yield* search("travaux")).toEqual(["TRAVAUX ECOLES"])
          expect(yield* search("piscine")).toEqual([])
        }))

      it.scoped("close, renew and withdraw: outcomes of the kind, expired annonces come back, closed ones do not", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-close-${db.name}`)
          const { as, client, failure, list, publish } = yield* setup(world)
          const repo = yield* GazetteRepo
          const tomorrow = yield* inDays(1)
          const annonce = (yield* publish("memberA", "Table à donner", { _tag: "annonce", offer: "donne" })).post
          expect(yield* failure(as("memberA", client.CloseGazettePost({ postId: annonce.id, outcome: "complet" }))))
            .toBe("OutcomeNotAllowed")
          expect(yield* failure(as("referentA", client.CloseGazettePost({ postId: annonce.id, outcome: "donne" }))))
            .toBe("Forbidden")
          const closed = yield* as("memberA", client.CloseGazettePost({ postId: annonce.id, outcome: "donne" }))
          expect({ state: closed.state, outcome: closed.outcome }).toEqual({ state: "closed", outcome: "donne" })
          expect(yield* failure(as("memberA", client.CloseGazettePost({ postId: annonce.id, outcome: "donne" }))))
            .toBe("GazettePostClosed")
          expect(yield* failure(as("memberA", client.RenewGazettePost({ postId: annonce.id })))).toBe(
            "GazettePostClosed"
          )
          expect(titles((yield* list("referentA")).posts)).not.toContain("Table à donner")
          expect(titles((yield* list("referentA", { state: "closed" })).posts)).toContain("Table à donner")

          const event =
            (yield* publish("memberA", "Vide-grenier", { _tag: "evenement", startsAt: tomorrow,
              place: "Place de la mairie" })).post
          expect(yield* failure(as("memberA", client.CloseGazettePost({ postId: event.id, outcome: "fait" })))).toBe(
            "OutcomeNotAllowed"
          )
          expect(yield* failure(as("memberA", client.RenewGazettePost({ postId: event.id })))).toBe("NotRenewable")

          // Published 31 days ago, never renewed: expired, out of the open list; its author renews it.
          const longAgo = DateTime.subtract(yield* DateTime.now, { days: 31 })
          const old = yield* repo.insert({
            kind: "entraide",
            communityId: world.communityA.id,
            insee: CADAUJAC,
            authorId: world.accounts.memberA.id,
            title: "Aide au jardin",
            body: "Je peux tailler vos haies.",
            photos: [],
            attachment: null,
            details: { _tag: "entraide", direction: "offre", help: "jardinage" },
            status: "published",
            holdReasons: [],
            createdAt: longAgo,
            expiresAt: DateTime.add(longAgo, { days: 30 })
          })
          expect((yield* as("referentA", client.GetGazettePost({ postId: old.id }))).state).toBe("expired")
          expect(titles((yield* list("referentA")).posts)).not.toContain("Aide au jardin")
          const renewed = yield* as("memberA", client.RenewGazettePost({ postId: old.id }))
          expect(renewed.state).toBe("open")
          const expected = DateTime.toEpochMillis(yield* inDays(30))
          expect(Math.abs(DateTime.toEpochMillis(renewed.expiresAt!) - expected)).toBeLessThan(60_000)
          expect(titles((yield* list("referentA")).posts)).toContain("Aide au jardin")

          // Withdrawn: gone for everyone, its author included.
          yield* as("memberA", client.WithdrawGazettePost({ postId: old.id }))
          expect(yield* failure(as("referentA", client.GetGazettePost({ postId: old.id })))).toBe("GazettePostNotFound")
          expect(yield* failure(as("memberA", client.WithdrawGazettePost({ postId: old.id })))).toBe(
            "GazettePostNotFound"
          )
          expect(titles((yield* list("memberA", { state: "all", limit: 50 })).posts)).not.toContain("Aide au jardin")
        }))

      it.scoped("the mairie's communications: pinned first in every quartier they reach, told live to those quartiers only", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-mairie-${db.name}`)
          const { as, client, failure, list } = yield* setup(world)
          const live = yield* LiveEvents
          const alerts = yield* Alerts
          // The end of what is collected: an alert event every watcher below receives (police included).
          const marker = crypto.randomUUID() as AlertId
          const collect = (stream: Stream.Stream<LiveEvent>) =>
            Effect.fork(Effect.map(
              Stream.runCollect(Stream.takeUntil(stream, (e) => e._tag === "AlertPublished" && e.alertId === marker)),
              Chunk.toReadonlyArray
            ))
          const toMemberA = yield* collect(yield* alerts.watch(actorOf(world.accounts.memberA)))
          const toMemberB = yield* collect(yield* alerts.watch(actorOf(world.accounts.memberB)))
          const toPolice = yield* collect(yield* alerts.watch(actorOf(world.accounts.police)))

          const pinnedUntil = yield* inDays(7)
          const everywhere = yield* as(
            "mairie",
            client.PublishMairieCommunication({
              insee: CADAUJAC,
              communityIds: [],
              pinnedUntil,
              title: "Coupure d'eau mardi",
              body: "De 9 h à 12 h dans toute la commune.",
              photos: []
            })
          )
          expect(everywhere.post).toMatchObject({ status: "published", authorName: "Mairie", pinned: true })
          const onlyB = yield* as(
            "mairie",
            client.PublishMairieCommunication({
              insee: CADAUJAC,
              communityIds: [world.communityB.id],
              title: "Travaux avenue de B",
              body: "Circulation alternée.",
              photos: []
            })
          )
          expect(onlyB.post.pinned).toBe(false)
          const memberPost = (yield* as(
            "memberB",
            client.PublishGazettePost({
              communityId: world.communityB.id,
              title: "Perceuse à prêter",
              body: "Demandez-moi.",
              photos: [],
              details: { _tag: "annonce", offer: "prete" }
            })
          )).post
          // memberB's first post waits for a moderator: nobody is told of it.
          expect(memberPost.status).toBe("held_for_review")

          for (const [reader, community] of [["memberA", world.communityA], ["memberB", world.communityB]] as const) {
            const first = yield* list(reader, { communityId: community.id })
            expect(titles(first.pinned), reader).toEqual(["Coupure d'eau mardi"])
            expect(titles(first.posts), reader).not.toContain("Coupure d'eau mardi")
          }
          expect(titles((yield* list("memberB", { communityId: world.communityB.id })).posts)).toContain(
            "Travaux avenue de B"
          )
          expect(titles((yield* list("memberA")).posts)).not.toContain("Travaux avenue de B")
          expect(yield* failure(as("memberA", client.GetGazettePost({ postId: onlyB.post.id })))).toBe(
            "GazettePostNotFound"
          )
          // The commune's agents read their communications in each quartier, nothing else there.
          const agentView = yield* list("mairie", { communityId: world.communityB.id, state: "all" })
          expect(titles(agentView.pinned)).toEqual(["Coupure d'eau mardi"])
          expect(agentView.posts.every((p) => p.kind === "communication")).toBe(true)
          expect(yield* failure(as("mairie", client.GetGazettePost({ postId: world.gazettePost.id })))).toBe(
            "GazettePostNotFound"
          )
          // Another commune's agent, the police: refused; a quartier of another commune: refused.
          expect(
            yield* failure(
              as(
                "mairieOther",
                client.PublishMairieCommunication({ insee: CADAUJAC, communityIds: [], title: "Essai", body: "Essai",
                  photos: [] })
              )
            )
          ).toBe("Forbidden")
          expect(
            yield* failure(
              as(
                "police",
                client.PublishMairieCommunication({ insee: CADAUJAC, communityIds: [], title: "Essai", body: "Essai",
                  photos: [] })
              )
            )
          ).toBe("Forbidden")
          expect(
            yield* Effect.flip(
              as(
                "mairie",
                client.PublishMairieCommunication({ insee: CADAUJAC, communityIds: [crypto.randomUUID() as never],
                  title: "Essai", body: "Essai", photos: [] })
              )
            )
          ).toMatchObject({ _tag: "InvalidGazettePost", field: "communityIds", reason: "not_in_commune" })

          yield* live.publish({ _tag: "AlertPublished", alertId: marker, insee: CADAUJAC,
            communityIds: [world.communityA.id, world.communityB.id], authorities: true })
          const gazette = (events: ReadonlyArray<LiveEvent>) =>
            events.flatMap((e) => (e._tag === "GazetteChanged" ? [e.postId] : []))
          expect(gazette(yield* Fiber.join(toMemberA))).toEqual([everywhere.post.id])
          expect(gazette(yield* Fiber.join(toMemberB))).toEqual([everywhere.post.id, onlyB.post.id])
          expect(gazette(yield* Fiber.join(toPolice))).toEqual([])
        }))

      it.scoped("at most 10 posts a day per member, exactly, under 30 concurrent calls", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-rate-${db.name}`)
          const { client } = yield* setup(world)
          const email = Schema.decodeSync(Email)(`rate.${db.name}@example.org`)
          yield* verifiedNeighbour({ communityId: world.communityA.id, firstName: "Rapide", lastName: "Posteur", email,
            phone: Option.none(), line1: "9 rue Vite" })
          const token = (yield* logInWithSecondStep(email, PASSWORD).pipe(Effect.orDie)).token
          const call = (i: number) =>
            RpcClient.withHeaders(
              client.PublishGazettePost({
                communityId: world.communityA.id,
                title: `Annonce ${i}`,
                body: "Texte",
                photos: [],
                details: { _tag: "annonce", offer: "donne" }
              }),
              { cookie: `vigie_session=${Redacted.value(token)}` }
            ).pipe(Effect.map(() => "ok"), Effect.catchAll((e) => Effect.succeed(e._tag)))
          const outcomes = yield* Effect.all(Array.from({ length: 30 }, (_, i) => call(i)), {
            concurrency: "unbounded"
          })
          expect(outcomes.filter((o) => o === "ok")).toHaveLength(10)
          expect(outcomes.filter((o) => o === "GazetteRateLimited")).toHaveLength(20)
          const sql = yield* SqlClient.SqlClient
          const written = yield* sql<{ n: number }>`
SELECT count(*)::int AS n FROM gazette_posts p JOIN accounts a ON a.id = p.author_id WHERE lower(a.email) = ${email}`
          expect(written[0]!.n).toBe(10)
        }))
    })
  })
}
