import { Context } from "effect"
import type { Effect, Option } from "effect"
import type { PhoneKind } from "../channels/PhoneNumbers.js"
import type { AccountId, CommunityId, InseeCode } from "../shared/Ids.js"
import type { Alerted, Outcome, Phase } from "./Escalation.js"
import type {
  CheckInId,
  ConsentMethod,
  VeilleChannel,
  VeilleEvent,
  VeilleId,
  VeilleStatus,
  VeilleurStatus
} from "./Veille.js"
import type { Weekday } from "./VeilleSchedule.js"

/** A person (or actor) as a veille needs them: name, phone, and their quartiers. */
export interface PersonFacts {
  readonly accountId: AccountId
  readonly name: string
  readonly phone: Option.Option<string>
  readonly phoneVerified: boolean
  /** The kind the paper form gave, when the person was registered on paper (not claimed yet or claimed). */
  readonly paperPhoneKind: Option.Option<PhoneKind>
  readonly memberships: ReadonlyArray<{
    readonly communityId: CommunityId
    readonly insee: InseeCode
    readonly role: "resident" | "referent"
    readonly verified: boolean
    readonly address: string
  }>
}

export interface VeilleurRow {
  readonly accountId: AccountId
  readonly name: string
  readonly status: VeilleurStatus
}

export interface AbsenceRow {
  readonly id: string
  readonly from: string
  readonly to: string
}

/** A veille as stored, with its veilleurs and absences. */
export interface VeilleRecord {
  readonly id: VeilleId
  readonly personId: AccountId
  readonly personName: string
  readonly communityId: CommunityId
  readonly insee: InseeCode
  readonly days: ReadonlyArray<Weekday>
  readonly time: string
  readonly channel: VeilleChannel
  readonly phone: string
  readonly address: Option.Option<string>
  readonly status: VeilleStatus
  readonly consentMethod: ConsentMethod
  readonly consentBy: string
  readonly consentAt: number
  readonly veilleurs: ReadonlyArray<VeilleurRow>
  readonly absences: ReadonlyArray<AbsenceRow>
}

/** A check-in as stored: its escalation state (times in epoch ms). */
export interface CheckInRow {
  readonly id: CheckInId
  readonly veilleId: VeilleId
  readonly scheduledAt: number
  readonly phase: Phase
  readonly since: number
  readonly askedAt: number | undefined
  readonly owner: AccountId | undefined
  readonly alerted: Alerted
  readonly outcome: Outcome | undefined
}

/** Where a message goes: an account (for the record and STOP) and one channel's destination. */
export interface VeilleTarget {
  readonly accountId: AccountId
  readonly channel: "sms" | "email"
  readonly destination: string
}

export interface Contact {
  readonly accountId: AccountId
  readonly name: string
  /** Only a verified phone. */
  readonly phone: Option.Option<string>
  readonly email: Option.Option<string>
}

/** A claimed due check-in: its id and the claim's token (the lease is ours while the token holds). */
export interface CheckInClaim {
  readonly id: CheckInId
  readonly token: number
}

/** A claimed check-in still ours, locked, with what its step needs (read in one go for a batch). */
export interface ClaimedCheckIn {
  readonly row: CheckInRow
  /** None when the veille is gone. */
  readonly veille: Option.Option<VeilleRecord>
  /** When the veille's previous check-in (asked, not merely scheduled) was due, if any. */
  readonly previousAt: number | undefined
  /** Whether the veille's commune has a CCAS contact. */
  readonly hasCcas: boolean
}

/** A check-in moved one step by the worker, its messages and events decided by the domain; written in bulk. */
export interface SteppedCheckIn {
  readonly checkInId: CheckInId
  readonly veilleId: VeilleId
  readonly phase: Phase
  readonly since: number
  readonly askedAt: number | undefined
  /** The new phase's deadline (always some: asking and reminding never close). */
  readonly dueAt: number
  /** The veille's next occurrence to schedule, when this step was the ask. */
  readonly next: number | undefined
  /** SMS to send, in order (STOP-suppressed numbers get none). */
  readonly sms: ReadonlyArray<{ readonly accountId: AccountId; readonly destination: string; readonly body: string }>
  /** Events recorded (actor: Vigie), in order. */
  readonly events: ReadonlyArray<{ readonly kind: string; readonly text: string }>
}

/** Persistence of veilles, veilleurs, absences, check-ins and their history. */
export class VeilleRepo extends Context.Tag("@vigie/domain/VeilleRepo")<
  VeilleRepo,
  {
    readonly person: (accountId: AccountId) => Effect.Effect<Option.Option<PersonFacts>>
    /** The verified members of these quartiers, with their names. */
    readonly members: (
      communityIds: ReadonlyArray<CommunityId>
    ) => Effect.Effect<ReadonlyArray<{ readonly accountId: AccountId; readonly name: string }>>
    /** The neighbours registered on paper in these quartiers (their verified membership there). */
    readonly paperNeighbours: (communityIds: ReadonlyArray<CommunityId>) => Effect.Effect<
      ReadonlyArray<{
        readonly accountId: AccountId
        readonly name: string
        readonly communityId: CommunityId
        readonly phoneKind: PhoneKind
        readonly hasVeille: boolean
      }>
    >
    /** The active quartiers of these communes. */
    readonly communitiesOf: (insees: ReadonlyArray<InseeCode>) => Effect.Effect<ReadonlyArray<CommunityId>>
    readonly veilleOf: (personId: AccountId) => Effect.Effect<Option.Option<VeilleRecord>>
    readonly veille: (id: VeilleId) => Effect.Effect<Option.Option<VeilleRecord>>
    /** Locks the veille row until the transaction ends, and reads it. */
    readonly lockVeille: (id: VeilleId) => Effect.Effect<Option.Option<VeilleRecord>>
    /** The veilles the account watches over (invited or accepted). */
    readonly watchedBy: (accountId: AccountId) => Effect.Effect<ReadonlyArray<VeilleRecord>>
    readonly insert: (
      veille: Omit<VeilleRecord, "veilleurs" | "absences" | "consentBy" | "personName" | "insee"> & {
        readonly consentBy: AccountId
        readonly createdBy: AccountId
        readonly veilleurs: ReadonlyArray<AccountId>
      },
      at: number
    ) => Effect.Effect<void>
    readonly setStatus: (id: VeilleId, status: VeilleStatus, at: number) => Effect.Effect<void>
    readonly setConsent: (id: VeilleId, method: ConsentMethod, by: AccountId, at: number) => Effect.Effect<void>
    readonly setVeilleur: (
      id: VeilleId,
      accountId: AccountId,
      status: VeilleurStatus,
      at: number
    ) => Effect.Effect<void>
    readonly addVeilleur: (id: VeilleId, accountId: AccountId, at: number) => Effect.Effect<void>
    readonly addAbsence: (id: VeilleId, from: string, to: string, by: AccountId, at: number) => Effect.Effect<void>
    readonly record: (event: {
      readonly veilleId: VeilleId
      readonly checkInId: Option.Option<CheckInId>
      readonly at: number
      readonly kind: string
      readonly actor: Option.Option<AccountId>
      readonly actorLabel: string
      readonly text: string
    }) => Effect.Effect<void>
    readonly history: (id: VeilleId) => Effect.Effect<ReadonlyArray<VeilleEvent>>
    /** Removes the veille's check-ins not asked yet and schedules `at` (none: nothing scheduled). */
    readonly reschedule: (id: VeilleId, at: Option.Option<number>, now: number) => Effect.Effect<void>
    /** Adds the next check-in (no-op when that occurrence exists already). */
    readonly schedule: (id: VeilleId, at: number) => Effect.Effect<void>
    /** Claims check-ins whose deadline has passed, not leased by a live claim, under a lease. */
    readonly claimDue: (now: number, limit: number, leaseUntil: number) => Effect.Effect<ReadonlyArray<CheckInClaim>>
    /**
     * Locks a claimed check-in when the claim still holds (same token, not yet processed: a processed
     * step releases the lease); none when it was lost.
     */
    readonly lockClaimed: (claim: CheckInClaim) => Effect.Effect<Option.Option<CheckInRow>>
    /**
     * Locks the claimed check-ins whose claims still hold (same token, not processed yet), in the order of
     * their time, and reads each with its veille: the batch's one read.
     */
    readonly lockClaimedBatch: (claims: ReadonlyArray<CheckInClaim>) => Effect.Effect<ReadonlyArray<ClaimedCheckIn>>
    /**
     * Writes a batch of steps set-based: their SMS (one message and one delivery each), their events,
     * their new states (leases released) and the next occurrences (no-op when one exists).
     */
    readonly saveSteps: (steps: ReadonlyArray<SteppedCheckIn>, at: number) => Effect.Effect<void>
    /** Locks a check-in by id. */
    readonly lockCheckIn: (id: CheckInId) => Effect.Effect<Option.Option<CheckInRow>>
    /** Locks the open check-ins of a veille (asked and not closed). */
    readonly lockOpen: (id: VeilleId) => Effect.Effect<ReadonlyArray<CheckInRow>>
    /** Saves the state, its next deadline (none: closed), and releases the lease. */
    readonly save: (row: CheckInRow, dueAt: Option.Option<number>, at: number) => Effect.Effect<void>
    readonly lastCheckIn: (id: VeilleId) => Effect.Effect<Option.Option<CheckInRow>>
    readonly nextCheckIn: (id: VeilleId) => Effect.Effect<Option.Option<number>>
    readonly contacts: (ids: ReadonlyArray<AccountId>) => Effect.Effect<ReadonlyArray<Contact>>
    /** The verified référents of a quartier. */
    readonly referents: (communityId: CommunityId) => Effect.Effect<ReadonlyArray<AccountId>>
    readonly ccas: (insee: InseeCode) => Effect.Effect<Option.Option<string>>
    readonly setCcas: (insee: InseeCode, email: Option.Option<string>, at: number) => Effect.Effect<void>
    /** Writes one message (kind veille_notice) and its deliveries; STOP-suppressed numbers get no SMS. */
    readonly send: (
      id: VeilleId,
      body: string,
      targets: ReadonlyArray<VeilleTarget>,
      at: number
    ) => Effect.Effect<{ readonly sms: number; readonly email: number }>
    readonly counts: (insee: InseeCode, since: number) => Effect.Effect<{
      readonly active: number
      readonly veilleurs: number
      readonly checkIns: number
      readonly escalations: number
    }>
  }
>() {}
