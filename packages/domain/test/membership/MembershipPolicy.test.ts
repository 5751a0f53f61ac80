import { describe, expect, it } from "@effect/vitest"
import { MembershipStatus } from "../../src/membership/Membership.js"
import type { MembershipStatus as Status } from "../../src/membership/Membership.js"
import { canMoveMembership, membershipTransitions } from "../../src/membership/MembershipPolicy.js"

const statuses = MembershipStatus.literals
const allowed = new Set([
  "pending_verification → verified",
  "pending_verification → left",
  "pending_verification → banned",
  "verified → left",
  "verified → banned",
  "left → pending_verification"
])
const pairs = statuses.flatMap((from) => statuses.map((to) => ({ from, to, ok: allowed.has(`${from} → ${to}`) })))

describe("membership lifecycle", () => {
  it("the table covers all 16 pairs", () => {
    expect(pairs).toHaveLength(16)
  })

  it.each(pairs)("$from → $to is $ok", ({ from, to, ok }) => {
    expect(canMoveMembership(from, to)).toBe(ok)
  })

  it("a ban is final as a lifecycle move", () => {
    expect(membershipTransitions.banned).toEqual([])
  })

  it("a member who left comes back only through a new verification", () => {
    expect(canMoveMembership("left", "verified")).toBe(false)
    expect(canMoveMembership("left", "pending_verification")).toBe(true)
  })

  it("every status is reachable from pending_verification", () => {
    const seen = new Set<Status>(["pending_verification"])
    let grew = true
    while (grew) {
      grew = false
      for (const from of [...seen]) {
        for (const to of statuses) {
          if (canMoveMembership(from, to) && !seen.has(to)) {
            seen.add(to)
            grew = true
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...statuses].sort())
  })
})
