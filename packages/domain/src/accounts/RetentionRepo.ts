import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { Email } from "../shared/Text.js"
import type { AccountId } from "./Account.js"
import type { RetentionCutoffs } from "./Retention.js"

/** An account last active before the warning cutoff, with what the inactivity rule needs. */
export interface InactiveCandidate {
  readonly accountId: AccountId
  readonly email: Option.Option<Email>
  readonly firstName: string
  readonly lastActiveAt: DateTime.Utc
  readonly warnedAt: Option.Option<DateTime.Utc>
  readonly staff: boolean
}

/**
 * The retention job's storage. `exclusively` runs `work` only when no other process holds the
 * job's PostgreSQL advisory lock and `isDue` says so of the job's last run: it records the run in a
 * short transaction first, then runs `work` outside it, and takes the record back if `work` fails or
 * is interrupted. None: not run (another process runs it, or it ran recently). The other methods
 * are meant to be called inside that work; those over large tables work in bounded batches, each
 * its own transaction, and return the sum.
 */
export class RetentionRepo extends Context.Tag("@vigie/domain/RetentionRepo")<
  RetentionRepo,
  {
    readonly exclusively: <A, E, R>(
      job: string,
      now: DateTime.Utc,
      isDue: (lastRunAt: Option.Option<DateTime.Utc>) => boolean,
      work: Effect.Effect<A, E, R>
    ) => Effect.Effect<Option.Option<A>, E, R>
    /** Sessions expired or idle too long; returns how many. Records their accounts' last activity first. */
    readonly deleteEndedSessions: (c: RetentionCutoffs) => Effect.Effect<number>
    readonly deleteOldLoginFailures: (c: RetentionCutoffs) => Effect.Effect<number>
    /** Destinations of deliveries in a final state created before the cutoff. */
    readonly anonymiseDeliveries: (c: RetentionCutoffs) => Effect.Effect<number>
    /** Sender and text of handled inbound SMS received before the cutoff. */
    readonly anonymiseInboundSms: (c: RetentionCutoffs) => Effect.Effect<number>
    /** Letters made before the cutoff: their records deleted, their files' paths returned. */
    readonly deleteOldLetters: (c: RetentionCutoffs) => Effect.Effect<ReadonlyArray<string>>
    /** Known browsers (device cookies) unused since before the cutoff. */
    readonly deleteUnusedLoginDevices: (c: RetentionCutoffs) => Effect.Effect<number>
    /** Verification SMS sent before the cutoff, but the phone codes of accounts without a verified address. */
    readonly deleteOldVerificationSms: (c: RetentionCutoffs) => Effect.Effect<number>
    /** Password resets, e-mail changes, sign-in challenges and staff invitations expired before the cutoff. */
    readonly deleteExpiredLinks: (c: RetentionCutoffs) => Effect.Effect<number>
    /** Counters of the edge limits whose window has ended. */
    readonly deleteEndedRateCounters: (c: RetentionCutoffs) => Effect.Effect<number>
    /** The veille's closed check-ins and recorded steps from before `veilleHistoryBefore`. */
    readonly deleteOldVeilleHistory: (c: RetentionCutoffs) => Effect.Effect<number>
    readonly inactiveCandidates: (c: RetentionCutoffs) => Effect.Effect<ReadonlyArray<InactiveCandidate>>
    readonly markWarned: (accountIds: ReadonlyArray<AccountId>, at: Option.Option<DateTime.Utc>) => Effect.Effect<void>
  }
>() {}
