import type { JSX } from "solid-js"
import { TextField } from "./Field.js"

type AddressField = "line1" | "line2" | "postcode" | "city"

/** What the address fields need of a form (lib/form.ts `createForm` with these four fields, among others). */
export interface AddressForm {
  readonly values: Readonly<Record<AddressField, string>>
  readonly set: (field: AddressField, value: string) => void
  readonly touch: (field: AddressField) => void
  readonly error: (field: AddressField) => string | undefined
}

/**
 * A home address as every form of the app asks it (sign-up, joining, moving, proposing a quartier, a
 * paper registration): its legend, a hint, then street, complement, postcode and commune.
 */
export const AddressFields = (props: {
  readonly form: AddressForm
  readonly legend: JSX.Element
  readonly hint: JSX.Element
}) => (
  <fieldset>
    <legend>{props.legend}</legend>
    <p class="hint">{props.hint}</p>
    <TextField id="line1" label="Numéro et rue" autocomplete="address-line1" value={props.form.values.line1}
      onValue={(v) => props.form.set("line1", v)} onBlur={() => props.form.touch("line1")}
      error={props.form.error("line1")} />
    <TextField id="line2" label="Complément d'adresse (facultatif)" autocomplete="address-line2"
      value={props.form.values.line2} onValue={(v) => props.form.set("line2", v)}
      onBlur={() => props.form.touch("line2")} error={props.form.error("line2")} />
    <TextField id="postcode" label="Code postal" inputmode="numeric" autocomplete="postal-code" maxLength={5}
      value={props.form.values.postcode} onValue={(v) => props.form.set("postcode", v)}
      onBlur={() => props.form.touch("postcode")} error={props.form.error("postcode")} />
    <TextField id="city" label="Commune" autocomplete="address-level2" value={props.form.values.city}
      onValue={(v) => props.form.set("city", v)} onBlur={() => props.form.touch("city")}
      error={props.form.error("city")} />
  </fieldset>
)
