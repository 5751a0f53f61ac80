import { describe, expect, it } from "@effect/vitest"
import { Duration, FastCheck as fc } from "effect"
import { mayStart, renewEvery } from "../../src/delivery/Lease.js"

describe("Lease: renewing a claim in flight", () => {
  it("renews three times per lease", () => {
    expect(Duration.toMillis(renewEvery(Duration.seconds(10)))).toBe(3333)
    expect(Duration.toMillis(renewEvery(Duration.millis(2)))).toBe(1)
  })

  it.prop(
    "renewed on time, a claim may always start a call; after two missed renewals it may not",
    [fc.integer({ min: 3, max: 600_000 }), fc.integer({ min: 0, max: 1e12 })],
    ([lease, renewedAt]) => {
      const beat = Duration.toMillis(renewEvery(lease))
      const heldUntil = renewedAt + lease
      // Until the next beat (and a little beyond: the renewal's own latency) sending goes on.
      expect(mayStart(heldUntil, renewedAt + beat, lease)).toBe(true)
      // Once a renewal was missed and the next one is due, a call could outlast the lease: no more.
      expect(mayStart(heldUntil, renewedAt + 2 * beat + 2, lease)).toBe(false)
      expect(mayStart(heldUntil, heldUntil, lease)).toBe(false)
    }
  )
})
