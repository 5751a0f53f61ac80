import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import {
  type CheckInEvent,
  type CheckInState,
  deadline,
  defaultSettings,
  type EscalationFacts,
  scheduled,
  step
} from "../../src/checkin/Escalation.js"

const HOUR = 3_600_000
const facts = fc.record({ hasVeilleurs: fc.boolean(), hasCcas: fc.boolean() })
const veilleur = fc.constantFrom("v1", "v2", "v3")
const event: fc.Arbitrary<CheckInEvent> = fc.oneof(
  fc.constant({ _tag: "Timeout" } as const),
  fc.constant({ _tag: "PersonOk" } as const),
  fc.constant({ _tag: "PersonHelp" } as const),
  veilleur.map((v) => ({ _tag: "VeilleurGoes", veilleur: v }) as const),
  veilleur.map((v) => ({ _tag: "OwnerOk", veilleur: v }) as const),
  veilleur.map((v) => ({ _tag: "OwnerUrgent", veilleur: v }) as const),
  fc.constant({ _tag: "Stopped" } as const)
)

/** Plays events, each at the current phase's deadline when it is a timeout, else a few minutes later. */
const play = (events: ReadonlyArray<CheckInEvent>, f: EscalationFacts) => {
  let state: CheckInState = scheduled(0)
  let at = 0
  const actions = []
  for (const e of events) {
    at = e._tag === "Timeout" ? Math.max(at, deadline(state, f) ?? at) : at + 5 * 60_000
    const t = step(state, e, at, f)
    state = t.state
    actions.push(...t.actions)
  }
  return { state, at, actions }
}

/** Timeouts only, from a state: how many steps until closed. */
const stepsToClose = (from: CheckInState, start: number, f: EscalationFacts) => {
  let state = from
  let at = start
  for (let i = 0; i < 20; i++) {
    if (state.phase === "closed") return i
    at = Math.max(at, deadline(state, f)!)
    state = step(state, { _tag: "Timeout" }, at, f).state
  }
  return Infinity
}

describe("the escalation state machine", () => {
  it.prop(
    "every open phase has a deadline; closed has none",
    [fc.array(event, { maxLength: 25 }), facts],
    ([events, f]) => {
      const { state } = play(events, f)
      expect(deadline(state, f) === undefined).toBe(state.phase === "closed")
    }
  )

  it.prop("every path ends closed: from any reachable state, timeouts alone close it within 8 steps", [
    fc.array(event, { maxLength: 25 }),
    facts
  ], ([events, f]) => {
    const { at, state } = play(events, f)
    expect(stepsToClose(state, at, f)).toBeLessThanOrEqual(8)
  })

  it.prop(
    "closed is final: no event reopens it or sends anything",
    [fc.array(event, { maxLength: 25 }), event, facts],
    ([events, last, f]) => {
      const { at, state } = play([...events, { _tag: "Stopped" }], f)
      const t = step(state, last, at + HOUR, f)
      expect(t.state).toEqual(state)
      expect(t.actions).toEqual([])
    }
  )

  it.prop("the police are never alerted; the CCAS only when the mairie gave a contact", [
    fc.array(event, { maxLength: 30 }),
    facts
  ], ([events, f]) => {
    const { actions } = play(events, f)
    if (!f.hasCcas) expect(actions.some((a) => a._tag === "AlertCcas")).toBe(false)
    expect(actions.every((a) => !JSON.stringify(a).toLowerCase().includes("police"))).toBe(true)
  })

  it.prop("a late OK after an escalation closes it and tells whoever was alerted", [fc.integer({ min: 3, max: 6 }),
    facts], ([timeouts, f]) => {
    const { at, state } = play(Array.from({ length: timeouts }, () => ({ _tag: "Timeout" }) as const), f)
    fc.pre(state.phase !== "closed" && (state.alerted.veilleurs || state.alerted.referent))
    const t = step(state, { _tag: "PersonOk" }, at + 60_000, f)
    expect(t.state.phase).toBe("closed")
    expect(t.state.outcome).toBe("late_ok")
    expect(t.actions).toContainEqual({ _tag: "TellAlertedClosed", outcome: "late_ok", alerted: state.alerted })
  })

  it.prop("only one veilleur owns it: the first J'Y VAIS; the next hears who went", [facts], ([f]) => {
    fc.pre(f.hasVeilleurs)
    const { at, state } = play([{ _tag: "Timeout" }, { _tag: "Timeout" }, { _tag: "Timeout" }], f)
    expect(state.phase).toBe("veilleurs")
    const first = step(state, { _tag: "VeilleurGoes", veilleur: "v1" }, at + 1, f)
    expect(first.state.owner).toBe("v1")
    const second = step(first.state, { _tag: "VeilleurGoes", veilleur: "v2" }, at + 2, f)
    expect(second.state.owner).toBe("v1")
    expect(second.actions).toEqual([{ _tag: "TellAlreadyOwned", veilleur: "v2", owner: "v1" }])
    expect(step(first.state, { _tag: "OwnerOk", veilleur: "v2" }, at + 3, f).changed).toBe(false)
  })

  it("the issue's path: asked at 10 h, reminder at 11 h, veilleurs at 12 h, J'Y VAIS, OK", () => {
    const f = { hasVeilleurs: true, hasCcas: false }
    let s = step(scheduled(10 * HOUR), { _tag: "Timeout" }, 10 * HOUR, f)
    expect(s.actions).toEqual([{ _tag: "AskPerson" }])
    expect(step(s.state, { _tag: "Timeout" }, 10.5 * HOUR, f).changed).toBe(false)
    s = step(s.state, { _tag: "Timeout" }, 11 * HOUR, f)
    expect(s.actions).toEqual([{ _tag: "RemindPerson" }])
    s = step(s.state, { _tag: "Timeout" }, 10 * HOUR + defaultSettings.windowMs, f)
    expect(s.actions).toEqual([{ _tag: "AlertVeilleurs", help: false }])
    s = step(s.state, { _tag: "VeilleurGoes", veilleur: "v1" }, 12.2 * HOUR, f)
    s = step(s.state, { _tag: "OwnerOk", veilleur: "v1" }, 12.5 * HOUR, f)
    expect(s.state).toMatchObject({ phase: "closed", outcome: "ok" })
  })

  it("AIDE-MOI alerts the veilleurs at once; URGENCE informs the référent", () => {
    const f = { hasVeilleurs: true, hasCcas: true }
    let s = step(scheduled(0), { _tag: "Timeout" }, 0, f)
    s = step(s.state, { _tag: "PersonHelp" }, 60_000, f)
    expect(s.actions).toEqual([{ _tag: "AlertVeilleurs", help: true }])
    s = step(s.state, { _tag: "VeilleurGoes", veilleur: "v1" }, 120_000, f)
    s = step(s.state, { _tag: "OwnerUrgent", veilleur: "v1" }, 180_000, f)
    expect(s.state).toMatchObject({ phase: "closed", outcome: "urgent" })
    expect(s.actions).toEqual([{ _tag: "UrgentInstructions", owner: "v1" }, { _tag: "AlertReferent",
      reason: "urgent" }])
  })

  it("without veilleurs who accepted, the référent is alerted at the end of the window", () => {
    const f = { hasVeilleurs: false, hasCcas: true }
    const { actions, state } = play([{ _tag: "Timeout" }, { _tag: "Timeout" }, { _tag: "Timeout" }, {
      _tag: "Timeout"
    }], f)
    expect(actions.map((a) => a._tag)).toEqual(["AskPerson", "RemindPerson", "AlertReferent", "AlertCcas"])
    expect(state.phase).toBe("ccas")
  })
})
