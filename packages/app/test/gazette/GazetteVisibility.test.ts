import { describe, expect, layer } from "@effect/vitest"
import { databases } from "@vigie/adapters/test/support/TestDatabase"
import type { Account } from "@vigie/domain/accounts/Account"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { GazetteDetails, GazettePost, PostKind, PostStatus } from "@vigie/domain/gazette/GazettePost"
import { canRead, type GazetteViewer } from "@vigie/domain/gazette/GazettePolicy"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import { DateTime, Duration, Effect, FastCheck as fc, Option } from "effect"
import { platform } from "../support/TestPlatform.js"
import { CADAUJAC, makeWorld } from "../support/World.js"

const STATUSES: ReadonlyArray<PostStatus> = ["published", "held_for_review", "hidden", "withdrawn"]
const KINDS: ReadonlyArray<PostKind> = ["annonce", "vie_du_quartier", "communication"]

for (const db of databases) {
  describe(`Gazette visibility: the SQL lists agree with GazettePolicy.canRead [${db.name}]`, () => {
    layer(platform(db), { excludeTestServices: true, timeout: Duration.seconds(120) })("generated posts", (it) => {
      it.scoped("each verified member lists in each of their quartiers exactly the posts canRead lets them read there", () =>
        Effect.gen(function*() {
          const world = yield* makeWorld(`gazette-agree-${db.name}`)
          const repo = yield* GazetteRepo
          const now = yield* DateTime.now
          const { communityA: a, communityB: b } = world
          const residents = [world.accounts.memberA, world.accounts.memberB, world.accounts.referentA]
          const shapes = fc.sample(
            fc.record({
              kind: fc.constantFrom(...KINDS),
              status: fc.constantFrom(...STATUSES),
              author: fc.nat(residents.length - 1),
              community: fc.constantFrom(a.id, b.id),
              targets: fc.constantFrom<ReadonlyArray<CommunityId>>([], [a.id], [b.id], [a.id, b.id]),
              minutesAgo: fc.nat(5000)
            }),
            60
          )
          const posts: Array<GazettePost> = []
          for (const s of shapes) {
            const communication = s.kind === "communication"
            const details: GazetteDetails = communication
              ? { _tag: "communication", communityIds: s.targets }
              : s.kind === "annonce"
              ? { _tag: "annonce", offer: "donne" }
              : { _tag: "vie_du_quartier", topic: "nouvelle" }
            const author: Account = communication ? world.accounts.mairie : residents[s.author]!
            const post = yield* repo.insert({
              kind: s.kind,
              communityId: communication ? null : s.community,
              insee: CADAUJAC,
              authorId: author.id,
              title: "Titre",
              body: "Texte",
              photos: [],
              attachment: null,
              details,
              status: s.status,
              holdReasons: [],
              createdAt: DateTime.subtract(now, { minutes: s.minutesAgo }),
              expiresAt: null
            })
            posts.push(post)
          }
          const reachOf = (p: GazettePost): ReadonlyArray<CommunityId> =>
            p.communityId !== null
              ? [p.communityId]
              : p.details._tag === "communication" && p.details.communityIds.length > 0
              ? p.details.communityIds
              : [a.id, b.id]
          const generated = new Set(posts.map((p) => p.id))
          const memberships: ReadonlyArray<readonly [Account, CommunityId]> = [
            [world.accounts.memberA, a.id],
            [world.accounts.referentA, a.id],
            [world.accounts.memberB, b.id]
          ]
          for (const [account, communityId] of memberships) {
            const viewer: GazetteViewer = {
              accountId: account.id,
              staffRoles: account.staffRoles,
              verifiedCommunities: new Set([communityId])
            }
            const expected = posts
              .filter((p) => reachOf(p).includes(communityId) && canRead(viewer, { ...p, reach: reachOf(p) }))
              .map((p) => p.id)
              .sort()
            const listed = yield* Effect.forEach([true, false], (pinned) =>
              repo.list({
                communityId,
                insee: CADAUJAC,
                readerId: account.id,
                kinds: [],
                state: "all",
                query: Option.none(),
                after: Option.none(),
                limit: 1000,
                now,
                pinned
              }))
            const actual = listed.flat().map((p) => p.id).filter((id) => generated.has(id)).sort()
            expect(actual, account.lastName).toEqual(expected)
          }
        }))
    })
  })
}
