/**
 * The delivery workers: one loop per channel that claims due deliveries under a short lease (renewed
 * while the claim sends), renders them, sends them in provider-sized batches paced by the provider's
 * token bucket (shared by every process: ProviderPace), and records every outcome (sent, retried with
 * backoff, failed, dead). Any number of them may run in any number of processes on one database: claims
 * skip each other's rows, and a dead worker's rows come back when its lease ends, within seconds.
 */
import type { ClaimedDelivery } from "@vigie/domain/delivery/DeliveryRepo"
import { DeliveryRepo } from "@vigie/domain/delivery/DeliveryRepo"
import { decide, defaultRetryConfig, emailBatches, exhausted, smsBatches } from "@vigie/domain/delivery/DeliveryPolicy"
import type { AttemptOutcome, Decision, RetryConfig } from "@vigie/domain/delivery/DeliveryPolicy"
import { DeliveryWakeup } from "@vigie/domain/delivery/DeliveryWakeup"
import { EMAIL_BATCH_LIMIT, EmailSender } from "@vigie/domain/channels/EmailSender"
import type { EmailMessage, EmailOutcome } from "@vigie/domain/channels/EmailSender"
import type { DeliveryChannel } from "@vigie/domain/delivery/NotificationPreferences"
import { voiceScript } from "@vigie/domain/delivery/VoiceScript"
import { VoiceCaller } from "@vigie/domain/channels/VoiceCaller"
import * as Lease from "@vigie/domain/delivery/Lease"
import { claimSize, unpaced } from "@vigie/domain/delivery/Pacing"
import type { Pacer } from "@vigie/domain/delivery/Pacing"
import { ProviderPace } from "@vigie/domain/delivery/ProviderPace"
import { SMS_BATCH_LIMIT, SmsSender } from "@vigie/domain/channels/SmsSender"
import type { PhoneE164, Email } from "@vigie/domain/shared/Text"
import {
  Cause,
  Clock,
  Config,
  DateTime,
  Duration,
  Effect,
  Either,
  Layer,
  Option,
  Queue,
  Random,
  Ref,
  Schedule,
  Stream
} from "effect"
import type { Scope } from "effect"
import { renderClaim } from "@vigie/domain/delivery/SubjectTexts"
import type { MessageRenderers } from "@vigie/domain/delivery/SubjectTexts"
import * as AppMetrics from "../telemetry/AppMetrics.js"
import * as WorkerLoop from "./WorkerLoop.js"

/**
 * The texts of every kind of message, by subject kind (SubjectTexts): each context that sends messages
 * provides its own, the composition root registers them. A delivery that cannot be rendered fails for
 * good, with the reason.
 */
export type Renderer = MessageRenderers

/** One provider's pace. `ratePerSecond: Infinity` sends unpaced (benchmarks with zero-latency fakes). */
export interface ChannelConfig {
  readonly ratePerSecond: number
  /** Claims hold about this much sending at the rate (at least one message, at most the provider's batch). */
  readonly batchWindow: Duration.DurationInput
  /** Rows per claim when unpaced, and the ceiling otherwise. */
  readonly claimLimit: number
  /** Claim loops per process for this channel (they share the pace). */
  readonly loops: number
}

export interface DeliveryWorkerConfig {
  /** How long a claim holds its rows; after that, another worker takes them back. */
  readonly lease: Duration.DurationInput
  /** The fallback poll when no wake-up comes (retries coming due, a lost hint). */
  readonly poll: Duration.DurationInput
  readonly retry: RetryConfig
  readonly sms: ChannelConfig
  readonly email: ChannelConfig
  /** Voice calls (urgent alerts by voice): one call per row, on their own pace; `defaultVoice` when absent. */
  readonly voice?: ChannelConfig
  /** Provider calls of one claim sent at once (e-mail: 1,000 rows make 20 SES batches). */
  readonly sendConcurrency: number
}

/** Rows of one voice claim at most: each is its own call. */
export const VOICE_CLAIM_LIMIT = 50

/** The pace of voice calls when not configured: 2 calls a second (Plivo's default for outbound calls). */
export const defaultVoice: ChannelConfig = {
  ratePerSecond: 2,
  batchWindow: Duration.seconds(1),
  claimLimit: VOICE_CLAIM_LIMIT,
  loops: 1
}

/** The provider bucket (ProviderPace) voice calls draw on: their own, apart from Plivo's SMS. */
export const VOICE_PACE_KEY = "plivo_voice"

export const defaultConfig: DeliveryWorkerConfig = {
  lease: Duration.seconds(10),
  poll: Duration.seconds(1),
  retry: defaultRetryConfig,
  sms: { ratePerSecond: 5, batchWindow: Duration.seconds(1), claimLimit: SMS_BATCH_LIMIT, loops: 1 },
  email: { ratePerSecond: 14, batchWindow: Duration.seconds(1), claimLimit: 1000, loops: 1 },
  voice: defaultVoice,
  sendConcurrency: 4
}

/**
 * From the environment, every value optional: `SMS_RATE_PER_SECOND` (5, Plivo's default),
 * `EMAIL_RATE_PER_SECOND` (14, SES's usual production quota), `VOICE_RATE_PER_SECOND` (2 calls a
 * second, Plivo's default for outbound calls), `DELIVERY_LEASE` ("10 seconds", renewed
 * every third while a claim sends),
 * `DELIVERY_POLL` ("1 second"), `DELIVERY_MAX_ATTEMPTS` (8), `DELIVERY_RETRY_BASE` ("2 seconds"),
 * `DELIVERY_RETRY_MAX` ("10 minutes"), `DELIVERY_BATCH_WINDOW` ("1 second").
 */
export const config: Config.Config<DeliveryWorkerConfig> = Config.all({
  smsRate: Config.number("SMS_RATE_PER_SECOND").pipe(Config.withDefault(defaultConfig.sms.ratePerSecond)),
  emailRate: Config.number("EMAIL_RATE_PER_SECOND").pipe(Config.withDefault(defaultConfig.email.ratePerSecond)),
  voiceRate: Config.number("VOICE_RATE_PER_SECOND").pipe(Config.withDefault(defaultVoice.ratePerSecond)),
  lease: Config.duration("DELIVERY_LEASE").pipe(Config.withDefault(Duration.decode(defaultConfig.lease))),
  poll: Config.duration("DELIVERY_POLL").pipe(Config.withDefault(Duration.decode(defaultConfig.poll))),
  maxAttempts: Config.integer("DELIVERY_MAX_ATTEMPTS").pipe(Config.withDefault(defaultRetryConfig.maxAttempts)),
  retryBase: Config.duration("DELIVERY_RETRY_BASE").pipe(
    Config.withDefault(Duration.decode(defaultRetryConfig.baseDelay))
  ),
  retryMax: Config.duration("DELIVERY_RETRY_MAX").pipe(
    Config.withDefault(Duration.decode(defaultRetryConfig.maxDelay))
  ),
  window: Config.duration("DELIVERY_BATCH_WINDOW").pipe(
    Config.withDefault(Duration.decode(defaultConfig.sms.batchWindow))
  )
}).pipe(
  Config.validate({
    message:
      "SMS_RATE_PER_SECOND, EMAIL_RATE_PER_SECOND and VOICE_RATE_PER_SECOND must be positive, DELIVERY_MAX_ATTEMPTS at least 1",
    validation: (c) => c.smsRate > 0 && c.emailRate > 0 && c.voiceRate > 0 && c.maxAttempts >= 1
  }),
  Config.map((c): DeliveryWorkerConfig => ({
    ...defaultConfig,
    lease: c.lease,
    poll: c.poll,
    retry: { baseDelay: c.retryBase, maxDelay: c.retryMax, maxAttempts: c.maxAttempts },
    sms: { ...defaultConfig.sms, ratePerSecond: c.smsRate, batchWindow: c.window },
    email: { ...defaultConfig.email, ratePerSecond: c.emailRate, batchWindow: c.window },
    voice: { ...defaultVoice, ratePerSecond: c.voiceRate }
  }))
)

const providerLimit: Record<DeliveryChannel, number> = {
  sms: SMS_BATCH_LIMIT,
  email: EMAIL_BATCH_LIMIT,
  voice: VOICE_CLAIM_LIMIT
}

/** Rows per claim for a channel: a window's worth at the rate, or `claimLimit` when unpaced. */
export const claimLimitOf = (channel: DeliveryChannel, c: ChannelConfig): number =>
  Number.isFinite(c.ratePerSecond)
    ? claimSize(
      { ratePerSecond: c.ratePerSecond, burst: 1 },
      c.batchWindow,
      Math.min(c.claimLimit, providerLimit[channel])
    )
    : c.claimLimit

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300)

/** What one claim came to, for the log and the tests. */
export interface CycleReport {
  readonly claimed: number
  readonly sent: number
  readonly retried: number
  readonly failed: number
  readonly dead: number
}

interface Attempt {
  readonly row: ClaimedDelivery
  readonly outcome: AttemptOutcome
  readonly random: number
}

const smsOutcomes = (
  batch: ReadonlyArray<{ readonly row: ClaimedDelivery; readonly text: string }>,
  sender: SmsSender["Type"]
): Effect.Effect<ReadonlyArray<Attempt>> =>
  Effect.gen(function*() {
    const random = yield* Random.next
    const result = yield* Effect.either(
      sender.send({ text: batch[0]!.text, destinations: batch.map((b) => b.row.destination as PhoneE164) })
    )
    if (result._tag === "Left") {
      const e = result.left
      const outcome: AttemptOutcome = e._tag === "SmsRejected"
        ? { _tag: "Refused", reason: `SmsRejected: ${e.reason}` }
        : { _tag: "Transient", reason: `SmsUnavailable: ${e.reason}`, retryAfterSeconds: e.retryAfterSeconds }
      return batch.map(({ row }) => ({ row, outcome, random }))
    }
    const ids = new Map(result.right.accepted.map((a) => [a.destination as string, a.providerId] as const))
    return batch.map(({ row }): Attempt => {
      const providerId = ids.get(row.destination)
      return {
        row,
        random,
        outcome: providerId === undefined
          ? { _tag: "Refused", reason: "the provider did not accept this number" }
          : { _tag: "Accepted", providerId }
      }
    })
  })

/** One voice call per row, named `delivery:<id>` in the provider's callbacks (its hangup moves the row). */
const voiceOutcomes = (
  batch: ReadonlyArray<{ readonly row: ClaimedDelivery; readonly text: string }>,
  caller: VoiceCaller["Type"]
): Effect.Effect<ReadonlyArray<Attempt>> =>
  Effect.forEach(batch, ({ row, text }) =>
    Effect.gen(function*() {
      const random = yield* Random.next
      const result = yield* Effect.either(
        caller.call({ to: row.destination as PhoneE164, text, reference: `delivery:${row.id}` })
      )
      const outcome: AttemptOutcome = result._tag === "Right"
        ? { _tag: "Accepted", providerId: result.right.providerId }
        : result.left._tag === "VoiceRejected"
        ? { _tag: "Refused", reason: `VoiceRejected: ${result.left.reason}` }
        : {
          _tag: "Transient",
          reason: `VoiceUnavailable: ${result.left.reason}`,
          retryAfterSeconds: result.left.retryAfterSeconds
        }
      return { row, outcome, random }
    }))

const emailOutcome = (outcome: EmailOutcome | undefined): AttemptOutcome => {
  if (outcome === undefined) return { _tag: "Transient", reason: "no outcome from the provider" }
  switch (outcome._tag) {
    case "Accepted":
      return { _tag: "Accepted", providerId: outcome.providerId }
    case "Refused":
      return { _tag: "Refused", reason: `Refused: ${outcome.reason}` }
    case "Retry":
      return { _tag: "Transient", reason: `Retry: ${outcome.reason}` }
  }
}

const emailOutcomes = (
  batch: ReadonlyArray<{ readonly row: ClaimedDelivery; readonly message: EmailMessage }>,
  sender: EmailSender["Type"]
): Effect.Effect<ReadonlyArray<Attempt>> =>
  Effect.gen(function*() {
    const random = yield* Random.next
    const result = yield* Effect.either(sender.send(batch.map((b) => b.message)))
    if (result._tag === "Left") {
      const outcome: AttemptOutcome = { _tag: "Transient", reason: `EmailUnavailable: ${result.left.reason}` }
      return batch.map(({ row }) => ({ row, outcome, random }))
    }
    const outcomes = result.right
    // Outcomes come in batch order; match by address when the provider left some out.
    const inOrder = outcomes.length === batch.length && outcomes.every((o, i) => o.to === batch[i]!.message.to)
    const byAddress = new Map(outcomes.map((o) => [o.to as string, o] as const))
    return batch.map(({ message, row }, i) => ({
      row,
      random,
      outcome: emailOutcome(inOrder ? outcomes[i] : byAddress.get(message.to))
    }))
  })

/** Applies the policy to every attempt and records the decisions, one statement per kind of outcome. */
const record = (
  attempts: ReadonlyArray<Attempt>,
  unrenderable: ReadonlyArray<{ readonly row: ClaimedDelivery; readonly error: string }>,
  outOfAttempts: ReadonlyArray<ClaimedDelivery>,
  retry: RetryConfig,
  repo: DeliveryRepo["Type"]
) =>
  Effect.gen(function*() {
    const now = yield* DateTime.now
    const sent: Array<{ id: ClaimedDelivery["id"]; attempts: number; providerId: string }> = []
    const retried: Array<{ id: ClaimedDelivery["id"]; attempts: number; at: DateTime.Utc; error: string }> = []
    const failed = unrenderable.map(({ error, row }) => ({ id: row.id, attempts: row.attempts,
      error: `render: ${error}` })
    )
    const dead = outOfAttempts.map((row) => ({
      id: row.id,
      attempts: row.attempts,
      error: `lease expired on ${row.attempts - 1} attempts: out of attempts`
    }))
    for (const { outcome, random, row } of attempts) {
      const d: Decision = decide(outcome, row.attempts, now, random, retry)
      switch (d._tag) {
        case "Sent":
          sent.push({ id: row.id, attempts: row.attempts, providerId: d.providerId })
          break
        case "Retry":
          retried.push({ id: row.id, attempts: row.attempts, at: d.at, error: d.reason })
          break
        case "Failed":
          failed.push({ id: row.id, attempts: row.attempts, error: d.reason })
          break
        case "Dead":
          dead.push({ id: row.id, attempts: row.attempts, error: d.reason })
          break
      }
    }
    yield* repo.markSent(sent, now)
    yield* repo.markRetry(retried, now)
    yield* repo.markFailed(failed, now)
    yield* repo.markDead(dead, now)
    return { sent: sent.length, retried: retried.length, failed: failed.length, dead: dead.length }
  })

/** What a claim in flight still holds: the rows whose lease it renews, and until when it is known to hold. */
interface Held {
  readonly ids: ReadonlySet<string>
  readonly until: number
}

/**
 * The lease of a claim in flight: renewed every third of the lease while the claim sends (pacing or a
 * slow provider may stretch it beyond one lease), and asked before each provider call whether the
 * batch's rows are still held (Lease.mayStart). Renewal failures are logged and tried again at the next
 * beat; they never fail the claim, which stops sending by itself when its lease runs short.
 */
const holdLease = (rows: ReadonlyArray<ClaimedDelivery>, claimedUntil: number, lease: Duration.DurationInput) =>
  Effect.gen(function*() {
    const repo = yield* DeliveryRepo
    const claims = new Map(rows.map((row) => [row.id as string, row] as const))
    const held = yield* Ref.make<Held>({ ids: new Set(claims.keys()), until: claimedUntil })
    const renew = Effect.gen(function*() {
      const { ids } = yield* Ref.get(held)
      if (ids.size === 0) return
      const until = DateTime.addDuration(yield* DateTime.now, lease)
      const kept = yield* repo.renew([...ids].map((id) => claims.get(id)!), until)
      yield* Ref.update(held, (h) => {
        const still = new Set(kept.filter((id) => h.ids.has(id)))
        return { ids: still, until: DateTime.toEpochMillis(until) }
      })
      if (kept.length < ids.size) {
        yield* Effect.logWarning("a claim lost rows to another worker: its lease had lapsed").pipe(
          Effect.annotateLogs({ lost: ids.size - kept.length })
        )
      }
    }).pipe(
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.failCause(cause)
          : Effect.logWarning("lease renewal failed; the claim stops sending if its lease runs short", cause)
      )
    )
    yield* Effect.sleep(Lease.renewEvery(lease)).pipe(
      Effect.zipRight(renew),
      Effect.forever,
      Effect.interruptible,
      Effect.forkScoped
    )
    return {
      /** The rows of `batch` that may be handed to the provider now: none once the lease runs short. */
      take: <A extends { readonly row: ClaimedDelivery }>(batch: ReadonlyArray<A>) =>
        Effect.gen(function*() {
          const h = yield* Ref.get(held)
          if (!Lease.mayStart(h.until, yield* Clock.currentTimeMillis, lease)) {
            yield* Effect.logWarning("lease running short: batch left for another claim").pipe(
              Effect.annotateLogs({ rows: batch.length })
            )
            return []
          }
          return batch.filter((b) => h.ids.has(b.row.id))
        }),
      /** Stops renewing rows that will not be sent under this claim: they come back when the lease ends. */
      release: (batch: ReadonlyArray<{ readonly row: ClaimedDelivery }>) =>
        Ref.update(held, (h) => {
          const ids = new Set(h.ids)
          for (const b of batch) ids.delete(b.row.id)
          return { ...h, ids }
        })
    }
  })

/**
 * Sends one provider batch: paced, then only the rows the claim still holds. A batch whose pace
 * cannot be asked is not sent (sending unpaced could exceed the account's rate); its rows, like those
 * of a lapsed lease, get no outcome and come back when the lease ends.
 */
const paced = <A extends { readonly row: ClaimedDelivery }>(
  batch: ReadonlyArray<A>,
  pacer: Pacer,
  lease: Effect.Effect.Success<ReturnType<typeof holdLease>>,
  send: (held: ReadonlyArray<A>) => Effect.Effect<ReadonlyArray<Attempt>>
): Effect.Effect<ReadonlyArray<Attempt>> =>
  pacer.admit(batch.length).pipe(
    Effect.zipRight(lease.take(batch)),
    Effect.tap((held) =>
      held.length < batch.length ? lease.release(batch.filter((b) => !held.includes(b))) : Effect.void
    ),
    Effect.flatMap((held) => (held.length === 0 ? Effect.succeed([]) : send(held))),
    Effect.catchTag("PaceUnavailable", (e) =>
      Effect.logWarning("provider pace unavailable: batch not sent").pipe(
        Effect.annotateLogs({ reason: e.reason, rows: batch.length }),
        Effect.zipRight(lease.release(batch)),
        Effect.as([])
      ))
  )

/**
 * One claim of one channel, start to finish, uninterruptible: a stopping worker finishes it and
 * leaves no row half-done. The claim's lease is renewed while it runs (holdLease). Returns what it
 * did (claimed 0: nothing was due).
 */
export const cycle = (
  channel: DeliveryChannel,
  limit: number,
  pacer: Pacer,
  render: Renderer,
  workerConfig: DeliveryWorkerConfig
): Effect.Effect<CycleReport, never, DeliveryRepo | SmsSender | EmailSender> =>
  Effect.gen(function*() {
    const repo = yield* DeliveryRepo
    const now = yield* DateTime.now
    const leaseUntil = DateTime.addDuration(now, workerConfig.lease)
    const rows = yield* repo.claim(channel, limit, now, leaseUntil)
    if (rows.length === 0) return { claimed: 0, sent: 0, retried: 0, failed: 0, dead: 0 }
    const lease = yield* holdLease(rows, DateTime.toEpochMillis(leaseUntil), workerConfig.lease)

    const outOfAttempts = rows.filter((row) => exhausted(row.attempts, workerConfig.retry))
    const live = rows.filter((row) => !exhausted(row.attempts, workerConfig.retry))
    const unrenderable: Array<{ row: ClaimedDelivery; error: string }> = []
    let attempts: ReadonlyArray<Attempt>

    if (channel === "voice") {
      const caller = yield* Effect.serviceOption(VoiceCaller)
      if (Option.isNone(caller)) return yield* Effect.dieMessage("voice deliveries claimed without a VoiceCaller")
      const rendered: Array<{ row: ClaimedDelivery; text: string }> = []
      const texts = yield* renderClaim.sms(render, live)
      live.forEach((row, i) =>
        Either.match(texts[i]!, {
          onLeft: (error) => unrenderable.push({ row, error: reasonOf(error) }),
          onRight: (text) => rendered.push({ row, text: voiceScript(text) })
        })
      )
      attempts = (yield* Effect.forEach(
        rendered,
        (one) => paced([one], pacer, lease, (held) => voiceOutcomes(held, caller.value)),
        { concurrency: workerConfig.sendConcurrency }
      )).flat()
    } else if (channel === "sms") {
      const sender = yield* SmsSender
      const rendered: Array<{ row: ClaimedDelivery; text: string; destination: string }> = []
      const texts = yield* renderClaim.sms(render, live)
      live.forEach((row, i) =>
        Either.match(texts[i]!, {
          onLeft: (error) => unrenderable.push({ row, error: reasonOf(error) }),
          onRight: (text) => rendered.push({ row, text, destination: row.destination })
        })
      )
      attempts = (yield* Effect.forEach(
        smsBatches(rendered),
        (batch) => paced(batch, pacer, lease, (held) => smsOutcomes(held, sender)),
        { concurrency: workerConfig.sendConcurrency }
      )).flat()
    } else {
      const sender = yield* EmailSender
      const rendered: Array<{ row: ClaimedDelivery; message: EmailMessage; destination: string }> = []
      const texts = yield* renderClaim.email(render, live)
      live.forEach((row, i) =>
        Either.match(texts[i]!, {
          onLeft: (error) => unrenderable.push({ row, error: reasonOf(error) }),
          onRight: (email) =>
            rendered.push({ row, destination: row.destination, message: { to: row.destination as Email, ...email } })
        })
      )
      attempts = (yield* Effect.forEach(
        emailBatches(rendered),
        (batch) => paced(batch, pacer, lease, (held) => emailOutcomes(held, sender)),
        { concurrency: workerConfig.sendConcurrency }
      )).flat()
    }
    // What was sent must be recorded: a lost connection is retried while the claim still holds (half
    // the lease; the lease is still being renewed meanwhile), since a claim left unrecorded is sent
    // again once its lease ends. Recording is idempotent: it changes only rows still `sending` under
    // this claim.
    const recorded = yield* record(attempts, unrenderable, outOfAttempts, workerConfig.retry, repo).pipe(
      Effect.sandbox,
      Effect.retry({
        schedule: Schedule.exponential(Duration.millis(50)).pipe(
          Schedule.upTo(Duration.times(Duration.decode(workerConfig.lease), 0.5))
        ),
        while: (cause) => !Cause.isInterruptedOnly(cause)
      }),
      Effect.unsandbox
    )
    yield* AppMetrics.recordDeliveries(channel, recorded)
    return { claimed: rows.length, ...recorded }
  }).pipe(
    Effect.scoped,
    Effect.uninterruptible,
    Effect.withSpan("DeliveryWorker.cycle", { attributes: { channel } })
  )

/** The pace of a channel's provider: shared by every process (ProviderPace), or none when unpaced. */
const pacerFor = (channel: DeliveryChannel, c: ChannelConfig): Effect.Effect<Pacer, never, ProviderPace> =>
  Number.isFinite(c.ratePerSecond)
    ? Effect.flatMap(ProviderPace, (pace) =>
      pace.pacer(channel === "voice" ? VOICE_PACE_KEY : channel, {
        ratePerSecond: c.ratePerSecond,
        burst: Math.max(1, c.ratePerSecond * Duration.toSeconds(c.batchWindow))
      }))
    : Effect.succeed(unpaced)

/**
 * Runs the workers until interrupted: `loops` claim loops per channel, woken by `DeliveryWakeup` hints
 * and by a poll. Interruption lets the claim in flight finish (see `cycle`). A failing database is
 * logged and retried after the poll interval, so workers live through restarts and killed connections.
 */
export const run = (
  render: Renderer,
  workerConfig: DeliveryWorkerConfig = defaultConfig
): Effect.Effect<never, never, DeliveryRepo | SmsSender | EmailSender | DeliveryWakeup | ProviderPace | Scope.Scope> =>
  Effect.gen(function*() {
    const wakeup = yield* DeliveryWakeup
    const signals = {
      sms: yield* Queue.sliding<void>(1),
      email: yield* Queue.sliding<void>(1),
      voice: yield* Queue.sliding<void>(1)
    }
    const hints = yield* wakeup.subscribe
    // Voice rows come with an urgent alert's SMS and e-mails, whose senders do not always name them:
    // every hint also wakes the voice loop (a claim that finds nothing costs one indexed query).
    yield* Stream.runForEach(
      hints,
      (due) =>
        Effect.forEach(
          new Set([...due.channels, "voice" as const]),
          (channel) => Queue.offer(signals[channel], undefined),
          { discard: true }
        )
    ).pipe(
      Effect.forkScoped
    )

    const loop = (channel: DeliveryChannel, c: ChannelConfig, pacer: Pacer) =>
      WorkerLoop.times(c.loops, {
        name: "delivery",
        cycle: cycle(channel, claimLimitOf(channel, c), pacer, render, workerConfig),
        woken: Queue.take(signals[channel]),
        poll: workerConfig.poll,
        annotations: { channel }
      })
    return yield* WorkerLoop.all([
      ...loop("sms", workerConfig.sms, yield* pacerFor("sms", workerConfig.sms)),
      ...loop("email", workerConfig.email, yield* pacerFor("email", workerConfig.email)),
      // Voice calls only where a VoiceCaller is provided (the platform's always is; some tests have none).
      ...(Option.isSome(yield* Effect.serviceOption(VoiceCaller))
        ? loop(
          "voice",
          workerConfig.voice ?? defaultVoice,
          yield* pacerFor("voice", workerConfig.voice ?? defaultVoice)
        )
        : [])
    ])
  }).pipe(Effect.annotateLogs({ service: "DeliveryWorker" }))

/** The workers as a layer: started with it, stopped gracefully when it is released. */
export const layer = (
  render: Renderer,
  workerConfig: DeliveryWorkerConfig = defaultConfig
): Layer.Layer<never, never, DeliveryRepo | SmsSender | EmailSender | DeliveryWakeup | ProviderPace> =>
  Layer.scopedDiscard(Effect.forkScoped(Effect.scoped(run(render, workerConfig))))
