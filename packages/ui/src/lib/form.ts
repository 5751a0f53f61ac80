import { batch, createSignal } from "solid-js"
import { createStore } from "solid-js/store"
import type { Failure } from "./errors.js"
import type { Outcome } from "./runtime.js"
import type { Check } from "./validation.js"

/**
 * The state of one form: values, French validation messages (shown once a field is left or the
 * form is submitted), and the server's failure, placed next to its field when the form has it.
 * `submit` never calls the server while a field is invalid: it focuses the first invalid one.
 */
export const createForm = <F extends string>(
  initial: Record<F, string>,
  checks: Partial<Record<F, Check>>,
  /** Server error fields (see errors.ts `fields`) that this form names differently. */
  aliases: Partial<Record<string, F>> = {}
) => {
  const [values, setValues] = createStore<Record<F, string>>({ ...initial })
  const [touched, setTouched] = createStore<Partial<Record<F, boolean>>>({})
  const [submitted, setSubmitted] = createSignal(false)
  const [busy, setBusy] = createSignal(false)
  const [failure, setFailure] = createSignal<Failure>()
  const names = Object.keys(initial) as Array<F>

  const localError = (field: F): string | undefined => checks[field]?.(values[field])
  const error = (field: F): string | undefined => {
    const server = failure()
    if (server !== undefined && server.field === field) return server.message
    return submitted() || touched[field] === true ? localError(field) : undefined
  }
  const formError = (): string | undefined => {
    const server = failure()
    return server !== undefined && (server.field === undefined || !names.includes(server.field as F))
      ? server.message
      : undefined
  }
  const set = (field: F, value: string) =>
    batch(() => {
      setValues(field as never, value as never)
      if (failure()?.field === field) setFailure(undefined)
    })

  const submit = <A>(send: () => Promise<Outcome<A>>, onSuccess: (value: A) => void) => async (event?: Event) => {
    event?.preventDefault()
    if (busy()) return
    setSubmitted(true)
    setFailure(undefined)
    const invalid = names.find((f) => localError(f) !== undefined)
    if (invalid !== undefined) {
      document.getElementById(invalid)?.focus()
      return
    }
    setBusy(true)
    const outcome = await send()
    setBusy(false)
    if (outcome.ok) onSuccess(outcome.value)
    else {
      const field = outcome.failure.field === undefined
        ? undefined
        : aliases[outcome.failure.field] ?? outcome.failure.field
      setFailure(field === undefined ? outcome.failure : { ...outcome.failure, field })
      if (field !== undefined) document.getElementById(field)?.focus()
    }
  }

  return {
    values,
    set,
    error,
    formError,
    busy,
    failure,
    setFailure,
    touch: (field: F) => setTouched(field as never, true as never),
    /** Back to the initial values of `fields` (all by default), with no message shown until the next try. */
    reset: (fields: ReadonlyArray<F> = names) =>
      batch(() => {
        for (const field of fields) {
          setValues(field as never, initial[field] as never)
          setTouched(field as never, false as never)
        }
        setSubmitted(false)
        setFailure(undefined)
      }),
    submit
  }
}
