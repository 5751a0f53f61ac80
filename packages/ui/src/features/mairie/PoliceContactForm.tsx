import { PoliceContact } from "@vigie/domain/administration/VigilantCommune"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import { Effect, Option } from "effect"
import { Show, createSignal, onMount } from "solid-js"
import { FieldError, FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { maxLength } from "../../lib/validation.js"

const policePhone = (v: string) =>
  v.trim() === "" || /^\+?[0-9][0-9 .()-]{1,23}[0-9]$/.test(v.trim())
    ? undefined
    : "Ce numéro n'est pas valide (exemple : 05 56 30 94 50)."

/**
 * The municipal police's contact as the commune's public page shows it (/commune/<INSEE>): a phone
 * number and a free text (address, opening hours), each optional. For the mairie's agents.
 */
export const PoliceContactForm = (props: { readonly insee: InseeCode }) => {
  const run = useRun()
  const [status, setStatus] = createSignal("")
  const [unavailable, setUnavailable] = createSignal<string>()
  const form = createForm({ "police-phone": "", "police-details": "" }, {
    "police-phone": policePhone,
    "police-details": maxLength(500)
  })
  onMount(async () => {
    const o = await run(Effect.flatMap(Vigie, (client) => client.GetPoliceContact({ insee: props.insee })))
    if (o.ok) {
      form.set("police-phone", Option.getOrElse(o.value.phone, () => ""))
      form.set("police-details", Option.getOrElse(o.value.details, () => ""))
    } else setUnavailable(o.failure.message)
  })
  const save = form.submit(
    () => {
      const text = (v: string) => (v.trim() === "" ? Option.none() : Option.some(v.trim()))
      return run(Effect.flatMap(Vigie, (client) =>
        client.SetPoliceContact({
          insee: props.insee,
          contact: new PoliceContact({
            phone: text(form.values["police-phone"]),
            details: text(form.values["police-details"])
          })
        })))
    },
    () => setStatus("Coordonnées enregistrées : elles apparaissent sur la page publique de la commune.")
  )
  return (
    <section class="panel" aria-labelledby="police-contact-title">
      <h2 id="police-contact-title">Police municipale : coordonnées publiques</h2>
      <Show when={unavailable()}
        fallback={
          <form onSubmit={save} novalidate aria-label="Coordonnées de la police municipale">
            <TextField id="police-phone" label="Téléphone de la police municipale" type="tel" inputmode="tel"
              value={form.values["police-phone"]} onValue={(v) => form.set("police-phone", v)}
              onBlur={() => form.touch("police-phone")} error={form.error("police-phone")} />
            <div class="field" classList={{ invalid: form.error("police-details") !== undefined }}>
              <label for="police-details">Adresse et horaires</label>
              <textarea id="police-details" rows="3" maxlength={500} value={form.values["police-details"]}
                onInput={(e) => form.set("police-details", e.currentTarget.value)}
                aria-invalid={form.error("police-details") !== undefined}
                aria-describedby={form.error("police-details") === undefined ? undefined : "police-details-error"} />
              <FieldError id="police-details" error={form.error("police-details")} />
            </div>
            <FormError message={form.formError()} />
            <button type="submit" class="button primary" disabled={form.busy()}>Enregistrer</button>
            <p class="small" role="status" aria-live="polite">{status()}</p>
            <p class="small">
              <a href={`/commune/${props.insee}`} rel="external">Voir la page publique de la commune</a>
            </p>
          </form>
        }
      >
        <p class="small">{unavailable()}</p>
      </Show>
    </section>
  )
}
