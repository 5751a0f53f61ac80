import {
  GazetteDelivery,
  type GazetteChoices,
  type GazettePreferences,
  type GazetteTopic,
  gazetteTopics
} from "@vigie/domain/gazette/GazettePreferences"
import { Effect } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"

/** What each kind of Gazette item is called on the preferences page. */
export const gazetteTopicLabels: Record<GazetteTopic, string> = {
  communication: "Les communications de la mairie",
  perdu_trouve: "Animaux et objets perdus ou trouvés",
  entraide: "L'entraide (offres et demandes d'aide)",
  annonce: "Les petites annonces",
  covoiturage: "Le covoiturage",
  evenement: "Les événements du quartier",
  vie_du_quartier: "La vie du quartier",
  compte_rendu: "Les comptes-rendus de réunions"
}

const deliveryLabels: Record<GazetteDelivery, string> = {
  none: "Rien",
  weekly: "Dans le résumé du lundi",
  immediate: "Un e-mail tout de suite"
}

/** Per kind of Gazette item: nothing, the Monday digest or an e-mail at once; the mairie by SMS too. */
export const GazettePreferencesForm = (props: { readonly initial: GazettePreferences }) => {
  const run = useRun()
  const [choices, setChoices] = createSignal<GazetteChoices>(props.initial.choices)
  const [mairieSms, setMairieSms] = createSignal(props.initial.mairieSms)
  const [busy, setBusy] = createSignal(false)
  const [saved, setSaved] = createSignal(false)
  const [error, setError] = createSignal<string>()

  const choose = (topic: GazetteTopic, delivery: GazetteDelivery) => {
    setSaved(false)
    setChoices((old) => ({ ...old, [topic]: delivery }))
  }

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault()
    setBusy(true)
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.UpdateGazettePreferences({ choices: choices(), mairieSms: mairieSms() }))
    )
    setBusy(false)
    if (!outcome.ok) return setError(outcome.failure.message)
    setError(undefined)
    setSaved(true)
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} novalidate aria-labelledby="gazette-prefs-title">
      <h2 id="gazette-prefs-title">La Gazette du quartier</h2>
      <p>
        Tout reste à lire dans la Gazette. Choisissez, pour chaque rubrique, si vous voulez en plus un e-mail tout de
        suite, le résumé de la semaine (le lundi à 8 h) ou rien.
      </p>
      <For each={gazetteTopics}>
        {(topic) => (
          <fieldset class="choices">
            <legend>{gazetteTopicLabels[topic]}</legend>
            <For each={GazetteDelivery.literals}>
              {(delivery) => (
                <label class="choice">
                  <input type="radio" name={`gazette-${topic}`} value={delivery} checked={choices()[topic] === delivery}
                    onChange={() => choose(topic, delivery)} />
                  <span>{deliveryLabels[delivery]}</span>
                </label>
              )}
            </For>
          </fieldset>
        )}
      </For>
      <label class="switch">
        <input type="checkbox" role="switch" checked={mairieSms()} onChange={(e) => {
          setSaved(false)
          setMairieSms(e.currentTarget.checked)
        }} />
        <span>Recevoir aussi par SMS les communications de la mairie</span>
      </label>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <Show when={saved()}>
        <p class="notice success" role="status">Choix de la Gazette enregistrés.</p>
      </Show>
      <button type="submit" class="primary" disabled={busy()}>Enregistrer mes choix pour la Gazette</button>
    </form>
  )
}

/** The Gazette part of the preferences page: loads my choices, then the form. */
export const GazettePreferencesSection = () => {
  const run = useRun()
  const [prefs] = createResource(() => run(Effect.flatMap(Vigie, (client) => client.GetGazettePreferences({}))))
  return (
    <Show when={prefs()} fallback={<p aria-busy="true">Chargement…</p>}>
      {(outcome) => {
        const o = outcome()
        return o.ok
          ? <GazettePreferencesForm initial={o.value} />
          : <p class="form-error" role="alert">{o.failure.message}</p>
      }}
    </Show>
  )
}
