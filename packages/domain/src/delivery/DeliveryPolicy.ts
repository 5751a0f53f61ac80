import { DateTime, Duration } from "effect"
import { EMAIL_BATCH_LIMIT } from "../channels/EmailSender.js"
import { SMS_BATCH_LIMIT } from "../channels/SmsSender.js"

/** How deliveries are retried: exponential backoff with full jitter, then dead after `maxAttempts`. */
export interface RetryConfig {
  /** The backoff ceiling of the first retry. */
  readonly baseDelay: Duration.DurationInput
  /** No retry waits longer than this. */
  readonly maxDelay: Duration.DurationInput
  /** Sending attempts, the first included; a transient failure on the last one makes the delivery dead. */
  readonly maxAttempts: number
}

export const defaultRetryConfig: RetryConfig = {
  baseDelay: Duration.seconds(2),
  maxDelay: Duration.minutes(10),
  maxAttempts: 8
}

/**
 * What one sending attempt came to, for one delivery: accepted by the provider; refused for good
 * (SmsRejected, an e-mail "Refused", a number the provider left out); or transient (SmsUnavailable,
 * EmailUnavailable, an e-mail "Retry"), with the provider's Retry-After when it gave one.
 */
export type AttemptOutcome =
  | { readonly _tag: "Accepted"; readonly providerId: string }
  | { readonly _tag: "Refused"; readonly reason: string }
  | { readonly _tag: "Transient"; readonly reason: string; readonly retryAfterSeconds?: number | undefined }

/** What the worker does with a delivery after an attempt. */
export type Decision =
  | { readonly _tag: "Sent"; readonly providerId: string }
  | { readonly _tag: "Failed"; readonly reason: string }
  | { readonly _tag: "Retry"; readonly at: DateTime.Utc; readonly reason: string }
  | { readonly _tag: "Dead"; readonly reason: string }

/** The provider errors that are worth retrying. */
export const isTransient = (
  tag: "SmsRejected" | "SmsUnavailable" | "EmailUnavailable" | "Refused" | "Retry"
): boolean => tag === "SmsUnavailable" || tag === "EmailUnavailable" || tag === "Retry"

/**
 * The backoff ceiling after `attempts` attempts (1 = the first one failed): `base · 2^(attempts-1)`,
 * capped at `maxDelay`.
 */
export const backoffCeiling = (attempts: number, config: RetryConfig): number => {
  const base = Duration.toMillis(config.baseDelay)
  const max = Duration.toMillis(config.maxDelay)
  const exponent = Math.min(Math.max(attempts - 1, 0), 52)
  return Math.min(max, base * 2 ** exponent)
}

/**
 * When to try again after `attempts` failed attempts: "full jitter", a uniform draw in
 * [0, ceiling) given by `random` in [0, 1). Pure: the caller supplies the random number.
 */
export const nextAttemptAt = (
  attempts: number,
  now: DateTime.Utc,
  random: number,
  config: RetryConfig
): DateTime.Utc => {
  const r = Math.min(Math.max(random, 0), 1)
  const delay = Math.floor(r * backoffCeiling(attempts, config))
  return DateTime.add(now, { millis: delay })
}

/** Whether a delivery claimed with this attempt number has no attempt left (a lease expired too often). */
export const exhausted = (attempts: number, config: RetryConfig): boolean => attempts > config.maxAttempts

/**
 * The fate of one delivery after its `attempts`-th attempt. A refusal fails it for good; a transient
 * failure is retried with backoff (never sooner than the provider's Retry-After), until the last
 * attempt, after which it is dead with the reason kept.
 */
export const decide = (
  outcome: AttemptOutcome,
  attempts: number,
  now: DateTime.Utc,
  random: number,
  config: RetryConfig
): Decision => {
  switch (outcome._tag) {
    case "Accepted":
      return { _tag: "Sent", providerId: outcome.providerId }
    case "Refused":
      return { _tag: "Failed", reason: outcome.reason }
    case "Transient": {
      if (attempts >= config.maxAttempts) {
        return { _tag: "Dead", reason: `${config.maxAttempts} attempts, last: ${outcome.reason}` }
      }
      const backoff = nextAttemptAt(attempts, now, random, config)
      const floor = outcome.retryAfterSeconds === undefined
        ? now
        : DateTime.add(now, { seconds: outcome.retryAfterSeconds })
      return { _tag: "Retry", at: DateTime.max(backoff, floor), reason: outcome.reason }
    }
  }
}

/** One due delivery, reduced to what batching reads. */
export interface Batchable {
  readonly destination: string
  /** The rendered text: rows with the same text may share one provider call. */
  readonly text: string
}

/**
 * Splits rows into provider calls: one `key` per call (the text, for SMS), at most `limit` rows, never
 * one destination twice in a call (the provider's reply is matched by destination). Every row lands in
 * exactly one batch; rows keep their order within a batch; batches come in the order their key first
 * appears.
 */
export const batchesBy = <A extends { readonly destination: string }>(
  rows: ReadonlyArray<A>,
  key: (row: A) => string,
  limit: number
): ReadonlyArray<ReadonlyArray<A>> => {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("a batch limit is a positive integer")
  const open = new Map<string, Array<{ rows: Array<A>; destinations: Set<string> }>>()
  const out: Array<Array<A>> = []
  for (const row of rows) {
    const k = key(row)
    let candidates = open.get(k)
    if (candidates === undefined) {
      candidates = []
      open.set(k, candidates)
    }
    let target = candidates.find((b) => b.rows.length < limit && !b.destinations.has(row.destination))
    if (target === undefined) {
      target = { rows: [], destinations: new Set() }
      candidates.push(target)
      out.push(target.rows)
    }
    target.rows.push(row)
    target.destinations.add(row.destination)
    if (target.rows.length >= limit) candidates.splice(candidates.indexOf(target), 1)
  }
  return out
}

/** SMS batches: rows of one text, up to 1,000 destinations per Plivo call. */
export const smsBatches = <A extends Batchable>(rows: ReadonlyArray<A>, limit: number = SMS_BATCH_LIMIT) =>
  batchesBy(rows, (row) => row.text, Math.min(limit, SMS_BATCH_LIMIT))

/** E-mail batches: SES takes 50 messages per batch, each with its own text. */
export const emailBatches = <A extends { readonly destination: string }>(
  rows: ReadonlyArray<A>,
  limit: number = EMAIL_BATCH_LIMIT
) => batchesBy(rows, () => "", Math.min(limit, EMAIL_BATCH_LIMIT))
