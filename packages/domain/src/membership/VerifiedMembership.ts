import { DateTime, Effect, Option } from "effect"
import type { Membership, MembershipId } from "./Membership.js"
import { MembershipRepo } from "./MembershipRepo.js"
import { homeAfterLeaving, type MembershipFacts, settleVerified } from "./Moves.js"

/** The facts the rules of `Moves` read from a membership. */
export const membershipFacts = (m: Membership): MembershipFacts => ({
  id: m.id,
  communityId: m.communityId,
  status: m.status,
  home: m.home,
  createdAt: DateTime.toEpochMillis(m.createdAt)
})

/**
 * Marks the membership verified and settles what that verification decides (`settleVerified`): the
 * home a move replaces ends only now, and the home follows. Inside the caller's transaction, the
 * account's memberships held meanwhile. Every way of verifying an address (letter, vouching) ends here.
 */
export const verifyMembership = (membership: Membership): Effect.Effect<Membership, never, MembershipRepo> =>
  Effect.gen(function*() {
    const repo = yield* MembershipRepo
    yield* repo.lockAccount(membership.accountId)
    yield* repo.setStatus(membership.id, "verified")
    const all = yield* repo.listByAccount(membership.accountId)
    const moves = yield* repo.movesOf(membership.accountId)
    const settled = settleVerified(all.map(membershipFacts), moves, membership.id)
    for (const ended of settled.ends) {
      const was = all.find((m) => m.id === ended)
      if (was !== undefined) yield* repo.moveStatus(ended, was.status, "left")
    }
    const home = Option.getOrNull(Option.map(Option.fromNullable(all.find((m) => m.home)), (m) => m.id))
    if (Option.getOrNull(settled.home) !== home) yield* repo.setHome(membership.accountId, settled.home)
    return yield* Effect.flatMap(repo.findById(membership.id), Effect.orDie)
  })

/** `verifyMembership` by id (none when there is no such membership). */
export const verifyMembershipById = (
  id: MembershipId
): Effect.Effect<Option.Option<Membership>, never, MembershipRepo> =>
  Effect.flatMap(MembershipRepo, (repo) => repo.findById(id)).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.succeedNone,
      onSome: (m) => Effect.map(verifyMembership(m), Option.some)
    }))
  )

/**
 * After a membership ended without its member's choice (a redrawn perimeter), the account's home
 * follows the rule of leaving (`homeAfterLeaving`): another of its quartiers becomes home when the
 * ended one was. Inside the caller's transaction.
 */
export const rehomeAfterEnding = (ended: MembershipId): Effect.Effect<void, never, MembershipRepo> =>
  Effect.gen(function*() {
    const repo = yield* MembershipRepo
    const membership = yield* repo.findById(ended)
    if (Option.isNone(membership)) return
    const accountId = membership.value.accountId
    yield* repo.lockAccount(accountId)
    const all = yield* repo.listByAccount(accountId)
    if (all.some((m) => m.home && m.id !== ended)) return
    yield* repo.setHome(accountId, homeAfterLeaving(all.map(membershipFacts), ended))
  })
