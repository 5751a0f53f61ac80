import { A, useNavigate } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { ResidentCategory, type Urgency } from "@vigie/domain/alerts/Alert"
import { Effect, Option } from "effect"
import { For, Show, createSignal } from "solid-js"
import { EmergencyReminder, FieldError, FormError } from "../../components/Field.js"
import { CategoryIcon } from "../../components/Icons.js"
import { createForm } from "../../lib/form.js"
import { categoryLabels } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import * as V from "../../lib/validation.js"
import { verifiedMemberships } from "../session/Session.js"

const TEXT_MAX = 1000

/**
 * Posting an alert to one of my communities. The 17 / 18 / 15 reminder is on the page and is
 * shown once more, with a summary, before the alert is sent.
 */
export const PostAlert = (props: { readonly me: Me }) => {
  const run = useRun()
  const navigate = useNavigate()
  const communities = verifiedMemberships(props.me).map((m) => m.community)
  const [confirming, setConfirming] = createSignal(false)
  const form = createForm(
    { community: communities.length === 1 ? communities[0]!.id : "", category: "", urgency: "", text: "", place: "", shared: "" },
    {
      community: (v) => (v === "" ? "Choisissez le quartier à prévenir." : undefined),
      category: (v) => (v === "" ? "Choisissez ce que vous signalez." : undefined),
      urgency: (v) => (v === "" ? "Dites si c'est urgent ou pour information." : undefined),
      text: V.first(V.required("ce que vous avez vu (quelques mots suffisent)"), V.maxLength(TEXT_MAX)),
      place: V.maxLength(200)
    }
  )
  const [checked, setChecked] = createSignal(false)

  const review = (event: Event) => {
    event.preventDefault()
    setChecked(true)
    void form.submit(async () => ({ ok: true as const, value: undefined }), () => setConfirming(true))()
  }

  const send = form.submit(
    () => {
      const v = form.values
      const communityId = communities.find((c) => c.id === v.community)!.id
      return run(Effect.flatMap(Vigie, (client) =>
        client.PostAlert({
          scope: { _tag: "Community", communityId },
          category: v.category as ResidentCategory,
          urgency: v.urgency as Urgency,
          text: v.text.trim(),
          place: v.place.trim() === "" ? Option.none() : Option.some(v.place.trim()),
          sharedWithAuthorities: v.shared === "yes"
        })))
    },
    (alert) => navigate(`/alertes/${alert.id}`, { state: { posted: alert.status } })
  )

  return (
    <section aria-labelledby="post-title">
      <h1 id="post-title">Signaler quelque chose</h1>
      <EmergencyReminder />
      <Show when={!confirming()} fallback={
        <form onSubmit={send} aria-label="Confirmer l'envoi">
          <h2>Avant d'envoyer</h2>
          <EmergencyReminder id="reminder-confirm" />
          <dl class="summary">
            <dt>Quoi</dt><dd>{categoryLabels[form.values.category as ResidentCategory]}</dd>
            <dt>Urgence</dt><dd>{form.values.urgency === "urgent" ? "Urgent" : "Information"}</dd>
            <dt>Message</dt><dd>{form.values.text}</dd>
            <Show when={form.values.place.trim() !== ""}><dt>Lieu</dt><dd>{form.values.place}</dd></Show>
            <dt>Mairie et police</dt><dd>{form.values.shared === "yes" ? "Prévenues" : "Non"}</dd>
          </dl>
          <FormError message={form.formError()} />
          <Show when={form.failure()?.field !== undefined}>
            <p class="form-error" role="alert">{form.failure()?.message}</p>
          </Show>
          <div class="row">
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>Modifier</button>
            <button type="submit" class="primary danger" disabled={form.busy()}>
              {form.busy() ? "Envoi…" : "Envoyer l'alerte"}
            </button>
          </div>
        </form>
      }>
        <form onSubmit={review} novalidate aria-label="Mon alerte">
          <Show when={communities.length > 1}>
            <fieldset class="choices" id="community" tabindex="-1">
              <legend>Quartier à prévenir</legend>
              <For each={communities}>
                {(c) => (
                  <label class="choice">
                    <input type="radio" name="community" checked={form.values.community === c.id}
                      onChange={() => form.set("community", c.id)} />
                    <span>{c.name}</span>
                  </label>
                )}
              </For>
              <FieldError id="community" error={form.error("community")} />
            </fieldset>
          </Show>
          <fieldset class="categories" id="category" tabindex="-1">
            <legend>Que signalez-vous ?</legend>
            <div class="category-grid">
              <For each={ResidentCategory.literals}>
                {(c) => (
                  <label class="category">
                    <input type="radio" name="category" value={c} checked={form.values.category === c}
                      onChange={() => form.set("category", c)} />
                    <CategoryIcon category={c} />
                    <span>{categoryLabels[c]}</span>
                  </label>
                )}
              </For>
            </div>
            <FieldError id="category" error={form.error("category")} />
          </fieldset>
          <fieldset class="choices two" id="urgency" tabindex="-1">
            <legend>Est-ce urgent ?</legend>
            <label class="choice urgent">
              <input type="radio" name="urgency" checked={form.values.urgency === "urgent"} onChange={() => form.set("urgency", "urgent")} />
              <span><strong>Urgent</strong> — à savoir tout de suite, même la nuit</span>
            </label>
            <label class="choice">
              <input type="radio" name="urgency" checked={form.values.urgency === "info"} onChange={() => form.set("urgency", "info")} />
              <span><strong>Information</strong> — peut attendre le matin</span>
            </label>
            <FieldError id="urgency" error={form.error("urgency")} />
          </fieldset>
          <div class="field" classList={{ invalid: form.error("text") !== undefined }}>
            <label for="text">Ce que vous avez vu</label>
            <p class="hint" id="text-hint">Décrivez les faits : véhicule, heure, direction. Pas de description de l'origine ou
              de la religion des personnes.</p>
            <textarea id="text" name="text" rows="4" maxLength={TEXT_MAX + 100} value={form.values.text}
              onInput={(e) => form.set("text", e.currentTarget.value)} onBlur={() => form.touch("text")}
              aria-invalid={form.error("text") !== undefined}
              aria-describedby={form.error("text") ? "text-hint text-error" : "text-hint"} />
            <p class="small">{form.values.text.length} / {TEXT_MAX}</p>
            <FieldError id="text" error={form.error("text")} />
          </div>
          <div class="field" classList={{ invalid: form.error("place") !== undefined }}>
            <label for="place">Lieu (facultatif)</label>
            <input id="place" name="place" value={form.values.place} autocomplete="off"
              onInput={(e) => form.set("place", e.currentTarget.value)} onBlur={() => form.touch("place")}
              aria-invalid={form.error("place") !== undefined} aria-describedby={form.error("place") ? "place-error" : undefined} />
            <FieldError id="place" error={form.error("place")} />
          </div>
          <label class="switch">
            <input id="shared" type="checkbox" role="switch" checked={form.values.shared === "yes"}
              onChange={(e) => form.set("shared", e.currentTarget.checked ? "yes" : "")} />
            <span>Partager avec la mairie et la police municipale</span>
          </label>
          <FormError message={checked() ? form.formError() : undefined} />
          <button type="submit" class="primary">Continuer</button>
        </form>
      </Show>
    </section>
  )
}

export const PostAlertGuard = (props: { readonly me: Me }) => (
  <Show when={verifiedMemberships(props.me).length > 0} fallback={
    <section>
      <h1>Signaler quelque chose</h1>
      <EmergencyReminder />
      <p>Pour publier une alerte, activez d'abord votre adresse avec le code reçu par courrier.</p>
      <A class="button primary" href="/activer">Activer mon adresse</A>
    </section>
  }>
    <PostAlert me={props.me} />
  </Show>
)
