import { Duration } from "effect"

/**
 * The lease of a claim in flight. A claim is short (about one batch window of sending) but pacing or a
 * slow provider may stretch it, so a worker renews the lease of the rows it still holds every third of
 * the lease: one lost renewal still leaves a third of it, and a worker that dies stops renewing, so its
 * rows come back within one lease, not after the longest send anyone could imagine.
 */

/** How often a claim in flight renews its lease: three times per lease. */
export const renewEvery = (lease: Duration.DurationInput): Duration.Duration =>
  Duration.millis(Math.max(1, Math.floor(Duration.toMillis(lease) / 3)))

/**
 * Whether a batch may still be handed to the provider at `now` (epoch ms) under a lease known to hold
 * until `heldUntil`: only while at least a third of the lease remains, the time a provider call may
 * take before the next renewal would have extended it. A worker whose renewals fail (its database is
 * unreachable) therefore stops sending before its lease can expire under a call: otherwise another
 * worker could take the rows back and send them a second time.
 */
export const mayStart = (heldUntil: number, now: number, lease: Duration.DurationInput): boolean =>
  now + Duration.toMillis(lease) / 3 <= heldUntil
