import { A, useNavigate } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { ResidentCategory, type Urgency } from "@vigie/domain/alerts/Alert"
import { categoryLabels, urgencyLabels } from "@vigie/domain/alerts/AlertLabels"
import { sensitiveSpans, type FlaggedSpan, type SensitiveKind } from "@vigie/domain/trust/SensitiveDescriptors"
import { expectedReviewDelay } from "@vigie/domain/trust/TrustPolicy"
import { DateTime, Effect, Option } from "effect"
import { For, Match, Show, Switch, createSignal } from "solid-js"
import { EmergencyReminder, FieldError, FormError } from "../../components/Field.js"
import { CategoryIcon } from "../../components/Icons.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import * as V from "../../lib/validation.js"
import { verifiedMemberships } from "../session/Session.js"

const TEXT_MAX = 1000

/** Why a stretch of the text is highlighted, in the author's words. */
const kindLabels: Record<SensitiveKind, string> = {
  origin: "origine",
  skin_colour: "couleur de peau",
  religion: "religion",
  health: "santé ou handicap",
  person_without_behaviour: "personne décrite sans dire ce qu'elle fait"
}

/** The text cut into plain parts and flagged parts, for highlighting. */
const segments = (text: string, spans: ReadonlyArray<FlaggedSpan>) => {
  const parts: Array<{ readonly text: string; readonly span?: FlaggedSpan }> = []
  let at = 0
  for (const span of spans) {
    if (span.start > at) parts.push({ text: text.slice(at, span.start) })
    parts.push({ text: text.slice(span.start, span.end), span })
    at = span.end
  }
  if (at < text.length) parts.push({ text: text.slice(at) })
  return parts
}

/**
 * Posting an alert to one of my communities. The 17 / 18 / 15 reminder is on the page and is
 * shown once more, with a summary, before the alert is sent. A text that describes people by
 * their origin, skin colour, religion or health, or without saying what they do, is not sent at
 * once: the author sees why, with the words highlighted, and may change it or post it anyway (it
 * then waits for a moderator, see trust/TrustPolicy).
 */
export const PostAlert = (props: { readonly me: Me }) => {
  const run = useRun()
  const navigate = useNavigate()
  const communities = verifiedMemberships(props.me).map((m) => m.community)
  const [step, setStep] = createSignal<"form" | "warning" | "confirm">("form")
  const [flagged, setFlagged] = createSignal<ReadonlyArray<FlaggedSpan>>([])
  const form = createForm(
    { community: communities.length === 1 ? communities[0]!.id : "", category: "", urgency: "", text: "", place: "",
      shared: "" },
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
    void form.submit(async () => ({ ok: true as const, value: undefined }), () => {
      const spans = sensitiveSpans(form.values.text.trim())
      setFlagged(spans)
      setStep(spans.length > 0 ? "warning" : "confirm")
    })()
  }
  const edit = () => {
    setStep("form")
    queueMicrotask(() => document.getElementById("text")?.focus())
  }
  const delay = () => expectedReviewDelay(DateTime.unsafeNow())

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
      <Switch>
        <Match when={step() === "confirm"}>
          <form onSubmit={send} aria-label="Confirmer l'envoi">
            <h2>Avant d'envoyer</h2>
            <EmergencyReminder id="reminder-confirm" />
            <dl class="summary">
              <dt>Quoi</dt>
              <dd>{categoryLabels[form.values.category as ResidentCategory]}</dd>
              <dt>Urgence</dt>
              <dd>{urgencyLabels[form.values.urgency as Urgency]}</dd>
              <dt>Message</dt>
              <dd>{form.values.text}</dd>
              <Show when={form.values.place.trim() !== ""}>
                <dt>Lieu</dt>
                <dd>{form.values.place}</dd>
              </Show>
              <dt>Mairie et police</dt>
              <dd>{form.values.shared === "yes" ? "Prévenues" : "Non"}</dd>
            </dl>
            <FormError message={form.formError()} />
            <Show when={form.failure()?.field !== undefined}>
              <p class="form-error" role="alert">{form.failure()?.message}</p>
            </Show>
            <div class="row">
              <button type="button" class="secondary" onClick={() => setStep("form")}>Modifier</button>
              <button type="submit" class="primary danger" disabled={form.busy()}>
                {form.busy() ? "Envoi…" : "Envoyer l'alerte"}
              </button>
            </div>
          </form>
        </Match>
        <Match when={step() === "warning"}>
          <form onSubmit={send} aria-labelledby="warning-title" class="sensitive-warning">
            <div role="alert">
              <h2 id="warning-title" tabindex="-1" ref={(el) => queueMicrotask(() => el.focus())}>
                Avant de publier : décrivez ce qui se passe, pas qui sont les personnes
              </h2>
              <p>
                Votre message décrit des personnes par leur origine, leur couleur de peau, leur religion ou leur santé,
                ou sans dire ce qu'elles font. Cela n'aide pas vos voisins à reconnaître une situation et peut blesser
                ou faire soupçonner des innocents. Décrivez plutôt le comportement (ce que la personne fait), les
                vêtements, le véhicule, la direction prise.
              </p>
            </div>
            <p class="notice" id="flagged-text" style={{ "white-space": "pre-wrap" }}
              aria-describedby="flagged-reasons"
            >
              <For each={segments(form.values.text.trim(), flagged())}>
                {(part) => (
                  <Show when={part.span} fallback={part.text}>
                    {(span) => <mark title={kindLabels[span().kind]}>{part.text}</mark>}
                  </Show>
                )}
              </For>
            </p>
            <ul id="flagged-reasons" aria-label="Passages signalés">
              <For each={flagged()}>
                {(span) => <li>« {span.excerpt} » : {kindLabels[span.kind]}</li>}
              </For>
            </ul>
            <p id="review-delay">
              Si vous publiez quand même, un modérateur vérifiera votre alerte avant qu'elle parte à vos voisins : elle
              sera relue {delay().text}.
            </p>
            <EmergencyReminder id="reminder-warning" />
            <FormError message={form.formError()} />
            <Show when={form.failure()?.field !== undefined}>
              <p class="form-error" role="alert">{form.failure()?.message}</p>
            </Show>
            <div class="row">
              <button type="button" class="primary" onClick={edit}>Modifier mon alerte</button>
              <button type="submit" class="secondary" disabled={form.busy()}>
                {form.busy() ? "Envoi…" : "Publier quand même"}
              </button>
            </div>
          </form>
        </Match>
        <Match when={step() === "form"}>
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
                <input type="radio" name="urgency" checked={form.values.urgency === "urgent"}
                  onChange={() => form.set("urgency", "urgent")} />
                <span>
                  <strong>{urgencyLabels.urgent}</strong> — à savoir tout de suite, même la nuit
                </span>
              </label>
              <label class="choice">
                <input type="radio" name="urgency" checked={form.values.urgency === "info"}
                  onChange={() => form.set("urgency", "info")} />
                <span>
                  <strong>{urgencyLabels.info}</strong> — peut attendre le matin
                </span>
              </label>
              <FieldError id="urgency" error={form.error("urgency")} />
            </fieldset>
            <div class="field" classList={{ invalid: form.error("text") !== undefined }}>
              <label for="text">Ce que vous avez vu</label>
              <p class="hint" id="text-hint">
                Décrivez les faits : véhicule, heure, direction. Pas de description de l'origine ou de la religion des
                personnes.
              </p>
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
                aria-invalid={form.error("place") !== undefined}
                aria-describedby={form.error("place") ? "place-error" : undefined} />
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
        </Match>
      </Switch>
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
