import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import * as fc from "fast-check"
import type { CommunityId } from "../../src/communities/Community.js"
import type { MembershipId } from "../../src/membership/Membership.js"
import { MembershipStatus } from "../../src/membership/Membership.js"
import {
  homeAfterLeaving,
  joinProblem,
  MAX_ACTIVE_MEMBERSHIPS,
  type MembershipFacts,
  type Move,
  moveProblem,
  settleVerified
} from "../../src/membership/Moves.js"

const mid = (n: number) => `m${n}` as MembershipId
const cid = (n: number) => `c${n}` as CommunityId
const active = (m: MembershipFacts) => m.status === "pending_verification" || m.status === "verified"

/** One account's memberships: one per community, at most one home, with the moves between them. */
const account = fc
  .array(
    fc.record({
      community: fc.integer({ min: 0, max: 8 }),
      status: fc.constantFrom(...MembershipStatus.literals),
      createdAt: fc.integer({ min: 0, max: 1_000 })
    }),
    { maxLength: 8 }
  )
  .chain((rows) => {
    const unique = rows.filter((r, i) => rows.findIndex((o) => o.community === r.community) === i)
    return fc.record({
      rows: fc.constant(unique),
      home: fc.integer({ min: -1, max: Math.max(0, unique.length - 1) }),
      moves: fc.array(fc.tuple(fc.nat(7), fc.nat(7)), { maxLength: 3 })
    })
  })
  .map(({ home, moves, rows }) => {
    const memberships: Array<MembershipFacts> = rows.map((r, i) => ({
      id: mid(i),
      communityId: cid(r.community),
      status: r.status,
      home: i === home,
      createdAt: r.createdAt
    }))
    const pairs: Array<Move> = moves
      .filter(([a, b]) => a !== b && a < memberships.length && b < memberships.length)
      .filter(([a], i, all) => all.findIndex(([o]) => o === a) === i)
      .map(([a, b]) => ({ membershipId: mid(a), replaces: mid(b) }))
    return { memberships, moves: pairs }
  })

const facts = (
  id: number,
  community: number,
  status: MembershipFacts["status"],
  home = false,
  createdAt = id
): MembershipFacts => ({ id: mid(id), communityId: cid(community), status, home, createdAt })

describe("joining another quartier", () => {
  it("allowed exactly when no active or banned membership is there and fewer than the maximum are active", () =>
    fc.assert(fc.property(account, fc.integer({ min: 0, max: 9 }), ({ memberships }, n) => {
      const there = memberships.find((m) => m.communityId === cid(n))
      const problem = joinProblem(memberships, cid(n))
      if (there?.status === "banned") return problem === "banned"
      if (there !== undefined && active(there)) return problem === "already_member"
      return problem === (memberships.filter(active).length >= MAX_ACTIVE_MEMBERSHIPS ? "too_many" : undefined)
    })))

  it("a quartier left earlier can be asked again", () => {
    expect(joinProblem([facts(0, 1, "verified", true), facts(1, 2, "left")], cid(2))).toBeUndefined()
  })
})

describe("moving home", () => {
  it("starts only from a verified home, to another quartier, one move at a time", () => {
    const home = facts(0, 1, "verified", true)
    expect(moveProblem([home], [], cid(2))).toBeUndefined()
    expect(moveProblem([home], [], cid(1))).toBe("same_community")
    expect(moveProblem([{ ...home, status: "pending_verification" }], [], cid(2))).toBe("no_verified_home")
    expect(moveProblem([], [], cid(2))).toBe("no_verified_home")
    const moving = [home, facts(1, 2, "pending_verification")]
    expect(moveProblem(moving, [{ membershipId: mid(1), replaces: mid(0) }], cid(3))).toBe("move_in_progress")
    // Leaving the pending membership cancels the move: another can start.
    const cancelled = [home, facts(1, 2, "left")]
    expect(moveProblem(cancelled, [{ membershipId: mid(1), replaces: mid(0) }], cid(3))).toBeUndefined()
  })

  it("whenever a move is allowed, a verified home in another quartier exists and joining is allowed", () =>
    fc.assert(fc.property(account, fc.integer({ min: 0, max: 9 }), ({ memberships, moves }, n) => {
      if (moveProblem(memberships, moves, cid(n)) !== undefined) return true
      const home = memberships.find((m) => m.home)
      return home?.status === "verified" && home.communityId !== cid(n) &&
        joinProblem(memberships, cid(n)) === undefined
    })))
})

describe("leaving a quartier", () => {
  it("the home is never the membership that ends, always an active one, unchanged when another was home", () =>
    fc.assert(fc.property(account, fc.nat(7), ({ memberships }, n) => {
      const leaving = mid(n)
      const after = homeAfterLeaving(memberships, leaving)
      const home = memberships.find((m) => m.home)
      if (home !== undefined && home.id !== leaving) return Option.getOrNull(after) === home.id
      const others = memberships.filter((m) => m.id !== leaving && active(m))
      if (others.length === 0) return Option.isNone(after)
      const chosen = others.find((m) => m.id === Option.getOrNull(after))
      // A verified one when there is one.
      return chosen !== undefined && (chosen.status === "verified" || others.every((m) => m.status !== "verified"))
    })))

  it("the oldest verified membership becomes home", () => {
    const ms = [facts(0, 1, "verified", true, 5), facts(1, 2, "verified", false, 9), facts(2, 3, "verified", false, 7)]
    expect(homeAfterLeaving(ms, mid(0))).toStrictEqual(Option.some(mid(2)))
  })
})

describe("a verification that settles a move", () => {
  it("ends the replaced home only now, and the home follows to the new address", () => {
    const ms = [facts(0, 1, "verified", true), facts(1, 2, "pending_verification")]
    const moves = [{ membershipId: mid(1), replaces: mid(0) }]
    // Before the new address is verified, nothing of the old one ends (the move is only asked).
    expect(moveProblem(ms, moves, cid(3))).toBe("move_in_progress")
    expect(settleVerified(ms, moves, mid(1))).toStrictEqual({ ends: [mid(0)], home: Option.some(mid(1)) })
  })

  it("a plain join ends nothing and keeps a verified home", () => {
    const ms = [facts(0, 1, "verified", true), facts(1, 2, "pending_verification")]
    expect(settleVerified(ms, [], mid(1))).toStrictEqual({ ends: [], home: Option.some(mid(0)) })
  })

  it("never ends the verified membership, ends only what it replaces, and the home is verified or the new one", () =>
    fc.assert(fc.property(account, fc.nat(7), ({ memberships, moves }, n) => {
      const verified = mid(n)
      const { ends, home } = settleVerified(memberships, moves, verified)
      const move = moves.find((m) => m.membershipId === verified)
      const homeId = Option.getOrNull(home)
      const homeFacts = memberships.find((m) => m.id === homeId)
      return !ends.includes(verified)
        && ends.every((e) => move?.replaces === e)
        && homeId !== null && !ends.includes(homeId)
        && (homeId === verified || homeFacts?.status === "verified")
    })))
})
