import type { VeilleCounts } from "@vigie/domain/checkin/Veille"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import { Email } from "@vigie/domain/shared/Text"
import { Effect, Option } from "effect"
import { Show, createSignal, onMount } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"

/** Optional: empty removes the contact; otherwise an e-mail address. */
const ccasEmail = (v: string) =>
  v.trim() === "" || (v.trim().length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()))
    ? undefined
    : "Cette adresse e-mail n'est pas valide (exemple : ccas@mairie-cadaujac.fr)."

/**
 * La veille bienveillante as the mairie sees it (issue 17): the commune's figures, counts only (never
 * who is watched over nor by whom), and the e-mail of its social service (CCAS), alerted last when
 * neither the veilleurs nor the référent could go.
 */
export const VeilleCountsPanel = (props: { readonly insee: InseeCode }) => {
  const run = useRun()
  const [counts, setCounts] = createSignal<VeilleCounts>()
  const [status, setStatus] = createSignal("")
  const [unavailable, setUnavailable] = createSignal<string>()
  const form = createForm({ "ccas-email": "" }, { "ccas-email": ccasEmail })
  const show = (c: VeilleCounts) => {
    setCounts(c)
    form.set("ccas-email", Option.getOrElse(c.ccasContact, () => ""))
  }
  onMount(async () => {
    const o = await run(Effect.flatMap(Vigie, (client) => client.GetVeilleCounts({ insee: props.insee })))
    if (o.ok) show(o.value)
    else setUnavailable(o.failure.message)
  })
  const save = form.submit(
    () => {
      const typed = form.values["ccas-email"].trim()
      return run(Effect.flatMap(Vigie, (client) =>
        client.SetCcasContact({
          insee: props.insee,
          email: typed === "" ? Option.none() : Option.some(Email.make(typed.toLowerCase()))
        })))
    },
    (c) => {
      show(c)
      setStatus(
        Option.isSome(c.ccasContact)
          ? `Contact du CCAS enregistré : ${c.ccasContact.value}.`
          : "Contact du CCAS retiré : personne n'est prévenu après le référent."
      )
    }
  )
  return (
    <section class="panel" aria-labelledby="veille-counts-title">
      <h2 id="veille-counts-title">Veille bienveillante</h2>
      <Show when={unavailable()} fallback={
        <>
          <Show when={counts()} fallback={<p aria-busy="true">Chargement…</p>}>
            {(c) => (
              <dl class="summary" aria-label="Chiffres de la veille bienveillante">
                <div>
                  <dt>Veilles actives</dt>
                  <dd>{c().active}</dd>
                </div>
                <div>
                  <dt>Voisins veilleurs</dt>
                  <dd>{c().veilleurs}</dd>
                </div>
                <div>
                  <dt>Prises de nouvelles (30 jours)</dt>
                  <dd>{c().checkInsLast30Days}</dd>
                </div>
                <div>
                  <dt>Alertes aux voisins (30 jours)</dt>
                  <dd>{c().escalationsLast30Days}</dd>
                </div>
              </dl>
            )}
          </Show>
          <p class="small">
            Des chiffres seulement : la mairie ne voit ni les personnes veillées ni leurs veilleurs.
          </p>
          <form onSubmit={save} novalidate aria-label="Contact du CCAS">
            <TextField id="ccas-email" label="E-mail du CCAS (service social de la mairie)" type="email"
              inputmode="email" autocomplete="off" value={form.values["ccas-email"]}
              onValue={(v) => form.set("ccas-email", v)} onBlur={() => form.touch("ccas-email")}
              error={form.error("ccas-email")}
              hint="Prévenu en dernier quand ni les voisins veilleurs ni le référent n'ont pu passer. Laissez vide pour le retirer." />
            <FormError message={form.formError()} />
            <button type="submit" class="button primary" disabled={form.busy()}>Enregistrer le contact</button>
            <p class="small" role="status" aria-live="polite">{status()}</p>
          </form>
        </>
      }>
        <p class="small">{unavailable()}</p>
      </Show>
    </section>
  )
}
