import { Show, splitProps } from "solid-js"
import type { JSX } from "solid-js"

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "onInput" | "value" | "id">

/**
 * A labelled input with its hint and its error, wired for screen readers (aria-describedby,
 * aria-invalid). The error sits right under the field it is about.
 */
export const TextField = (
  props: InputProps & {
    readonly id: string
    readonly label: string
    readonly value: string
    readonly onValue: (value: string) => void
    readonly hint?: JSX.Element
    readonly error?: string | undefined
  }
) => {
  const [own, input] = splitProps(props, ["id", "label", "value", "onValue", "hint", "error"])
  const described = () =>
    [own.hint !== undefined ? `${own.id}-hint` : undefined, own.error !== undefined ? `${own.id}-error` : undefined]
      .filter((x) => x !== undefined)
      .join(" ") || undefined
  return (
    <div class="field" classList={{ invalid: own.error !== undefined }}>
      <label for={own.id}>{own.label}</label>
      <Show when={own.hint}>
        <p class="hint" id={`${own.id}-hint`}>{own.hint}</p>
      </Show>
      <input
        {...input}
        id={own.id}
        name={own.id}
        value={own.value}
        onInput={(e) => own.onValue(e.currentTarget.value)}
        aria-invalid={own.error !== undefined}
        aria-describedby={described()}
      />
      <FieldError id={own.id} error={own.error} />
    </div>
  )
}

/** The error line of a field (id `<field>-error`), announced when it appears. */
export const FieldError = (props: { readonly id: string; readonly error?: string | undefined }) => (
  <Show when={props.error}>
    <p class="error" id={`${props.id}-error`} role="alert">
      {props.error}
    </p>
  </Show>
)

/** A failure that belongs to no single field, shown above the form's button. */
export const FormError = (props: { readonly message?: string | undefined }) => (
  <Show when={props.message}>
    <div class="form-error" role="alert">
      {props.message}
    </div>
  </Show>
)

/** The emergency numbers, with links that dial on a phone. Vigie never replaces them. */
export const EmergencyReminder = (props: { readonly id?: string }) => (
  <aside class="emergency" id={props.id} aria-label="Numéros d'urgence">
    <p>
      <strong>En cas d'urgence, appelez d'abord :</strong>
    </p>
    <ul>
      <li>
        <a href="tel:17">17</a> Police / gendarmerie
      </li>
      <li>
        <a href="tel:18">18</a> Pompiers
      </li>
      <li>
        <a href="tel:15">15</a> SAMU
      </li>
    </ul>
    <p class="small">Vigie prévient vos voisins ; il ne remplace pas les secours. N'intervenez jamais vous-même.</p>
  </aside>
)
