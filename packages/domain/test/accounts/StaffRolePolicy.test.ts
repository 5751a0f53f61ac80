import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import type { AccountId, StaffRole } from "../../src/accounts/Account.js"
import { revocation, sameStaffRole } from "../../src/accounts/StaffRolePolicy.js"
import type { InseeCode } from "../../src/communities/Commune.js"

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` as AccountId
const admin: StaffRole = { _tag: "Admin" }
const mairie = (insee: string): StaffRole => ({ _tag: "MairieAgent", insee: insee as InseeCode })

const roles: fc.Arbitrary<StaffRole> = fc.oneof(
  fc.constant<StaffRole>({ _tag: "Admin" }),
  fc.constant<StaffRole>({ _tag: "Moderator" }),
  fc.constantFrom("33080", "33550").map(mairie),
  fc.constantFrom("33080", "33550").map((insee): StaffRole => ({ _tag: "MunicipalPolice", insee: insee as InseeCode }))
)

describe("StaffRolePolicy", () => {
  it("a role is the same only with the same commune", () => {
    expect(sameStaffRole(mairie("33080"), mairie("33080"))).toBe(true)
    expect(sameStaffRole(mairie("33080"), mairie("33550"))).toBe(false)
    expect(sameStaffRole(admin, { _tag: "Moderator" })).toBe(false)
  })

  it("never revokes the last admin's Admin role; another admin's, or any other role, is revoked", () => {
    expect(revocation(id(1), admin, [admin], [id(1)])).toBe("last_admin")
    expect(revocation(id(1), admin, [admin], [id(1), id(2)])).toBe("revoke")
    expect(revocation(id(1), mairie("33080"), [admin, mairie("33080")], [id(1)])).toBe("revoke")
    expect(revocation(id(1), mairie("33550"), [mairie("33080")], [])).toBe("absent")
  })

  it("property: after any accepted revocation, at least one admin remains if one existed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), roles), { maxLength: 30 }),
        (adminCount, attempts) => {
          let admins = Array.from({ length: adminCount }, (_, i) => id(i + 1))
          const held = new Map(admins.map((a) => [a, [admin] as Array<StaffRole>]))
          for (const [n, role] of attempts) {
            const account = id(n)
            const decision = revocation(account, role, held.get(account) ?? [], admins)
            if (decision === "revoke") {
              held.set(account, (held.get(account) ?? []).filter((r) => !sameStaffRole(r, role)))
              if (role._tag === "Admin") admins = admins.filter((a) => a !== account)
            }
            expect(admins.length).toBeGreaterThanOrEqual(1)
          }
        }
      )
    )
  })
})
