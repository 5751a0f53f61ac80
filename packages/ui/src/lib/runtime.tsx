import { Cause, Exit } from "effect"
import type { Effect, ManagedRuntime } from "effect"
import { createContext, useContext } from "solid-js"
import type { JSX } from "solid-js"
import type { Vigie } from "./rpc.js"
import { describeCause, type Failure } from "./errors.js"

/** The one runtime of the app: the RPC client and whatever it needs. */
export type VigieRuntime = ManagedRuntime.ManagedRuntime<Vigie, never>

const RuntimeContext = createContext<VigieRuntime>()

export const RuntimeProvider = (props: { readonly runtime: VigieRuntime; readonly children: JSX.Element }) => (
  <RuntimeContext.Provider value={props.runtime}>{props.children}</RuntimeContext.Provider>
)

/** The runtime provided above this component. */
export const useRuntime = (): VigieRuntime => {
  const runtime = useContext(RuntimeContext)
  if (runtime === undefined) throw new Error("useRuntime: no RuntimeProvider above this component")
  return runtime
}

/** What running an effect gave: its value, or a failure already described in French. */
export type Outcome<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly failure: Failure }

/** Runs effects on the app's runtime with runPromiseExit and turns every failure into French. */
export const useRun = () => {
  const runtime = useRuntime()
  return async <A, E>(effect: Effect.Effect<A, E, Vigie>): Promise<Outcome<A>> => {
    const exit = await runtime.runPromiseExit(effect)
    if (Exit.isSuccess(exit)) return { ok: true, value: exit.value }
    if (Cause.isInterruptedOnly(exit.cause)) {
      return { ok: false, failure: { tag: "Interrupted", message: "Action annulée." } }
    }
    return { ok: false, failure: describeCause(exit.cause) }
  }
}
