import { DateTime, Duration, Option } from "effect"

/**
 * The rules of the inbound inbox: the webhook records a message and answers Plivo; workers in every
 * app process then claim recorded messages under a lease and handle them, one transaction each.
 * - A sender's messages are handled one at a time, oldest first: only each sender's oldest unhandled
 *   message can be claimed, and only when no worker holds it (a STOP then a START, or an alert then a
 *   STOP, keep their order).
 * - A claim counts as an attempt. A handling that fails (the database refused, a bug) is retried
 *   after `inboxRetryAt`; after `INBOX_MAX_ATTEMPTS` the message is dead, with the reason kept, and
 *   the sender's next message may go. A worker that dies leaves its claim leased: once the lease is
 *   over, any worker takes it back (that counts as a failed attempt too).
 */
export const INBOX_MAX_ATTEMPTS = 5

/** When a failed handling is tried again: 2 s, 8 s, 32 s, 2 min 8 s after attempts 1 to 4; none after the last. */
export const inboxRetryAt = (attempts: number, now: DateTime.Utc): Option.Option<DateTime.Utc> =>
  attempts >= INBOX_MAX_ATTEMPTS
    ? Option.none()
    : Option.some(DateTime.addDuration(now, Duration.seconds(2 * 4 ** Math.max(0, attempts - 1))))

/**
 * A claim whose attempt number is past the last one: a worker held it before and its lease ran out
 * (it died, or the handling hung). It is marked dead without another try.
 */
export const inboxExhausted = (attempts: number): boolean => attempts > INBOX_MAX_ATTEMPTS

export interface InboxConfig {
  /** How long a claim holds a message; after that, another worker takes it back. */
  readonly lease: Duration.DurationInput
  /** The fallback poll when no wake-up comes: messages recorded by another process, retries, leases. */
  readonly poll: Duration.DurationInput
  /** Messages (each of another sender) per claim. */
  readonly claimLimit: number
  /**
   * Messages of one claim handled at once. Those that write nothing but their own row and reply are
   * settled in batches of as many as run at once; those that write (alerts ...) are limited by the
   * gateway's own `writers`.
   */
  readonly concurrency: number
  /**
   * Claim loops per process. With more than one, while one waits for the slowest message of its
   * claim (an alert's fan-out), another claims what arrived meanwhile (claims skip each other's
   * messages); measured, one did as well on the webhooks bench (the writers limit alerts anyway).
   */
  readonly loops: number
}

export const defaultInboxConfig: InboxConfig = {
  lease: Duration.seconds(30),
  poll: Duration.seconds(1),
  claimLimit: 200,
  concurrency: 200,
  loops: 1
}
