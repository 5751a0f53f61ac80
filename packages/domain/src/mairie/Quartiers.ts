import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { displayName } from "../accounts/DisplayName.js"
import { perimeterProblem } from "../communities/Communities.js"
import type { InseeCode } from "../communities/Commune.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import type { Community, CommunityId } from "../communities/Community.js"
import {
  CommunityArchived,
  CommunityNameTaken,
  CommunityNotFound,
  InvalidPerimeter,
  PerimeterOverlap,
  UnknownCommune
} from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import type { Polygon } from "../communities/GeoJson.js"
import { membersOutside } from "../communities/Perimeter.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Notices } from "../delivery/Notices.js"
import type { MembershipId } from "../membership/Membership.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { rehomeAfterEnding } from "../membership/VerifiedMembership.js"
import { Transactor } from "../shared/Transactor.js"
import { RedrawPreviewStale } from "./MairieErrors.js"
import { departementOf, extentOf, overlapping, sameName, samePreview, streetOf } from "./QuartierPolicy.js"
import { quartierNoticeBody } from "./QuartierTexts.js"
import type { CommunityMember, ManagedCommune, ManagedCommunity, MemberOutside } from "./Quartier.js"
import { QuartierRepo, type QuartierMember } from "./QuartierRepo.js"
import { requireQuartierManager } from "./StaffAccess.js"

type Acting = Unauthenticated | AccountSuspended | Forbidden

/** The lock under which a commune's quartiers are checked against each other and written. */
export const PERIMETERS_LOCK = "community_perimeters"

/**
 * The quartiers of a commune as its mairie agents (and the platform admins) manage them: open one
 * with a drawn perimeter, rename it, redraw it (the members whose home falls outside are shown first,
 * then end their membership and are told by e-mail), archive it (every member told), and appoint or
 * remove its référents among its verified members.
 *
 * Two active quartiers of a commune never share area (touching is allowed): every create and redraw
 * of a commune takes the commune's lock in its transaction, then reads, checks and writes, so two
 * overlapping drawings sent at once give one quartier and one PerimeterOverlap. Whether a perimeter
 * lies within its commune is NOT checked: no maintained package ships the official commune contours
 * (@etalab/decoupage-administratif has codes, names and postcodes only).
 */
export class Quartiers extends Context.Tag("@vigie/domain/Quartiers")<
  Quartiers,
  {
    readonly list: (
      actor: Actor,
      insee: InseeCode
    ) => Effect.Effect<ReadonlyArray<ManagedCommunity>, Acting | UnknownCommune>
    readonly describe: (
      actor: Actor,
      insee: InseeCode
    ) => Effect.Effect<ManagedCommune, Acting | UnknownCommune>
    readonly create: (
      actor: Actor,
      input: { readonly insee: InseeCode; readonly name: string; readonly perimeter: Polygon }
    ) => Effect.Effect<Community, Acting | UnknownCommune | InvalidPerimeter | PerimeterOverlap | CommunityNameTaken>
    readonly rename: (
      actor: Actor,
      communityId: CommunityId,
      name: string
    ) => Effect.Effect<Community, Acting | CommunityNotFound | CommunityArchived | CommunityNameTaken>
    readonly previewRedraw: (
      actor: Actor,
      communityId: CommunityId,
      perimeter: Polygon
    ) => Effect.Effect<
      { readonly outside: ReadonlyArray<MemberOutside> },
      Acting | CommunityNotFound | CommunityArchived | InvalidPerimeter | PerimeterOverlap
    >
    readonly redraw: (
      actor: Actor,
      communityId: CommunityId,
      perimeter: Polygon,
      acknowledged: ReadonlyArray<MembershipId>
    ) => Effect.Effect<
      Community,
      Acting | CommunityNotFound | CommunityArchived | InvalidPerimeter | PerimeterOverlap | RedrawPreviewStale
    >
    readonly archive: (
      actor: Actor,
      communityId: CommunityId
    ) => Effect.Effect<void, Acting | CommunityNotFound | CommunityArchived>
    readonly members: (
      actor: Actor,
      communityId: CommunityId
    ) => Effect.Effect<ReadonlyArray<CommunityMember>, Acting | CommunityNotFound>
    readonly appointReferent: (
      actor: Actor,
      communityId: CommunityId,
      membershipId: MembershipId
    ) => Effect.Effect<void, Acting | CommunityNotFound | CommunityArchived | NotAVerifiedMember>
    readonly removeReferent: (
      actor: Actor,
      communityId: CommunityId,
      membershipId: MembershipId
    ) => Effect.Effect<void, Acting | CommunityNotFound | NotAVerifiedMember>
  }
>() {}

export const make = Effect.gen(function*() {
  const communities = yield* CommunityRepo
  const directory = yield* CommuneDirectory
  const memberships = yield* MembershipRepo
  const repo = yield* QuartierRepo
  const notices = yield* Notices
  const transactor = yield* Transactor
  const wakeup = yield* DeliveryWakeup

  const manager = (actor: Actor, insee: InseeCode, action: string) =>
    Effect.tap(requireAccount(actor), (account) => requireQuartierManager(account.staffRoles, insee, action))

  const communeName = (insee: InseeCode) =>
    Effect.flatMap(
      directory.findByInsee(insee),
      Option.match({ onNone: () => Effect.fail(new UnknownCommune({ insee })), onSome: (c) => Effect.succeed(c.name) })
    )

  /** The quartier and the acting account, when it manages the quartier's commune. */
  const managed = (actor: Actor, communityId: CommunityId, action: string) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const community = yield* Effect.flatMap(
        communities.findById(communityId),
        Option.match({
          onNone: () => Effect.fail(new CommunityNotFound({ communityId })),
          onSome: Effect.succeed
        })
      )
      yield* requireQuartierManager(account.staffRoles, community.insee, action)
      return { account, community }
    })

  const active = (community: Community) =>
    community.status === "active" ? Effect.void : Effect.fail(new CommunityArchived({ communityId: community.id }))

  const validPerimeter = (insee: InseeCode, perimeter: Polygon) => {
    const problem = perimeterProblem(perimeter)
    return problem === undefined ? Effect.void : Effect.fail(new InvalidPerimeter({ insee, reason: problem }))
  }

  const noOverlap = (others: ReadonlyArray<Community>, perimeter: Polygon, self?: CommunityId) => {
    const other = overlapping(others, perimeter, self)
    return other === undefined
      ? Effect.void
      : Effect.fail(new PerimeterOverlap({ otherCommunityId: other.id, otherName: other.name }))
  }

  const freeName = (others: ReadonlyArray<Community>, name: string, self?: CommunityId) => {
    const other = sameName(others, name, self)
    return other === undefined ? Effect.void : Effect.fail(new CommunityNameTaken({ name: other.name }))
  }

  /** Takes the commune's lock (inside a transaction) and reads its quartiers under it. */
  const lockedCommune = (insee: InseeCode) =>
    Effect.zipRight(transactor.lock(PERIMETERS_LOCK, insee), communities.listByCommune(insee))

  const wakeEmail = (count: number) => count > 0 ? wakeup.wake({ channels: ["email"] }) : Effect.void

  /** The e-mail telling `recipients` of the change, in the caller's transaction. */
  const notify = (
    community: Community,
    kind: "redrawn" | "archived",
    recipients: ReadonlyArray<QuartierMember>,
    changeId: string,
    at: DateTime.Utc
  ) =>
    Effect.gen(function*() {
      const commune = yield* Effect.orElseSucceed(communeName(community.insee), () => community.insee as string)
      return yield* notices.notify({
        decisionId: changeId,
        decision: "community_change",
        accountIds: [...new Set(recipients.map((m) => m.accountId))],
        body: quartierNoticeBody({ kind, quartier: community.name, commune }),
        channels: ["email"]
      }, at)
    })

  return Quartiers.of({
    list: (actor, insee) =>
      Effect.gen(function*() {
        yield* manager(actor, insee, "list_quartiers")
        yield* communeName(insee)
        const found = yield* repo.listManaged(insee)
        return found.map((q) => ({
          community: q.community,
          verifiedMembers: q.verifiedMembers,
          referents: q.referents.map((r) => ({ membershipId: r.membershipId, displayName: displayName(r) }))
        }))
      }).pipe(Effect.withSpan("Quartiers.list")),

    describe: (actor, insee) =>
      Effect.gen(function*() {
        yield* manager(actor, insee, "list_quartiers")
        const name = yield* communeName(insee)
        const own = yield* communities.listByCommune(insee)
        const startExtent = own.some((c) => c.status === "active")
          ? Option.none()
          : Option.fromNullable(extentOf(yield* repo.perimetersNear(departementOf(insee), insee)))
        return { insee, name, startExtent }
      }).pipe(Effect.withSpan("Quartiers.describe")),

    create: (actor, input) =>
      Effect.gen(function*() {
        yield* manager(actor, input.insee, "create_quartier")
        yield* communeName(input.insee)
        yield* validPerimeter(input.insee, input.perimeter)
        return yield* transactor.transaction(Effect.gen(function*() {
          const others = yield* lockedCommune(input.insee)
          yield* noOverlap(others, input.perimeter)
          yield* freeName(others, input.name)
          return yield* communities.insert(input)
        }))
      }).pipe(Effect.withSpan("Quartiers.create")),

    rename: (actor, communityId, name) =>
      Effect.gen(function*() {
        const { community } = yield* managed(actor, communityId, "rename_quartier")
        yield* active(community)
        const at = yield* DateTime.now
        return yield* transactor.transaction(Effect.gen(function*() {
          const others = yield* lockedCommune(community.insee)
          yield* freeName(others, name, communityId)
          const renamed = yield* communities.rename(communityId, name, at)
          return yield* Option.match(renamed, {
            onNone: () => Effect.fail(new CommunityArchived({ communityId })),
            onSome: Effect.succeed
          })
        }))
      }).pipe(Effect.withSpan("Quartiers.rename")),

    previewRedraw: (actor, communityId, perimeter) =>
      Effect.gen(function*() {
        const { community } = yield* managed(actor, communityId, "preview_quartier_redraw")
        yield* active(community)
        yield* validPerimeter(community.insee, perimeter)
        yield* noOverlap(yield* communities.listByCommune(community.insee), perimeter, communityId)
        const outside = membersOutside(perimeter, yield* repo.members(communityId))
        return {
          outside: outside.map((m) => ({
            membershipId: m.membershipId,
            displayName: displayName(m),
            street: streetOf(m.addressLine1)
          }))
        }
      }).pipe(Effect.withSpan("Quartiers.previewRedraw")),

    redraw: (actor, communityId, perimeter, acknowledged) =>
      Effect.gen(function*() {
        const { account, community } = yield* managed(actor, communityId, "redraw_quartier")
        yield* active(community)
        yield* validPerimeter(community.insee, perimeter)
        const at = yield* DateTime.now
        const done = yield* transactor.transaction(Effect.gen(function*() {
          const others = yield* lockedCommune(community.insee)
          const current = others.find((c) => c.id === communityId)
          if (current === undefined || current.status !== "active") return yield* new CommunityArchived({ communityId })
          yield* noOverlap(others, perimeter, communityId)
          const outside = membersOutside(perimeter, yield* repo.members(communityId))
          if (!samePreview(acknowledged, outside.map((m) => m.membershipId))) {
            return yield* new RedrawPreviewStale({ communityId })
          }
          const changeId = yield* communities.recordChange({
            communityId,
            actorId: account.id,
            at,
            change: { _tag: "Redrawn", before: current.perimeter, after: perimeter }
          })
          const redrawn = yield* Effect.flatMap(
            communities.redraw(communityId, perimeter, at),
            Option.match({
              onNone: () => Effect.fail(new CommunityArchived({ communityId })),
              onSome: Effect.succeed
            })
          )
          const ended = new Set(
            yield* memberships.endForCommunity(communityId, outside.map((m) => m.membershipId), "perimeter_redrawn")
          )
          // A member whose home quartier this was gets another of theirs as home, as when leaving.
          yield* Effect.forEach(ended, (id) =>
            rehomeAfterEnding(id).pipe(Effect.provideService(MembershipRepo, memberships)), { discard: true })
          const counts = yield* notify(
            redrawn,
            "redrawn",
            outside.filter((m) =>
              ended.has(m.membershipId)
            ),
            changeId,
            at
          )
          return { redrawn, emails: counts.email }
        }))
        yield* wakeEmail(done.emails)
        return done.redrawn
      }).pipe(Effect.withSpan("Quartiers.redraw")),

    archive: (actor, communityId) =>
      Effect.gen(function*() {
        const { account, community } = yield* managed(actor, communityId, "archive_quartier")
        yield* active(community)
        const at = yield* DateTime.now
        const emails = yield* transactor.transaction(Effect.gen(function*() {
          yield* transactor.lock(PERIMETERS_LOCK, community.insee)
          const changeId = yield* communities.recordChange({ communityId, actorId: account.id, at,
            change: { _tag: "Archived" } })
          if (!(yield* communities.archive(communityId, at))) return yield* new CommunityArchived({ communityId })
          const members = yield* repo.members(communityId)
          const counts = yield* notify(community, "archived", members, changeId, at)
          return counts.email
        }))
        yield* wakeEmail(emails)
      }).pipe(Effect.withSpan("Quartiers.archive")),

    members: (actor, communityId) =>
      Effect.gen(function*() {
        yield* managed(actor, communityId, "list_quartier_members")
        const found = yield* repo.members(communityId)
        return found.map((m) => ({
          membershipId: m.membershipId,
          displayName: displayName(m),
          role: m.role,
          verified: m.membershipStatus === "verified"
        }))
      }).pipe(Effect.withSpan("Quartiers.members")),

    appointReferent: (actor, communityId, membershipId) =>
      Effect.gen(function*() {
        const { community } = yield* managed(actor, communityId, "appoint_referent")
        yield* active(community)
        const membership = yield* memberships.findById(membershipId)
        const verified = Option.filter(membership, (m) => m.communityId === communityId && m.status === "verified")
        if (Option.isNone(verified)) return yield* new NotAVerifiedMember({ communityId, membershipId })
        if (verified.value.role !== "referent") yield* memberships.setRole(membershipId, "referent")
      }).pipe(Effect.withSpan("Quartiers.appointReferent")),

    removeReferent: (actor, communityId, membershipId) =>
      Effect.gen(function*() {
        yield* managed(actor, communityId, "remove_referent")
        const membership = Option.filter(
          yield* memberships.findById(membershipId),
          (m) => m.communityId === communityId
        )
        if (Option.isNone(membership)) return yield* new NotAVerifiedMember({ communityId, membershipId })
        if (membership.value.role !== "resident") yield* memberships.setRole(membershipId, "resident")
      }).pipe(Effect.withSpan("Quartiers.removeReferent"))
  })
})

export const layer = Layer.effect(Quartiers, make)
