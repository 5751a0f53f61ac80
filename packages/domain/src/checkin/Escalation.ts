/**
 * The escalation of one check-in, as a pure state machine (issue 17, item 2). Every open phase has a
 * deadline; the only phase without one is `closed`, and from every phase, timeouts alone lead to
 * `closed` in a bounded number of steps:
 *
 *   scheduled ─(time)→ asked ─(1 h)→ reminded ─(window)→ veilleurs ─(1 h)→ referent ─(1 h)→ ccas ─(24 h)→ closed
 *                        │ OK              │ OK               │ J'Y VAIS        │ (no CCAS: 24 h → closed)
 *                        └→ closed ok      │ AIDE-MOI ────────┤                 │
 *                                          └→ veilleurs       └→ owned ─(OK)→ closed ok; (URGENCE)→ closed urgent;
 *                                                                      (2 h)→ referent
 *
 * A late OK from the person after an escalation closes it and tells everyone who was alerted. The
 * police are never among the alerted: the referent and the mairie's social service (CCAS) are the last.
 */

export type Phase = "scheduled" | "asked" | "reminded" | "veilleurs" | "owned" | "referent" | "ccas" | "closed"

export type Outcome = "ok" | "late_ok" | "urgent" | "unanswered" | "stopped"

export interface Alerted {
  readonly veilleurs: boolean
  readonly referent: boolean
  readonly ccas: boolean
}

export interface CheckInState {
  readonly phase: Phase
  /** When the phase began (epoch ms); for `scheduled`, the check-in's time. */
  readonly since: number
  /** When the person was asked (epoch ms), once asked. */
  readonly askedAt: number | undefined
  readonly owner: string | undefined
  readonly alerted: Alerted
  readonly outcome: Outcome | undefined
}

export interface EscalationSettings {
  /** How long the person has to answer (default 2 h). */
  readonly windowMs: number
  /** When the reminder goes, after the check-in (default 1 h). */
  readonly reminderMs: number
  /** How long the veilleurs have to answer J'Y VAIS before the référent is alerted (1 h). */
  readonly veilleursMs: number
  /** How long the owner has to close with OK or URGENCE before the référent is alerted (2 h). */
  readonly ownerMs: number
  /** How long the référent has before the CCAS is alerted (1 h). */
  readonly referentMs: number
  /** When the escalation ends unanswered after the last alert (24 h). */
  readonly lastMs: number
}

const MINUTE = 60_000
export const defaultSettings: EscalationSettings = {
  windowMs: 120 * MINUTE,
  reminderMs: 60 * MINUTE,
  veilleursMs: 60 * MINUTE,
  ownerMs: 120 * MINUTE,
  referentMs: 60 * MINUTE,
  lastMs: 24 * 60 * MINUTE
}

/** What the check-in's world is: whether it has veilleurs who accepted, and a CCAS contact. */
export interface EscalationFacts {
  readonly hasVeilleurs: boolean
  readonly hasCcas: boolean
}

export type CheckInEvent =
  | { readonly _tag: "Timeout" }
  | { readonly _tag: "PersonOk" }
  | { readonly _tag: "PersonHelp" }
  | { readonly _tag: "VeilleurGoes"; readonly veilleur: string }
  | { readonly _tag: "OwnerOk"; readonly veilleur: string }
  | { readonly _tag: "OwnerUrgent"; readonly veilleur: string }
  | { readonly _tag: "Stopped" }

/** What a transition asks the world to do (messages), in order. */
export type Action =
  | { readonly _tag: "AskPerson" }
  | { readonly _tag: "RemindPerson" }
  | { readonly _tag: "ConfirmPerson" }
  | { readonly _tag: "AlertVeilleurs"; readonly help: boolean }
  | { readonly _tag: "TellOthersOwned"; readonly owner: string }
  | { readonly _tag: "TellAlreadyOwned"; readonly veilleur: string; readonly owner: string }
  | { readonly _tag: "ConfirmOwner"; readonly owner: string }
  | { readonly _tag: "UrgentInstructions"; readonly owner: string }
  | { readonly _tag: "AlertReferent"; readonly reason: "no_veilleur" | "owner_silent" | "urgent" }
  | { readonly _tag: "AlertCcas" }
  | { readonly _tag: "TellAlertedClosed"; readonly outcome: Outcome; readonly alerted: Alerted }

export interface Transition {
  readonly state: CheckInState
  readonly actions: ReadonlyArray<Action>
  /** Whether the event changed anything (an OK with no open check-in does not). */
  readonly changed: boolean
}

const none: Alerted = { veilleurs: false, referent: false, ccas: false }

export const scheduled = (at: number): CheckInState => ({
  phase: "scheduled",
  since: at,
  askedAt: undefined,
  owner: undefined,
  alerted: none,
  outcome: undefined
})

export const isOpen = (state: CheckInState): boolean => state.phase !== "closed"

/** Whether the person has been asked and the check-in is still open: an answer (OK, AIDE-MOI) is for it. */
export const awaitsPerson = (state: CheckInState): boolean => state.phase !== "scheduled" && state.phase !== "closed"

/** Whether veilleurs were alerted and nobody owns it yet: J'Y VAIS takes it. */
export const awaitsVeilleur = (state: CheckInState): boolean =>
  state.phase === "veilleurs" || state.phase === "referent" || state.phase === "ccas"

/** When the phase ends by itself (epoch ms); undefined only for `closed`. */
export const deadline = (
  state: CheckInState,
  facts: EscalationFacts,
  settings: EscalationSettings = defaultSettings
): number | undefined => {
  switch (state.phase) {
    case "scheduled":
      return state.since
    case "asked":
      return (state.askedAt ?? state.since) + settings.reminderMs
    case "reminded":
      return (state.askedAt ?? state.since) + settings.windowMs
    case "veilleurs":
      return state.since + settings.veilleursMs
    case "owned":
      return state.since + settings.ownerMs
    case "referent":
      return state.since + (facts.hasCcas ? settings.referentMs : settings.lastMs)
    case "ccas":
      return state.since + settings.lastMs
    case "closed":
      return undefined
  }
}

const move = (state: CheckInState, phase: Phase, at: number, patch: Partial<CheckInState> = {}): CheckInState => ({
  ...state,
  phase,
  since: at,
  ...patch
})

const close = (state: CheckInState, at: number, outcome: Outcome, actions: ReadonlyArray<Action>): Transition => {
  const anyAlerted = state.alerted.veilleurs || state.alerted.referent || state.alerted.ccas
  const told: ReadonlyArray<Action> = anyAlerted && outcome !== "urgent"
    ? [{ _tag: "TellAlertedClosed", outcome, alerted: state.alerted }]
    : []
  return { state: move(state, "closed", at, { outcome }), actions: [...actions, ...told], changed: true }
}

const unchanged = (state: CheckInState, actions: ReadonlyArray<Action> = []): Transition => ({
  state,
  actions,
  changed: false
})

/** The veilleurs are alerted, or the référent at once when the person has no veilleur who accepted. */
const escalate = (state: CheckInState, at: number, facts: EscalationFacts, help: boolean): Transition =>
  facts.hasVeilleurs
    ? {
      state: move(state, "veilleurs", at, { alerted: { ...state.alerted, veilleurs: true } }),
      actions: [{ _tag: "AlertVeilleurs", help }],
      changed: true
    }
    : toReferent(state, at, "no_veilleur")

const toReferent = (state: CheckInState, at: number, reason: "no_veilleur" | "owner_silent"): Transition => ({
  state: move(state, "referent", at, { owner: undefined, alerted: { ...state.alerted, referent: true } }),
  actions: [{ _tag: "AlertReferent", reason }],
  changed: true
})

const onTimeout = (state: CheckInState, at: number, facts: EscalationFacts): Transition => {
  switch (state.phase) {
    case "scheduled":
      return { state: move(state, "asked", at, { askedAt: at }), actions: [{ _tag: "AskPerson" }], changed: true }
    case "asked":
      return { state: move(state, "reminded", at), actions: [{ _tag: "RemindPerson" }], changed: true }
    case "reminded":
      return escalate(state, at, facts, false)
    case "veilleurs":
      return toReferent(state, at, "no_veilleur")
    case "owned":
      return toReferent(state, at, "owner_silent")
    case "referent":
      return facts.hasCcas
        ? {
          state: move(state, "ccas", at, { alerted: { ...state.alerted, ccas: true } }),
          actions: [{ _tag: "AlertCcas" }],
          changed: true
        }
        : close(state, at, "unanswered", [])
    case "ccas":
      return close(state, at, "unanswered", [])
    case "closed":
      return unchanged(state)
  }
}

/**
 * The next state and the messages to send when `event` happens at `at`. A timeout counts only once
 * the phase's deadline has passed; answers that do not fit the phase change nothing.
 */
export const step = (
  state: CheckInState,
  event: CheckInEvent,
  at: number,
  facts: EscalationFacts,
  settings: EscalationSettings = defaultSettings
): Transition => {
  if (state.phase === "closed") return unchanged(state)
  switch (event._tag) {
    case "Timeout": {
      const due = deadline(state, facts, settings)
      return due !== undefined && at >= due ? onTimeout(state, at, facts) : unchanged(state)
    }
    case "Stopped":
      return close(state, at, "stopped", [])
    case "PersonOk":
      if (!awaitsPerson(state)) return unchanged(state)
      return state.phase === "asked" || state.phase === "reminded"
        ? close(state, at, "ok", [{ _tag: "ConfirmPerson" }])
        : close(state, at, "late_ok", [{ _tag: "ConfirmPerson" }])
    case "PersonHelp":
      if (state.phase === "asked" || state.phase === "reminded") return escalate(state, at, facts, true)
      return unchanged(state)
    case "VeilleurGoes":
      if (awaitsVeilleur(state)) {
        return {
          state: move(state, "owned", at, { owner: event.veilleur }),
          actions: [{ _tag: "TellOthersOwned", owner: event.veilleur }],
          changed: true
        }
      }
      if (state.phase === "owned" && state.owner !== undefined && state.owner !== event.veilleur) {
        return unchanged(state, [{ _tag: "TellAlreadyOwned", veilleur: event.veilleur, owner: state.owner }])
      }
      return unchanged(state)
    case "OwnerOk":
      if (state.phase !== "owned" || state.owner !== event.veilleur) return unchanged(state)
      return close(state, at, "ok", [{ _tag: "ConfirmOwner", owner: event.veilleur }])
    case "OwnerUrgent":
      if (state.phase !== "owned" || state.owner !== event.veilleur) return unchanged(state)
      return {
        state: move(state, "closed", at, { outcome: "urgent", alerted: { ...state.alerted, referent: true } }),
        actions: [{ _tag: "UrgentInstructions", owner: event.veilleur }, { _tag: "AlertReferent", reason: "urgent" }],
        changed: true
      }
  }
}
