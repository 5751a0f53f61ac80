import { Option } from "effect"
import type { HideReason } from "@vigie/domain/moderation/HideReason"
import { For, Show } from "solid-js"
import { FieldError } from "../../components/Field.js"
import { HIDE_REASONS, reasonHints, reasonLabel } from "./Labels.js"

/** A note of at most 1,000 characters (the domain's ModerationNote). */
export const NOTE_MAX = 1000

/** The list of reasons as radio buttons (large targets), with a hint under each when asked. */
export const ReasonFieldset = (props: {
  readonly id: string
  readonly legend: string
  readonly value: string
  readonly onValue: (reason: HideReason) => void
  readonly error?: string | undefined
  readonly hints?: boolean
}) => (
  <fieldset class="choices reasons" id={props.id} tabindex="-1"
    aria-describedby={props.error !== undefined ? `${props.id}-error` : undefined}
  >
    <legend>{props.legend}</legend>
    <For each={HIDE_REASONS}>
      {(reason) => (
        <label class="choice">
          <input type="radio" name={props.id} value={reason} checked={props.value === reason}
            onChange={() => props.onValue(reason)} />
          <span>
            {reasonLabel(reason)}
            <Show when={props.hints}>
              <span class="small block">{reasonHints[reason]}</span>
            </Show>
          </span>
        </label>
      )}
    </For>
    <FieldError id={props.id} error={props.error} />
  </fieldset>
)

/** A labelled textarea with its hint and error (id `<id>-error`), like TextField. */
export const TextArea = (props: {
  readonly id: string
  readonly label: string
  readonly value: string
  readonly onValue: (value: string) => void
  readonly onBlur?: () => void
  readonly hint?: string
  readonly error?: string | undefined
  readonly max: number
  readonly rows?: number
}) => {
  const described = () =>
    [props.hint !== undefined ? `${props.id}-hint` : undefined,
      props.error !== undefined ? `${props.id}-error` : undefined]
      .filter((x) => x !== undefined)
      .join(" ") || undefined
  return (
    <div class="field" classList={{ invalid: props.error !== undefined }}>
      <label for={props.id}>{props.label}</label>
      <Show when={props.hint}>
        <p class="hint" id={`${props.id}-hint`}>{props.hint}</p>
      </Show>
      <textarea id={props.id} name={props.id} rows={props.rows ?? 3} maxLength={props.max + 100} value={props.value}
        onInput={(e) => props.onValue(e.currentTarget.value)} onBlur={() => props.onBlur?.()}
        aria-invalid={props.error !== undefined} aria-describedby={described()} />
      <FieldError id={props.id} error={props.error} />
    </div>
  )
}

/** A note required for `other`, optional otherwise; never longer than `max`. */
export const detailsCheck = (reason: () => string, max = NOTE_MAX) => (v: string): string | undefined =>
  reason() === "other" && v.trim() === ""
    ? "Précisez le motif en quelques mots : avec « autre motif », l'auteur doit savoir pourquoi."
    : v.trim().length > max
    ? `${max} caractères au maximum.`
    : undefined

/** An optional text: none when blank. */
export const optionalText = (
  v: string
): Option.Option<string> => (v.trim() === "" ? Option.none() : Option.some(v.trim()))
