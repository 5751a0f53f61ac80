import { Context, Effect, Layer, Option } from "effect"
import type { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { type Actor, requireAccount } from "../accounts/CurrentActor.js"
import type { CommunityId } from "../communities/Community.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import type { HomeAddress, Membership, MembershipId } from "../membership/Membership.js"
import {
  AlreadyMember,
  InvalidMembershipTransition,
  MembershipBanned,
  MembershipNotFound,
  MoveNotAllowed,
  TooManyCommunities
} from "../membership/MembershipErrors.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { homeAfterLeaving, joinProblem, MAX_ACTIVE_MEMBERSHIPS, moveProblem } from "../membership/Moves.js"
import { membershipFacts } from "../membership/VerifiedMembership.js"
import { Transactor } from "../shared/Transactor.js"
import { AddressOutsideCommune } from "./RegistrationErrors.js"

type Acting = Unauthenticated | AccountSuspended
type JoinRefusal = CommunityNotFound | AddressOutsideCommune | AlreadyMember | MembershipBanned | TooManyCommunities

/**
 * A member's quartiers over time: joining another one (its own verification, by letter or vouching,
 * as at sign-up), leaving one, moving home (the new address is verified first; the old home ends only
 * then, and the SMS gateway's home quartier follows). One account's changes are made one at a time.
 */
export class Joining extends Context.Tag("@vigie/domain/Joining")<
  Joining,
  {
    readonly join: (
      actor: Actor,
      communityId: CommunityId,
      address: HomeAddress
    ) => Effect.Effect<Membership, Acting | JoinRefusal>
    readonly leave: (
      actor: Actor,
      membershipId: MembershipId
    ) => Effect.Effect<Membership, Acting | MembershipNotFound | InvalidMembershipTransition>
    readonly move: (
      actor: Actor,
      communityId: CommunityId,
      address: HomeAddress
    ) => Effect.Effect<Membership, Acting | JoinRefusal | MoveNotAllowed>
  }
>() {}

export const make = Effect.gen(function*() {
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const directory = yield* CommuneDirectory
  const tx = yield* Transactor

  /** The active community, with the address's postcode one of its commune's. */
  const checkedCommunity = (communityId: CommunityId, address: HomeAddress) =>
    Effect.gen(function*() {
      const community = yield* communities.findById(communityId)
      if (Option.isNone(community) || community.value.status !== "active") {
        return yield* new CommunityNotFound({ communityId })
      }
      const insee = community.value.insee
      const commune = yield* directory.findByInsee(insee)
      if (Option.isNone(commune) || !commune.value.postcodes.includes(address.postcode)) {
        return yield* new AddressOutsideCommune({ postcode: address.postcode, insee })
      }
      return community.value
    })

  const refusal = (problem: ReturnType<typeof joinProblem>, communityId: CommunityId) => {
    switch (problem) {
      case "already_member":
        return Effect.fail(new AlreadyMember({ communityId }))
      case "banned":
        return Effect.fail(new MembershipBanned({ communityId }))
      case "too_many":
        return Effect.fail(new TooManyCommunities({ max: MAX_ACTIVE_MEMBERSHIPS }))
      case undefined:
        return Effect.void
    }
  }

  /** A new pending membership there, or the one left earlier asked again. */
  const ask = (
    all: ReadonlyArray<Membership>,
    accountId: Membership["accountId"],
    communityId: CommunityId,
    address: HomeAddress
  ) => {
    const left = all.find((m) => m.communityId === communityId && m.status === "left")
    return left === undefined
      ? memberships.insert({ accountId, communityId, role: "resident", status: "pending_verification", address })
      : Effect.flatMap(memberships.reopen(left.id, address), Effect.orDie)
  }

  const join: Joining["Type"]["join"] = (actor, communityId, address) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* checkedCommunity(communityId, address)
      return yield* tx.transaction(Effect.gen(function*() {
        yield* memberships.lockAccount(account.id)
        const all = yield* memberships.listByAccount(account.id)
        yield* refusal(joinProblem(all.map(membershipFacts), communityId), communityId)
        return yield* ask(all, account.id, communityId, address)
      }))
    }).pipe(Effect.withSpan("Joining.join"))

  const move: Joining["Type"]["move"] = (actor, communityId, address) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* checkedCommunity(communityId, address)
      return yield* tx.transaction(Effect.gen(function*() {
        yield* memberships.lockAccount(account.id)
        const all = yield* memberships.listByAccount(account.id)
        const moves = yield* memberships.movesOf(account.id)
        const problem = moveProblem(all.map(membershipFacts), moves, communityId)
        if (problem === "no_verified_home" || problem === "same_community" || problem === "move_in_progress") {
          return yield* new MoveNotAllowed({ reason: problem })
        }
        yield* refusal(problem, communityId)
        const home = all.find((m) => m.home)!
        const asked = yield* ask(all, account.id, communityId, address)
        yield* memberships.recordMove({ membershipId: asked.id, replaces: home.id })
        return asked
      }))
    }).pipe(Effect.withSpan("Joining.move"))

  const leave: Joining["Type"]["leave"] = (actor, membershipId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      return yield* tx.transaction(Effect.gen(function*() {
        yield* memberships.lockAccount(account.id)
        const found = yield* memberships.findById(membershipId)
        if (Option.isNone(found) || found.value.accountId !== account.id) {
          return yield* new MembershipNotFound({ membershipId })
        }
        const from = found.value.status
        if (from !== "pending_verification" && from !== "verified") {
          return yield* new InvalidMembershipTransition({ membershipId, from, to: "left" })
        }
        const all = yield* memberships.listByAccount(account.id)
        yield* memberships.moveStatus(membershipId, from, "left")
        // A référent who leaves is no longer one: coming back is as a resident.
        if (found.value.role !== "resident") yield* memberships.setRole(membershipId, "resident")
        yield* memberships.setHome(account.id, homeAfterLeaving(all.map(membershipFacts), membershipId))
        return yield* Effect.flatMap(memberships.findById(membershipId), Effect.orDie)
      }))
    }).pipe(Effect.withSpan("Joining.leave"))

  return Joining.of({ join, leave, move })
})

export const layer = Layer.effect(Joining, make)
