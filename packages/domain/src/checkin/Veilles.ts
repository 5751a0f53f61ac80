import { Context, DateTime, Effect, FiberRef, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { type Actor, requireAccount } from "../accounts/CurrentActor.js"
import { VoiceCaller } from "../channels/VoiceCaller.js"
import type { VoiceCall } from "../channels/VoiceCaller.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import type { PhoneE164 } from "../shared/Text.js"
import type { AccountId, CommunityId, InseeCode } from "../shared/Ids.js"
import { Transactor } from "../shared/Transactor.js"
import { VeilleSms } from "../sms/VeilleSmsCommands.js"
import type { VeilleCommand } from "../sms/VeilleSmsCommands.js"
import {
  type Action,
  type CheckInEvent,
  type CheckInState,
  deadline,
  type EscalationFacts,
  step
} from "./Escalation.js"
import {
  AbsenceView,
  LastCheckIn,
  PaperNeighbour,
  type CheckInId,
  VeilleCounts,
  type VeilleEvent,
  VeilleurCandidate,
  VeilleurView,
  type VeilleId,
  type VeilleSetup,
  VeilleView,
  WatchedPerson
} from "./Veille.js"
import {
  MAX_VEILLEURS,
  VeilleAbsenceInvalid,
  VeilleAlreadyExists,
  VeilleConsentMissing,
  VeilleNoDays,
  VeilleNoVeilleur,
  VeilleNotFound,
  VeillePhoneUnsuitable,
  VeilleTimeInvalid,
  VeilleTooManyVeilleurs,
  VeilleurOutsideQuartier
} from "./VeilleErrors.js"
import {
  type CheckInClaim,
  type CheckInRow,
  type PersonFacts,
  type SteppedCheckIn,
  VeilleRepo,
  type VeilleRecord,
  type VeilleTarget
} from "./VeilleRepo.js"
import {
  describeSchedule,
  formatLocalTime,
  isoDayOf,
  nextOccurrence,
  parisDay,
  parisWallClock,
  parseIsoDay,
  parseLocalTime,
  parseShortDay,
  type Schedule,
  sayDay,
  sayLocalTime,
  timeExistsEveryDay
} from "./VeilleSchedule.js"
import { veilleTexts } from "./VeilleTexts.js"

type Acting = Unauthenticated | AccountSuspended

export type SetupError =
  | Acting
  | Forbidden
  | VeilleTimeInvalid
  | VeilleNoDays
  | VeilleNoVeilleur
  | VeilleTooManyVeilleurs
  | VeilleurOutsideQuartier
  | VeillePhoneUnsuitable
  | VeilleConsentMissing
  | VeilleAlreadyExists
  | VeilleNotFound

/** How long a worker's claim on due check-ins lasts before another worker may take them back. */
export const CHECKIN_LEASE_MS = 60_000

/**
 * The veille bienveillante (issue 17): set up by the person, or for a neighbour registered on paper by
 * a référent of their quartier or a mairie agent of their commune; check-ins at the chosen local time
 * (VeilleSchedule), escalated by the pure state machine (Escalation), every step recorded with its
 * time and actor. Check-ins due are rows claimed under a lease by the workers (`runDue`); their
 * messages are written in the same transaction as the step (the delivery table is the outbox), so a
 * check-in is asked once and never skipped when a worker dies: its claim comes back after the lease.
 */
export class Veilles extends Context.Tag("@vigie/domain/Veilles")<
  Veilles,
  {
    readonly setup: (actor: Actor, setup: VeilleSetup) => Effect.Effect<VeilleView, SetupError>
    /** My own veille, or the veille of a neighbour I manage (référent, mairie agent). */
    readonly view: (
      actor: Actor,
      person: Option.Option<AccountId>
    ) => Effect.Effect<Option.Option<VeilleView>, Acting | Forbidden>
    readonly paperNeighbours: (actor: Actor) => Effect.Effect<ReadonlyArray<PaperNeighbour>, Acting>
    readonly candidates: (
      actor: Actor,
      person: Option.Option<AccountId>
    ) => Effect.Effect<ReadonlyArray<VeilleurCandidate>, Acting | Forbidden>
    readonly watched: (actor: Actor) => Effect.Effect<ReadonlyArray<WatchedPerson>, Acting>
    readonly answerInvitation: (
      actor: Actor,
      id: VeilleId,
      accept: boolean
    ) => Effect.Effect<void, Acting | VeilleNotFound>
    readonly setAbsence: (
      actor: Actor,
      id: VeilleId,
      from: string,
      to: string
    ) => Effect.Effect<void, Acting | VeilleNotFound | VeilleAbsenceInvalid>
    readonly stop: (actor: Actor, id: VeilleId) => Effect.Effect<void, Acting | VeilleNotFound>
    /** A veilleur's J'Y VAIS, OK and URGENCE from the web. */
    readonly respond: (
      actor: Actor,
      id: VeilleId,
      answer: "going" | "ok" | "urgent"
    ) => Effect.Effect<boolean, Acting | VeilleNotFound>
    readonly history: (actor: Actor, id: VeilleId) => Effect.Effect<ReadonlyArray<VeilleEvent>, Acting | VeilleNotFound>
    readonly counts: (actor: Actor, insee: InseeCode) => Effect.Effect<VeilleCounts, Acting | Forbidden>
    readonly setCcas: (
      actor: Actor,
      insee: InseeCode,
      email: Option.Option<string>
    ) => Effect.Effect<VeilleCounts, Acting | Forbidden>
    /** One worker cycle: claims the due check-ins (at most `limit`) and moves each one step. */
    readonly runDue: (limit: number) => Effect.Effect<{ readonly claimed: number; readonly moved: number }>
    /** The claim half of `runDue` (tests: a worker that dies after claiming). */
    readonly claim: (limit: number) => Effect.Effect<ReadonlyArray<CheckInClaim>>
    /** The processing half: false when the claim was lost (its lease ended and another took it). */
    readonly settle: (claim: CheckInClaim) => Effect.Effect<boolean>
    /**
     * The processing half for a batch: one transaction for the batch, then one each for its rare steps
     * (voice calls, escalations); how many moved (lost claims are skipped).
     */
    readonly settleBatch: (claims: ReadonlyArray<CheckInClaim>) => Effect.Effect<number>
  }
>() {}

/**
 * The keypad answer of a voice check-in, called by the signed voice callback: `reference` is the
 * call's ("veille:<check-in id>"), `digits` what was pressed (1: all is well, 9: help). Returns what
 * the call says back.
 */
export class VeilleKeypad extends Context.Tag("@vigie/domain/VeilleKeypad")<
  VeilleKeypad,
  { readonly answer: (reference: string, digits: string) => Effect.Effect<{ readonly speak: string }> }
>() {}

const ms = (at: DateTime.Utc) => DateTime.toEpochMillis(at)
const utc = (epoch: number) => DateTime.unsafeMake(epoch)

const scheduleOf = (veille: VeilleRecord): Schedule => ({
  days: veille.days,
  time: parseLocalTime(veille.time) ?? { hour: 10, minute: 0 }
})

const stateOf = (row: CheckInRow): CheckInState => ({
  phase: row.phase,
  since: row.since,
  askedAt: row.askedAt,
  owner: row.owner,
  alerted: row.alerted,
  outcome: row.outcome
})

const sinceText = (row: { readonly askedAt: number | undefined; readonly scheduledAt: number }) => {
  const wall = parisWallClock(row.askedAt ?? row.scheduledAt)
  return sayLocalTime({ hour: wall.hour, minute: wall.minute })
}

const eventLabels: Record<Action["_tag"], string> = {
  AskPerson: "Message de veille envoyé",
  RemindPerson: "Rappel envoyé",
  ConfirmPerson: "Réponse de la personne : tout va bien",
  AlertVeilleurs: "Voisins veilleurs prévenus",
  TellOthersOwned: "Un veilleur y va",
  TellAlreadyOwned: "Un autre veilleur y allait déjà",
  ConfirmOwner: "Le veilleur a vu la personne : tout va bien",
  UrgentInstructions: "URGENCE signalée par le veilleur (15 ou 112)",
  AlertReferent: "Référent prévenu",
  AlertCcas: "Service social de la mairie (CCAS) prévenu",
  TellAlertedClosed: "Personnes prévenues informées de la clôture"
}

/**
 * Whether an absence of the veille ended between its previous check-in (`previousAt`, none: the first)
 * and this one at `scheduledAt`: the check-in is preceded by the "bon retour" message.
 */
export const resumesAfter = (
  absences: ReadonlyArray<{ readonly from: string; readonly to: string }>,
  scheduledAt: number,
  previousAt: number | undefined
): boolean => {
  const day = parisDay(scheduledAt)
  const since = previousAt === undefined ? -Infinity : parisDay(previousAt)
  return absences.some((a) => {
    const to = parseIsoDay(a.to)
    return to !== undefined && to < day && to >= since
  })
}

/** A voice check-in decided inside a transaction, to be placed once it commits. */
interface PendingCall {
  readonly veille: VeilleRecord
  readonly checkIn: CheckInId
  readonly call: VoiceCall
}

/** Where settleLocked collects the calls its transaction decides; undefined elsewhere (placed at once). */
const callsAfterCommit = FiberRef.unsafeMake<Array<PendingCall> | undefined>(undefined)

export const make = Effect.gen(function*() {
  const repo = yield* VeilleRepo
  const transactor = yield* Transactor
  const voice = yield* Effect.serviceOption(VoiceCaller)
  const wakeup = yield* Effect.serviceOption(DeliveryWakeup)
  const nowMs = Effect.map(DateTime.now, ms)

  const wake = Option.isSome(wakeup) ? wakeup.value.wake({ channels: ["sms", "email"] }) : Effect.void

  const isReferentOf = (facts: PersonFacts, communityId: CommunityId) =>
    facts.memberships.some((m) => m.communityId === communityId && m.verified && m.role === "referent")
  const isAgentOf = (account: Account, insee: InseeCode) =>
    account.staffRoles.some((r) => r._tag === "MairieAgent" && r.insee === insee)

  const actorFacts = (account: Account) =>
    Effect.map(
      repo.person(account.id),
      Option.getOrElse((): PersonFacts => ({
        accountId: account.id,
        name: `${account.firstName} ${account.lastName}`,
        phone: Option.none(),
        phoneVerified: false,
        paperPhoneKind: Option.none(),
        memberships: []
      }))
    )

  /** Whether the account manages the veille: the person, a référent of the quartier, a mairie agent of the commune. */
  const manages = (
    account: Account,
    facts: PersonFacts,
    veille: { personId: AccountId; communityId: CommunityId; insee: InseeCode }
  ) => account.id === veille.personId || isReferentOf(facts, veille.communityId) || isAgentOf(account, veille.insee)

  const mayRead = (account: Account, facts: PersonFacts, veille: VeilleRecord) =>
    manages(account, facts, veille) ||
    veille.veilleurs.some((v) => v.accountId === account.id && v.status !== "withdrawn")

  const record = (
    veille: VeilleRecord,
    checkIn: Option.Option<CheckInId>,
    at: number,
    kind: string,
    actor: Option.Option<{ readonly id: AccountId; readonly name: string }>,
    text: string
  ) =>
    repo.record({
      veilleId: veille.id,
      checkInId: checkIn,
      at,
      kind,
      actor: Option.map(actor, (a) => a.id),
      actorLabel: Option.match(actor, { onNone: () => "Vigie", onSome: (a) => a.name }),
      text
    })

  const targetsOf = (ids: ReadonlyArray<AccountId>, channels: ReadonlyArray<"sms" | "email"> = ["sms", "email"]) =>
    Effect.map(repo.contacts(ids), (contacts) =>
      contacts.flatMap((c): Array<VeilleTarget> => [
        ...(channels.includes("sms") && Option.isSome(c.phone)
          ? [{ accountId: c.accountId, channel: "sms" as const, destination: c.phone.value }]
          : []),
        ...(channels.includes("email") && Option.isSome(c.email)
          ? [{ accountId: c.accountId, channel: "email" as const, destination: c.email.value }]
          : [])
      ]))

  const send = (veille: VeilleRecord, body: string, targets: ReadonlyArray<VeilleTarget>, at: number) =>
    targets.length === 0 ? Effect.void : Effect.asVoid(repo.send(veille.id, body, targets, at))

  const sendTo = (veille: VeilleRecord, ids: ReadonlyArray<AccountId>, body: string, at: number) =>
    Effect.flatMap(targetsOf(ids), (targets) => send(veille, body, targets, at))

  const accepted = (veille: VeilleRecord) => veille.veilleurs.filter((v) => v.status === "accepted")
  const nameOf = (veille: VeilleRecord, id: AccountId | undefined) =>
    veille.veilleurs.find((v) => v.accountId === id)?.name ?? "Un voisin"
  const addressOf = (veille: VeilleRecord) => Option.getOrElse(veille.address, () => "adresse non partagée")

  /** Whether an absence ended between the person's previous check-in and this one: the veille resumes. */
  const resumes = (veille: VeilleRecord, row: CheckInRow) =>
    Effect.map(
      repo.lastCheckIn(veille.id),
      (previous) =>
        resumesAfter(
          veille.absences,
          row.scheduledAt,
          Option.getOrUndefined(Option.map(previous, (p) => p.scheduledAt))
        )
    )

  /** The person is asked: an SMS to their mobile, or a call with the keypad (1 or 9). */
  const askPerson = (veille: VeilleRecord, row: CheckInRow, at: number, reminder: boolean) =>
    Effect.gen(function*() {
      if (veille.channel === "sms" && !reminder && (yield* resumes(veille, row))) {
        yield* send(veille, veilleTexts.resumed(describeSchedule(scheduleOf(veille))), [{ accountId: veille.personId,
          channel: "sms", destination: veille.phone }], at)
      }
      if (veille.channel === "sms") {
        const body = reminder ? veilleTexts.reminderSms(veille.personName) : veilleTexts.checkInSms(veille.personName)
        return yield* send(
          veille,
          body,
          [{ accountId: veille.personId, channel: "sms", destination: veille.phone }],
          at
        )
      }
      if (Option.isNone(voice)) {
        return yield* record(
          veille,
          Option.some(row.id),
          at,
          "call_failed",
          Option.none(),
          "Appel impossible : la voix n'est pas disponible"
        )
      }
      const call: VoiceCall = {
        to: veille.phone as PhoneE164,
        text: veilleTexts.checkInVoice(veille.personName),
        digits: "19",
        reference: `veille:${row.id}`
      }
      // Inside settleLocked's transaction the call waits for the commit (callsAfterCommit): the
      // provider fetches the call's text from its log as soon as the phone answers, and a log row
      // written in a transaction not yet committed would not be there to read.
      const pending = yield* FiberRef.get(callsAfterCommit)
      if (pending !== undefined) pending.push({ veille, checkIn: row.id, call })
      else yield* place({ veille, checkIn: row.id, call })
    })

  /** Rings the person; a refused or unreachable call is recorded in the history, at its own time. */
  const place = (pending: PendingCall): Effect.Effect<void> =>
    Effect.flatMap(voice, (caller) => caller.call(pending.call)).pipe(
      Effect.asVoid,
      Effect.catchAll((error) =>
        error._tag === "NoSuchElementException" ?
          Effect.void :
          Effect.flatMap(nowMs, (at) =>
            transactor.transaction(record(
              pending.veille,
              Option.some(pending.checkIn),
              at,
              "call_failed",
              Option.none(),
              `Appel impossible : ${error.reason}`
            )).pipe(Effect.orDie))
      )
    )

  /** The messages an action sends. */
  const perform = (veille: VeilleRecord, row: CheckInRow, action: Action, at: number) =>
    Effect.gen(function*() {
      const since = sinceText(row)
      const name = veille.personName
      switch (action._tag) {
        case "AskPerson":
          return yield* askPerson(veille, row, at, false)
        case "RemindPerson":
          return yield* askPerson(veille, row, at, true)
        case "ConfirmPerson":
          return
        case "AlertVeilleurs":
          return yield* sendTo(
            veille,
            accepted(veille).map((v) => v.accountId),
            action.help ? veilleTexts.helpVeilleurs(name, since) : veilleTexts.alertVeilleurs(name, since),
            at
          )
        case "TellOthersOwned": {
          const others = accepted(veille).map((v) => v.accountId).filter((id) => id !== action.owner)
          yield* sendTo(veille, others, veilleTexts.othersOwned(nameOf(veille, action.owner as AccountId), name), at)
          return
        }
        case "TellAlreadyOwned":
        case "ConfirmOwner":
          return
        case "UrgentInstructions":
          return
        case "AlertReferent": {
          const referents = yield* repo.referents(veille.communityId)
          const body = action.reason === "urgent"
            ? veilleTexts.referentUrgent(name, addressOf(veille), nameOf(veille, row.owner))
            : veilleTexts.referentNoVeilleur(name, addressOf(veille), since)
          return yield* sendTo(veille, referents, body, at)
        }
        case "AlertCcas": {
          const ccas = yield* repo.ccas(veille.insee)
          if (Option.isNone(ccas)) return
          return yield* send(veille, veilleTexts.ccas(name, addressOf(veille), since), [{ accountId: veille.personId,
            channel: "email", destination: ccas.value }], at)
        }
        case "TellAlertedClosed": {
          const body = action.outcome === "unanswered" ? veilleTexts.closedUnanswered(name) : veilleTexts.closedOk(name)
          const ids: Array<AccountId> = []
          if (action.alerted.veilleurs) ids.push(...accepted(veille).map((v) => v.accountId))
          if (action.alerted.referent) ids.push(...(yield* repo.referents(veille.communityId)))
          yield* sendTo(veille, [...new Set(ids)], body, at)
          if (action.alerted.ccas) {
            const ccas = yield* repo.ccas(veille.insee)
            if (Option.isSome(ccas)) {
              yield* send(veille, body, [{ accountId: veille.personId, channel: "email", destination: ccas.value }], at)
            }
          }
          return
        }
      }
    })

  const factsOf = (veille: VeilleRecord) =>
    Effect.map(repo.ccas(veille.insee), (ccas): EscalationFacts => ({
      hasVeilleurs: accepted(veille).length > 0,
      hasCcas: Option.isSome(ccas)
    }))

  /**
   * Moves one locked check-in by an event, performs the actions, records each step, saves. Inside a
   * transaction. Returns the transition's actions (empty when nothing changed).
   */
  const apply = (
    veille: VeilleRecord,
    row: CheckInRow,
    event: CheckInEvent,
    at: number,
    actor: Option.Option<{ readonly id: AccountId; readonly name: string }>
  ) =>
    Effect.gen(function*() {
      const facts = yield* factsOf(veille)
      const transition = step(stateOf(row), event, at, facts)
      const next: CheckInRow = { ...row, ...transition.state, owner: transition.state.owner as AccountId | undefined }
      for (const action of transition.actions) {
        yield* perform(veille, next, action, at)
        const who =
          action._tag === "ConfirmPerson" || action._tag === "ConfirmOwner" || action._tag === "UrgentInstructions" ||
            action._tag === "TellOthersOwned" || action._tag === "TellAlreadyOwned"
            ? actor
            : Option.none()
        yield* record(veille, Option.some(row.id), at, action._tag, who, eventLabels[action._tag])
      }
      if (transition.changed && next.phase === "closed") {
        const closing = next.outcome === "unanswered"
          ? "Veille close sans réponse"
          : next.outcome === "stopped"
          ? "Veille arrêtée"
          : next.outcome === "urgent"
          ? "Veille close : urgence"
          : "Veille close : tout va bien"
        yield* record(veille, Option.some(row.id), at, "closed", Option.none(), closing)
      }
      if (transition.changed || transition.actions.length > 0) {
        yield* repo.save(next, Option.fromNullable(deadline(transition.state, facts)), at)
      }
      if (row.phase === "scheduled" && transition.changed) {
        const following = nextOccurrence(scheduleOf(veille), Math.max(row.scheduledAt, at), veille.absences)
        if (following !== undefined) yield* repo.schedule(veille.id, following)
      }
      return transition
    })

  /** Whether the check-in falls on a day of the veille's absences. */
  const absentOn = (veille: VeilleRecord, row: CheckInRow) => {
    const day = parisDay(row.scheduledAt)
    return veille.absences.some((a) =>
      day >= (parseIsoDay(a.from) ?? Infinity) && day <= (parseIsoDay(a.to) ?? -Infinity)
    )
  }

  /**
   * The step of a due SMS check-in that only asks or reminds the person, decided here (texts, next
   * occurrence, deadline, events) and written in bulk by the repo; undefined when the step does
   * anything else (then it goes through `apply`, one row at a time).
   */
  const plainStep = (
    veille: VeilleRecord,
    row: CheckInRow,
    previousAt: number | undefined,
    hasCcas: boolean,
    at: number
  ): SteppedCheckIn | undefined => {
    if (veille.channel !== "sms" || veille.status !== "active") return undefined
    if (row.phase !== "scheduled" && row.phase !== "asked") return undefined
    const facts: EscalationFacts = { hasVeilleurs: accepted(veille).length > 0, hasCcas }
    const transition = step(stateOf(row), { _tag: "Timeout" }, at, facts)
    const dueAt = deadline(transition.state, facts)
    if (
      !transition.changed || dueAt === undefined ||
      !transition.actions.every((a) => a._tag === "AskPerson" || a._tag === "RemindPerson")
    ) return undefined
    const to = { accountId: veille.personId, destination: veille.phone }
    const sms: Array<SteppedCheckIn["sms"][number]> = []
    for (const action of transition.actions) {
      if (action._tag === "AskPerson") {
        if (resumesAfter(veille.absences, row.scheduledAt, previousAt)) {
          sms.push({ ...to, body: veilleTexts.resumed(describeSchedule(scheduleOf(veille))) })
        }
        sms.push({ ...to, body: veilleTexts.checkInSms(veille.personName) })
      } else {
        sms.push({ ...to, body: veilleTexts.reminderSms(veille.personName) })
      }
    }
    return {
      checkInId: row.id,
      veilleId: veille.id,
      phase: transition.state.phase,
      since: transition.state.since,
      askedAt: transition.state.askedAt,
      dueAt,
      next: row.phase === "scheduled"
        ? nextOccurrence(scheduleOf(veille), Math.max(row.scheduledAt, at), veille.absences)
        : undefined,
      sms,
      events: transition.actions.map((a) => ({ kind: a._tag, text: eventLabels[a._tag] }))
    }
  }

  /**
   * Moves claimed check-ins one step, in one transaction: the claims lost meanwhile (lease ended,
   * another worker took them, or already processed) are skipped; the plain asks and reminders by SMS
   * are written set-based (`saveSteps`), stopped, pending and absent ones closed or rescheduled. The
   * rest (voice calls, escalations: rare, and a call is a side effect outside the database) is
   * `deferred` when `oneByOne` is false: left claimed, for a transaction of its own each.
   */
  const settleLocked = (claims: ReadonlyArray<CheckInClaim>, oneByOne: boolean) =>
    Effect.gen(function*() {
      const calls: Array<PendingCall> = []
      const settled = yield* Effect.locally(settleInTransaction(claims, oneByOne), callsAfterCommit, calls)
      // Committed: the calls' check-ins are "asked"; ring now (a process that dies here leaves the
      // check-in asked and unanswered: the reminder call and then the veilleurs follow, as for silence).
      for (const pending of calls) yield* place(pending)
      return settled
    })

  const settleInTransaction = (claims: ReadonlyArray<CheckInClaim>, oneByOne: boolean) =>
    transactor.transaction(Effect.gen(function*() {
      const at = yield* nowMs
      const due = yield* repo.lockClaimedBatch(claims)
      const tokens = new Map(claims.map((c) => [c.id, c.token]))
      const steps: Array<SteppedCheckIn> = []
      const deferred: Array<CheckInClaim> = []
      // A veille's previous check-in, as the batch asks (rows come in the order of their time).
      const previous = new Map<VeilleId, number | undefined>()
      for (const { hasCcas, previousAt, row, veille } of due) {
        if (Option.isNone(veille) || veille.value.status === "stopped") {
          yield* repo.save({ ...row, phase: "closed", outcome: "stopped", since: at }, Option.none(), at)
          continue
        }
        const v = veille.value
        if (v.status === "pending" && row.phase === "scheduled") {
          // Not consented yet: no check-in; the next occurrence waits for the consent.
          yield* repo.save({ ...row, phase: "closed", outcome: "stopped", since: at }, Option.none(), at)
          continue
        }
        if (row.phase === "scheduled" && absentOn(v, row)) {
          yield* repo.reschedule(v.id, Option.fromNullable(nextOccurrence(scheduleOf(v), at, v.absences)), at)
          continue
        }
        const before = previous.has(v.id) ? previous.get(v.id) : previousAt
        const plain = plainStep(v, row, before, hasCcas, at)
        if (plain !== undefined) steps.push(plain)
        else if (oneByOne) yield* apply(v, row, { _tag: "Timeout" }, at, Option.none())
        else {
          deferred.push({ id: row.id, token: tokens.get(row.id)! })
          continue
        }
        if (row.phase === "scheduled") previous.set(v.id, Math.max(row.scheduledAt, before ?? -Infinity))
      }
      yield* repo.saveSteps(steps, at)
      return { moved: due.length - deferred.length, deferred }
    })).pipe(Effect.withSpan("Veilles.settleLocked", { captureStackTrace: false }), Effect.orDie)

  const settle = (claim: CheckInClaim) => Effect.map(settleLocked([claim], true), (r) => r.moved > 0)

  /** A batch in one transaction, then its deferred check-ins one by one. Returns how many moved. */
  const settleBatch = (claims: ReadonlyArray<CheckInClaim>) =>
    claims.length === 0 ? Effect.succeed(0) : Effect.gen(function*() {
      const batch = yield* settleLocked(claims, false)
      let moved = batch.moved
      for (const c of batch.deferred) if (yield* settle(c)) moved++
      return moved
    }).pipe(Effect.withSpan("Veilles.settleBatch", { captureStackTrace: false }))

  const claim = (limit: number) => Effect.flatMap(nowMs, (at) => repo.claimDue(at, limit, at + CHECKIN_LEASE_MS))

  const runDue = (limit: number) =>
    Effect.gen(function*() {
      const claims = yield* claim(limit)
      // A batch that fails (one bad row rolls the whole transaction back, its claims still ours) is
      // retried one check-in at a time: a bad row holds back only itself.
      const moved = yield* settleBatch(claims).pipe(
        Effect.catchAllDefect((defect) =>
          Effect.logWarning("a batch of check-ins failed; settled one by one", defect).pipe(
            Effect.zipRight(Effect.reduce(claims, 0, (n, c) =>
              settle(c).pipe(
                Effect.map((ok) => ok ? n + 1 : n),
                Effect.catchAllDefect((e) => Effect.as(Effect.logError("a check-in failed", e), n))
              )))
          )
        )
      )
      if (moved > 0) yield* wake
      return { claimed: claims.length, moved }
    }).pipe(Effect.withSpan("Veilles.runDue", { captureStackTrace: false }))

  const view = (veille: VeilleRecord) =>
    Effect.gen(function*() {
      const last = yield* repo.lastCheckIn(veille.id)
      const next = yield* repo.nextCheckIn(veille.id)
      return new VeilleView({
        id: veille.id,
        personId: veille.personId,
        personName: veille.personName,
        communityId: veille.communityId,
        days: veille.days,
        time: veille.time,
        schedule: describeSchedule(scheduleOf(veille)),
        channel: veille.channel,
        status: veille.status,
        consentMethod: veille.consentMethod,
        consentBy: veille.consentBy,
        consentAt: utc(veille.consentAt),
        veilleurs: veille.veilleurs.map((v) => new VeilleurView(v)),
        absences: veille.absences.map((a) => new AbsenceView(a)),
        nextCheckIn: Option.map(next, utc),
        lastCheckIn: Option.map(last, lastOf)
      })
    })

  const lastOf = (row: CheckInRow) =>
    new LastCheckIn({ at: utc(row.askedAt ?? row.scheduledAt), phase: row.phase,
      outcome: Option.fromNullable(row.outcome) })

  const setup: Veilles["Type"]["setup"] = (actor, input) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const actorsFacts = yield* actorFacts(account)
      const personId = input.person ?? account.id
      const person = personId === account.id ? Option.some(actorsFacts) : yield* repo.person(personId)
      if (Option.isNone(person)) return yield* new VeilleNotFound()
      const home = person.value.memberships.find((m) => m.communityId === input.communityId && m.verified)
      if (home === undefined) return yield* new Forbidden({ action: "setup_veille" })
      const forOther = personId !== account.id
      if (forOther) {
        if (!isReferentOf(actorsFacts, home.communityId) && !isAgentOf(account, home.insee)) {
          return yield* new Forbidden({ action: "setup_veille" })
        }
        if (Option.isNone(person.value.paperPhoneKind)) return yield* new Forbidden({ action: "setup_veille" })
        if (input.smsConsent !== true && !input.paperConsent) return yield* new VeilleConsentMissing()
      }
      // Asked by SMS: only a neighbour registered on paper, on a mobile (checked below with the phone).
      const askBySms = forOther && input.smsConsent === true
      // Bad input, before anything is written.
      const time = parseLocalTime(input.time)
      if (time === undefined) return yield* new VeilleTimeInvalid({ time: input.time, reason: "malformed" })
      if (!timeExistsEveryDay(time)) return yield* new VeilleTimeInvalid({ time: input.time, reason: "dst" })
      const days = [...new Set(input.days)].sort()
      if (days.length === 0) return yield* new VeilleNoDays()
      const veilleurs = [...new Set(input.veilleurs)]
      if (veilleurs.length === 0) return yield* new VeilleNoVeilleur()
      if (veilleurs.length > MAX_VEILLEURS) return yield* new VeilleTooManyVeilleurs({ max: MAX_VEILLEURS })
      const quartiers = person.value.memberships.filter((m) => m.verified).map((m) => m.communityId)
      const members = new Set((yield* repo.members(quartiers)).map((m) => m.accountId))
      const outside = veilleurs.find((v) => v === personId || !members.has(v))
      if (outside !== undefined) return yield* new VeilleurOutsideQuartier({ accountId: outside })
      const phone = person.value.phone
      if (Option.isNone(phone)) return yield* new VeillePhoneUnsuitable({ channel: input.channel })
      const mobile = Option.match(person.value.paperPhoneKind, {
        onNone: () => person.value.phoneVerified,
        onSome: (kind) => kind === "mobile" && person.value.phoneVerified
      })
      if (input.channel === "sms" && !mobile) return yield* new VeillePhoneUnsuitable({ channel: "sms" })
      if (askBySms && !mobile) return yield* new VeillePhoneUnsuitable({ channel: "sms" })

      return yield* transactor.transaction(Effect.gen(function*() {
        const at = yield* nowMs
        yield* transactor.lock("veille_person", personId)
        if (Option.isSome(yield* repo.veilleOf(personId))) return yield* new VeilleAlreadyExists()
        const id = globalThis.crypto.randomUUID() as VeilleId
        const consentMethod = askBySms ? "sms" as const : forOther ? "paper" as const : "web" as const
        yield* repo.insert({
          id,
          personId,
          communityId: home.communityId,
          days,
          time: formatLocalTime(time),
          channel: input.channel,
          phone: phone.value,
          address: input.shareAddress ? Option.some(home.address) : Option.none(),
          status: askBySms ? "pending" : "active",
          consentMethod,
          consentBy: account.id,
          consentAt: at,
          createdBy: account.id,
          veilleurs
        }, at)
        const saved = yield* repo.veille(id)
        if (Option.isNone(saved)) return yield* Effect.dieMessage("veille lost after insert")
        const veille = saved.value
        const me = { id: account.id, name: actorsFacts.name }
        const schedule = describeSchedule({ days, time })
        yield* record(veille, Option.none(), at, "setup", Option.some(me), `Veille mise en place, ${schedule}`)
        if (askBySms) {
          // Pending: the person is asked; the veilleurs are invited and the check-ins planned on their OUI.
          yield* record(veille, Option.none(), at, "consent_asked", Option.some(me), "Consentement demandé par SMS")
          yield* send(veille, veilleTexts.consentRequest(actorsFacts.name, schedule), [{ accountId: personId,
            channel: "sms", destination: phone.value }], at)
          return yield* view(veille)
        }
        yield* record(
          veille,
          Option.none(),
          at,
          "consent",
          Option.some(me),
          consentMethod === "paper" ? "Consentement signé sur papier enregistré" : "Consentement donné sur le web"
        )
        yield* sendTo(veille, veilleurs, veilleTexts.invitation(veille.personName, schedule), at)
        const first = nextOccurrence({ days, time }, at, [])
        if (first !== undefined) yield* repo.schedule(id, first)
        return yield* view(veille)
      })).pipe(Effect.tap(() => wake))
    })

  const managedVeille = (account: Account, facts: PersonFacts, personId: AccountId) =>
    Effect.gen(function*() {
      const veille = yield* repo.veilleOf(personId)
      if (Option.isNone(veille)) {
        if (personId === account.id) return Option.none()
        const person = yield* repo.person(personId)
        const allowed = Option.exists(person, (p) =>
          p.memberships.some((m) =>
            m.verified && (isReferentOf(facts, m.communityId) || isAgentOf(account, m.insee))
          ))
        return allowed ? Option.none() : yield* new Forbidden({ action: "read_veille" })
      }
      if (!manages(account, facts, veille.value)) return yield* new Forbidden({ action: "read_veille" })
      return veille
    })

  /** The veille an account may act on, for reading or as a veilleur. */
  const readable = (account: Account, id: VeilleId) =>
    Effect.gen(function*() {
      const facts = yield* actorFacts(account)
      const veille = yield* repo.veille(id)
      if (Option.isNone(veille) || !mayRead(account, facts, veille.value)) return yield* new VeilleNotFound()
      return { veille: veille.value, facts }
    })

  const stopLocked = (veille: VeilleRecord, by: { id: AccountId; name: string }, at: number) =>
    Effect.gen(function*() {
      yield* repo.setStatus(veille.id, "stopped", at)
      for (const open of yield* repo.lockOpen(veille.id)) {
        yield* apply(veille, open, { _tag: "Stopped" }, at, Option.some(by))
      }
      yield* repo.reschedule(veille.id, Option.none(), at)
      yield* record(veille, Option.none(), at, "stopped", Option.some(by), "Veille arrêtée")
      yield* sendTo(
        veille,
        accepted(veille).map((v) => v.accountId),
        veilleTexts.stoppedVeilleurs(veille.personName),
        at
      )
    })

  /** A veilleur withdraws or declines (veille locked): recorded, and the person told by their channel. */
  const withdrawLocked = (veille: VeilleRecord, by: { id: AccountId; name: string }, at: number, text: string) =>
    Effect.gen(function*() {
      yield* repo.setVeilleur(veille.id, by.id, "withdrawn", at)
      yield* record(veille, Option.none(), at, "veilleur_withdrew", Option.some(by), text)
      if (veille.channel === "sms") {
        yield* send(veille, veilleTexts.veilleurWithdrew(by.name), [{
          accountId: veille.personId,
          channel: "sms",
          destination: veille.phone
        }], at)
      } else {
        yield* sendTo(veille, [veille.personId], veilleTexts.veilleurWithdrew(by.name), at)
      }
    })

  /** Records an absence (dates already read) and reschedules; returns the text telling when it resumes. */
  const absenceLocked = (
    veille: VeilleRecord,
    from: number,
    to: number,
    by: { id: AccountId; name: string },
    at: number
  ) =>
    Effect.gen(function*() {
      yield* repo.addAbsence(veille.id, isoDayOf(from), isoDayOf(to), by.id, at)
      const absences = [...veille.absences, { id: "new", from: isoDayOf(from), to: isoDayOf(to) }]
      const next = nextOccurrence(scheduleOf(veille), at, absences)
      yield* repo.reschedule(veille.id, Option.fromNullable(next), at)
      yield* record(
        veille,
        Option.none(),
        at,
        "absence",
        Option.some(by),
        `Absence du ${sayDay(from)} au ${sayDay(to)}`
      )
      const resume = next === undefined
        ? undefined
        : `${sayDay(parisDay(next))} à ${sayLocalTime(scheduleOf(veille).time)}`
      const told = veilleTexts.absenceNoted(sayDay(from), sayDay(to), resume)
      if (by.id !== veille.personId && veille.channel === "sms") {
        yield* send(veille, veilleTexts.absenceSetByVeilleur(by.name, sayDay(from), sayDay(to)), [{
          accountId: veille.personId,
          channel: "sms",
          destination: veille.phone
        }], at)
      }
      return told
    })

  const readAbsence = (from: string, to: string, today: number) => {
    const parse = (text: string) => parseIsoDay(text) ?? parseShortDay(text, today)
    const f = parse(from)
    const t = parse(to)
    return f === undefined || t === undefined || t < f ? undefined : { from: f, to: t }
  }

  const respondLocked = (
    veille: VeilleRecord,
    who: { id: AccountId; name: string },
    answer: "going" | "ok" | "urgent",
    at: number
  ) =>
    Effect.gen(function*() {
      const open = yield* repo.lockOpen(veille.id)
      const event: CheckInEvent = answer === "going"
        ? { _tag: "VeilleurGoes", veilleur: who.id }
        : answer === "ok"
        ? { _tag: "OwnerOk", veilleur: who.id }
        : { _tag: "OwnerUrgent", veilleur: who.id }
      for (const row of open) {
        const t = yield* apply(veille, row, event, at, Option.some(who))
        if (t.changed) return { changed: true, actions: t.actions }
        if (t.actions.length > 0) return { changed: false, actions: t.actions }
      }
      return undefined
    })

  /** The SMS side: OK, AIDE-MOI, J'Y VAIS, URGENCE, ABSENT, STOP VEILLE, OUI, NON. Inside the gateway's transaction. */
  const answerSms = (account: Account, _phone: PhoneE164, command: VeilleCommand, now: DateTime.Utc) =>
    Effect.gen(function*(): Effect.fn.Return<Option.Option<string>> {
      const at = ms(now)
      const me = { id: account.id, name: `${account.firstName} ${account.lastName}` }
      const own = yield* repo.veilleOf(account.id)
      // A veille still waiting for the person's consent is nobody's to watch yet.
      const watched = (yield* repo.watchedBy(account.id)).filter((v) => v.status === "active")
      const asVeilleur = (status: "accepted" | "invited") =>
        watched.filter((v) => v.veilleurs.some((w) => w.accountId === account.id && w.status === status))
      const lockOwn = Option.isSome(own) ? yield* repo.lockVeille(own.value.id) : Option.none()
      switch (command._tag) {
        case "Ok":
        case "HelpMe": {
          if (Option.isSome(lockOwn)) {
            const open = yield* repo.lockOpen(lockOwn.value.id)
            for (const row of open) {
              const t = yield* apply(
                lockOwn.value,
                row,
                command._tag === "Ok" ? { _tag: "PersonOk" } : { _tag: "PersonHelp" },
                at,
                Option.some(me)
              )
              if (t.changed) {
                return Option.some(command._tag === "Ok" ? veilleTexts.thanksPerson : veilleTexts.helpAcknowledged)
              }
            }
          }
          if (command._tag === "HelpMe") return Option.none()
          for (const veille of asVeilleur("accepted")) {
            const locked = yield* repo.lockVeille(veille.id)
            if (Option.isNone(locked)) continue
            const r = yield* respondLocked(locked.value, me, "ok", at)
            if (r?.changed === true) return Option.some(veilleTexts.ownerClosed(veille.personName))
          }
          return Option.none()
        }
        case "Going":
        case "Urgent": {
          for (const veille of asVeilleur("accepted")) {
            const locked = yield* repo.lockVeille(veille.id)
            if (Option.isNone(locked)) continue
            const r = yield* respondLocked(locked.value, me, command._tag === "Going" ? "going" : "urgent", at)
            if (r === undefined) continue
            const already = r.actions.find((a) => a._tag === "TellAlreadyOwned")
            if (already !== undefined && already._tag === "TellAlreadyOwned") {
              return Option.some(
                veilleTexts.alreadyOwned(nameOf(veille, already.owner as AccountId), veille.personName)
              )
            }
            if (r.changed) {
              return Option.some(
                command._tag === "Going"
                  ? veilleTexts.ownerConfirmed(veille.personName)
                  : veilleTexts.urgentOwner(veille.personName)
              )
            }
          }
          return Option.none()
        }
        case "Absent": {
          const target = Option.isSome(lockOwn)
            ? lockOwn
            : asVeilleur("accepted").length === 1
            ? yield* repo.lockVeille(asVeilleur("accepted")[0]!.id)
            : Option.none()
          if (Option.isNone(target) || target.value.status === "stopped") return Option.none()
          const span = readAbsence(command.from, command.to, parisDay(at))
          if (span === undefined) return Option.some(veilleTexts.absenceInvalid)
          return Option.some(yield* absenceLocked(target.value, span.from, span.to, me, at))
        }
        case "StopVeille": {
          if (Option.isNone(lockOwn) || lockOwn.value.status === "stopped") return Option.none()
          yield* stopLocked(lockOwn.value, me, at)
          return Option.some(veilleTexts.stopped)
        }
        case "No": {
          // NON to the consent request: the pending veille is cancelled.
          if (Option.isSome(lockOwn) && lockOwn.value.status === "pending") {
            yield* record(
              lockOwn.value,
              Option.none(),
              at,
              "consent_refused",
              Option.some(me),
              "Consentement refusé par SMS (NON)"
            )
            yield* stopLocked(lockOwn.value, me, at)
            return Option.some(veilleTexts.consentRefused)
          }
          // NON to an invitation: the veilleur declines, as on the web. An accepted veilleur is not
          // withdrawn by a bare NON: otherwise NON means nothing here.
          const declined: Array<string> = []
          for (const veille of asVeilleur("invited")) {
            const locked = yield* repo.lockVeille(veille.id)
            if (Option.isNone(locked) || locked.value.status !== "active") continue
            const still = locked.value.veilleurs.some((w) => w.accountId === account.id && w.status === "invited")
            if (!still) continue
            yield* withdrawLocked(locked.value, me, at, "Veilleur : refusé par SMS (NON)")
            declined.push(locked.value.personName)
          }
          if (declined.length === 0) return Option.none()
          return Option.some(declined.map((name) => veilleTexts.veilleurDeclined(name)).join(" "))
        }
        case "Yes": {
          const invited = asVeilleur("invited")
          if (Option.isSome(lockOwn) && lockOwn.value.status === "pending") {
            yield* repo.setConsent(lockOwn.value.id, "sms", account.id, at)
            yield* repo.setStatus(lockOwn.value.id, "active", at)
            yield* record(
              lockOwn.value,
              Option.none(),
              at,
              "consent",
              Option.some(me),
              "Consentement donné par SMS (OUI)"
            )
            const next = nextOccurrence(scheduleOf(lockOwn.value), at, lockOwn.value.absences)
            yield* repo.reschedule(lockOwn.value.id, Option.fromNullable(next), at)
            const schedule = describeSchedule(scheduleOf(lockOwn.value))
            // The veilleurs chosen for them are invited now that the person agreed.
            yield* sendTo(
              lockOwn.value,
              lockOwn.value.veilleurs.filter((v) => v.status === "invited").map((v) => v.accountId),
              veilleTexts.invitation(lockOwn.value.personName, schedule),
              at
            )
            return Option.some(veilleTexts.consentGiven(schedule))
          }
          if (invited.length === 0) return Option.none()
          for (const veille of invited) {
            yield* repo.setVeilleur(veille.id, account.id, "accepted", at)
            yield* record(veille, Option.none(), at, "veilleur_accepted", Option.some(me), "Veilleur : accepté par SMS")
          }
          return Option.some(invited.map((v) => veilleTexts.veilleurAccepted(v.personName)).join(" "))
        }
      }
    })

  const keypad = (reference: string, digits: string) =>
    transactor.transaction(Effect.gen(function*() {
      const at = yield* nowMs
      const match = /^veille:([0-9a-f-]{36})$/i.exec(reference)
      if (match === null) return { speak: veilleTexts.keypadNothing }
      const row = yield* repo.lockCheckIn(match[1]! as CheckInId)
      if (Option.isNone(row)) return { speak: veilleTexts.keypadNothing }
      const veille = yield* repo.lockVeille(row.value.veilleId)
      if (Option.isNone(veille)) return { speak: veilleTexts.keypadNothing }
      const person = { id: veille.value.personId, name: veille.value.personName }
      const key = digits.trim().slice(0, 1)
      if (key === "1") {
        yield* apply(veille.value, row.value, { _tag: "PersonOk" }, at, Option.some(person))
        return { speak: veilleTexts.keypadOk }
      }
      if (key === "9") {
        yield* apply(veille.value, row.value, { _tag: "PersonHelp" }, at, Option.some(person))
        return { speak: veilleTexts.keypadHelp }
      }
      return { speak: veilleTexts.keypadNothing }
    })).pipe(Effect.tap(() => wake), Effect.withSpan("VeilleKeypad.answer", { captureStackTrace: false }))

  const countsOf = (insee: InseeCode) =>
    Effect.gen(function*() {
      const at = yield* nowMs
      const c = yield* repo.counts(insee, at - 30 * 86_400_000)
      return new VeilleCounts({
        active: c.active,
        veilleurs: c.veilleurs,
        checkInsLast30Days: c.checkIns,
        escalationsLast30Days: c.escalations,
        ccasContact: yield* repo.ccas(insee)
      })
    })

  const requireAgent = (account: Account, insee: InseeCode, action: string) =>
    isAgentOf(account, insee) ? Effect.void : Effect.fail(new Forbidden({ action }))

  const service = Veilles.of({
    setup,
    view: (actor, person) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const facts = yield* actorFacts(account)
        const veille = yield* managedVeille(account, facts, Option.getOrElse(person, () => account.id))
        return Option.isNone(veille) ? Option.none() : Option.some(yield* view(veille.value))
      }),
    paperNeighbours: (actor) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const facts = yield* actorFacts(account)
        const referentOf = facts.memberships.filter((m) => m.verified && m.role === "referent").map((m) =>
          m.communityId
        )
        const agentOf = account.staffRoles.flatMap((r) => r._tag === "MairieAgent" ? [r.insee] : [])
        const communities = [...referentOf, ...(yield* communitiesOfCommunes(agentOf))]
        const rows = yield* repo.paperNeighbours([...new Set(communities)])
        return rows.map((r) => new PaperNeighbour(r))
      }),
    candidates: (actor, person) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const facts = yield* actorFacts(account)
        const personId = Option.getOrElse(person, () => account.id)
        const target = personId === account.id ? Option.some(facts) : yield* repo.person(personId)
        if (Option.isNone(target)) return yield* new Forbidden({ action: "veilleur_candidates" })
        const quartiers = target.value.memberships.filter((m) => m.verified)
        if (
          personId !== account.id &&
          !quartiers.some((m) => isReferentOf(facts, m.communityId) || isAgentOf(account, m.insee))
        ) {
          return yield* new Forbidden({ action: "veilleur_candidates" })
        }
        const members = yield* repo.members(quartiers.map((m) => m.communityId))
        return members.filter((m) => m.accountId !== personId).map((m) => new VeilleurCandidate(m))
      }),
    watched: (actor) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const veilles = yield* repo.watchedBy(account.id)
        // Pending (the person not asked yet or not answered): the veilleurs see nothing of it.
        return yield* Effect.forEach(veilles.filter((v) => v.status === "active"), (v) =>
          Effect.map(repo.lastCheckIn(v.id), (last) =>
            new WatchedPerson({
              veilleId: v.id,
              name: v.personName,
              address: v.address,
              myStatus: v.veilleurs.find((w) =>
                w.accountId === account.id
              )?.status ?? "invited",
              lastCheckIn: Option.map(last, lastOf)
            })))
      }),
    answerInvitation: (actor, id, accept) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const me = { id: account.id, name: `${account.firstName} ${account.lastName}` }
        yield* transactor.transaction(Effect.gen(function*() {
          const at = yield* nowMs
          const veille = yield* repo.lockVeille(id)
          const mine = Option.flatMap(veille, (v) =>
            Option.fromNullable(v.veilleurs.find((w) => w.accountId === account.id && w.status !== "withdrawn")))
          if (Option.isNone(veille) || Option.isNone(mine) || veille.value.status !== "active") {
            return yield* new VeilleNotFound()
          }
          if (accept) {
            if (mine.value.status === "accepted") {
              return
            }
            yield* repo.setVeilleur(id, account.id, "accepted", at)
            yield* record(
              veille.value,
              Option.none(),
              at,
              "veilleur_accepted",
              Option.some(me),
              "Veilleur : accepté sur le web"
            )
            return
          }
          yield* withdrawLocked(veille.value, me, at, "Veilleur : se retire")
        }))
        yield* wake
      }),
    setAbsence: (actor, id, from, to) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const { facts, veille } = yield* readable(account, id)
        const at = yield* nowMs
        const span = readAbsence(from, to, parisDay(at))
        if (span === undefined) return yield* new VeilleAbsenceInvalid({ from, to })
        const isVeilleur = veille.veilleurs.some((v) => v.accountId === account.id && v.status === "accepted")
        if (!manages(account, facts, veille) && !isVeilleur) return yield* new VeilleNotFound()
        yield* transactor.transaction(Effect.gen(function*() {
          const locked = yield* repo.lockVeille(id)
          if (Option.isNone(locked) || locked.value.status === "stopped") return yield* new VeilleNotFound()
          yield* absenceLocked(locked.value, span.from, span.to, { id: account.id, name: facts.name }, at)
        }))
        yield* wake
      }),
    stop: (actor, id) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const { facts, veille } = yield* readable(account, id)
        if (!manages(account, facts, veille)) return yield* new VeilleNotFound()
        yield* transactor.transaction(Effect.gen(function*() {
          const at = yield* nowMs
          const locked = yield* repo.lockVeille(id)
          if (Option.isNone(locked) || locked.value.status === "stopped") return
          yield* stopLocked(locked.value, { id: account.id, name: facts.name }, at)
        }))
        yield* wake
      }),
    respond: (actor, id, answer) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const { facts, veille } = yield* readable(account, id)
        if (!veille.veilleurs.some((v) => v.accountId === account.id && v.status === "accepted")) {
          return yield* new VeilleNotFound()
        }
        const changed = yield* transactor.transaction(Effect.gen(function*() {
          const at = yield* nowMs
          const locked = yield* repo.lockVeille(id)
          if (Option.isNone(locked)) return false
          const r = yield* respondLocked(locked.value, { id: account.id, name: facts.name }, answer, at)
          return r?.changed === true
        }))
        yield* wake
        return changed
      }),
    history: (actor, id) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        yield* readable(account, id)
        return yield* repo.history(id)
      }),
    counts: (actor, insee) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        yield* requireAgent(account, insee, "veille_counts")
        return yield* countsOf(insee)
      }),
    setCcas: (actor, insee, email) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        yield* requireAgent(account, insee, "set_ccas_contact")
        yield* repo.setCcas(insee, email, yield* nowMs)
        return yield* countsOf(insee)
      }),
    runDue,
    claim,
    settle,
    settleBatch
  })

  /** The quartiers of the communes an agent speaks for (through the members' memberships repo). */
  function communitiesOfCommunes(insees: ReadonlyArray<InseeCode>) {
    return insees.length === 0 ? Effect.succeed([] as ReadonlyArray<CommunityId>) : repo.communitiesOf(insees)
  }

  return {
    veilles: service,
    sms: VeilleSms.of({ answer: answerSms }),
    keypad: VeilleKeypad.of({ answer: keypad })
  }
})

/** Veilles, its SMS replies and the voice keypad, from one construction. */
export const layer = Layer.effectContext(
  Effect.map(
    make,
    ({ keypad, sms, veilles }) =>
      Context.make(Veilles, veilles).pipe(Context.add(VeilleSms, sms), Context.add(VeilleKeypad, keypad))
  )
)
