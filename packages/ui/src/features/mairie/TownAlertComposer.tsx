import { TownCategory, type Urgency } from "@vigie/domain/alerts/Alert"
import { categoryLabels, urgencyLabels } from "@vigie/domain/alerts/AlertLabels"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { TownAlertPreview, TownAlertSent } from "@vigie/domain/mairie/TownAlert"
import { Effect, Option } from "effect"
import { For, Show, createSignal } from "solid-js"
import { FieldError, FormError } from "../../components/Field.js"
import { CategoryIcon } from "../../components/Icons.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import * as V from "../../lib/validation.js"
import { formatDuration, formatEuro } from "./Staff.js"

const TEXT_MAX = 1000

/** « 1 appel vocal », « 3 appels vocaux ». */
const calls = (n: number) => (n > 1 ? `${n} appels vocaux` : `${n} appel vocal`)

/**
 * The town-alert composer: category, urgency, text, all communities or some. "Prévisualiser" asks
 * the server what sending would do (recipients per channel, voice calls of an urgent alert, SMS parts,
 * cost, time, budget); only a preview can be confirmed, explicitly, by SMS and e-mail or by e-mail
 * only (no SMS, no call). Any change to the draft drops the preview.
 */
export const TownAlertComposer = (props: {
  readonly insee: InseeCode
  readonly communities: ReadonlyArray<{ readonly communityId: CommunityId; readonly name: string }>
  readonly onSent?: (sent: TownAlertSent) => void
}) => {
  const run = useRun()
  const [preview, setPreview] = createSignal<TownAlertPreview>()
  const [emailOnly, setEmailOnly] = createSignal(false)
  const [confirming, setConfirming] = createSignal(false)
  const [confirmError, setConfirmError] = createSignal<string>()
  const [sent, setSent] = createSignal<TownAlertSent>()
  const [picked, setPicked] = createSignal<ReadonlyArray<CommunityId>>([])
  const form = createForm(
    { category: "", urgency: "", text: "", scope: "all" },
    {
      category: (v) => (v === "" ? "Choisissez la catégorie de l'annonce." : undefined),
      urgency: (v) => (v === "" ? "Dites si l'annonce est urgente ou pour information." : undefined),
      text: V.first(V.required("le texte de l'annonce"), V.maxLength(TEXT_MAX)),
      scope: (
        v
      ) => (v === "some" && picked().length === 0 ? "Choisissez au moins un quartier, ou toute la commune." : undefined)
    }
  )

  const dropPreview = () => {
    setPreview(undefined)
    setConfirmError(undefined)
    setSent(undefined)
  }
  const edit = (field: "category" | "urgency" | "text" | "scope", value: string) => {
    form.set(field, value)
    dropPreview()
  }
  const toggleCommunity = (id: CommunityId, on: boolean) => {
    setPicked((old) => [...old.filter((x) => x !== id), ...(on ? [id] : [])])
    dropPreview()
  }

  const doPreview = (event: Event) => {
    event.preventDefault()
    dropPreview()
    void form.submit(
      () => {
        const v = form.values
        const ids = picked()
        return run(Effect.flatMap(Vigie, (client) =>
          client.PreviewTownAlert({
            insee: props.insee,
            communityIds: v.scope === "some" && ids.length > 0
              ? Option.some([ids[0]!, ...ids.slice(1)])
              : Option.none(),
            category: v.category as TownCategory,
            urgency: v.urgency as Urgency,
            text: v.text.trim(),
            place: Option.none()
          })))
      },
      (p) => {
        setPreview(p)
        setEmailOnly(!p.fitsBudget)
      }
    )()
  }

  const confirm = async () => {
    const p = preview()
    if (p === undefined || confirming()) return
    setConfirming(true)
    setConfirmError(undefined)
    const outcome = await run(
      Effect.flatMap(
        Vigie,
        (client) => client.ConfirmTownAlert({ previewToken: p.previewToken, emailOnly: emailOnly() })
      )
    )
    setConfirming(false)
    if (!outcome.ok) {
      setConfirmError(outcome.failure.message)
      if (outcome.failure.tag === "PreviewOutdated" || outcome.failure.tag === "PreviewNotFound") setPreview(undefined)
      if (outcome.failure.tag === "BudgetExceeded") setEmailOnly(true)
      return
    }
    setPreview(undefined)
    setSent(outcome.value)
    props.onSent?.(outcome.value)
  }

  return (
    <section class="panel" aria-labelledby="composer-title">
      <h2 id="composer-title">Nouvelle annonce à la commune</h2>
      <form onSubmit={doPreview} novalidate aria-label="Annonce de la mairie">
        <fieldset class="categories" id="category" tabindex="-1">
          <legend>Catégorie</legend>
          <div class="category-grid">
            <For each={TownCategory.literals}>
              {(c) => (
                <label class="category">
                  <input type="radio" name="town-category" value={c} checked={form.values.category === c}
                    onChange={() => edit("category", c)} />
                  <CategoryIcon category={c} />
                  <span>{categoryLabels[c]}</span>
                </label>
              )}
            </For>
          </div>
          <FieldError id="category" error={form.error("category")} />
        </fieldset>
        <fieldset class="choices two" id="urgency" tabindex="-1">
          <legend>Urgence</legend>
          <label class="choice urgent">
            <input type="radio" name="town-urgency" checked={form.values.urgency === "urgent"}
              onChange={() => edit("urgency", "urgent")} />
            <span>
              <strong>{urgencyLabels.urgent}</strong> — envoyé tout de suite, même la nuit
            </span>
          </label>
          <label class="choice">
            <input type="radio" name="town-urgency" checked={form.values.urgency === "info"}
              onChange={() => edit("urgency", "info")} />
            <span>
              <strong>{urgencyLabels.info}</strong> — respecte les heures calmes des habitants
            </span>
          </label>
          <FieldError id="urgency" error={form.error("urgency")} />
        </fieldset>
        <div class="field" classList={{ invalid: form.error("text") !== undefined }}>
          <label for="text">Texte de l'annonce</label>
          <textarea id="text" name="text" rows="4" maxLength={TEXT_MAX + 100} value={form.values.text}
            onInput={(e) => edit("text", e.currentTarget.value)} onBlur={() => form.touch("text")}
            aria-invalid={form.error("text") !== undefined}
            aria-describedby={form.error("text") ? "text-count text-error" : "text-count"} />
          <p class="small" id="text-count">{form.values.text.length} / {TEXT_MAX}</p>
          <FieldError id="text" error={form.error("text")} />
        </div>
        <fieldset class="choices" id="scope" tabindex="-1">
          <legend>Destinataires</legend>
          <label class="choice">
            <input type="radio" name="town-scope" checked={form.values.scope === "all"}
              onChange={() => edit("scope", "all")} />
            <span>Toute la commune (tous les quartiers)</span>
          </label>
          <label class="choice">
            <input type="radio" name="town-scope" checked={form.values.scope === "some"}
              onChange={() => edit("scope", "some")} />
            <span>Certains quartiers</span>
          </label>
          <Show when={form.values.scope === "some"}>
            <div class="sub-choices">
              <For each={props.communities} fallback={<p class="empty">Aucun quartier dans la commune.</p>}>
                {(c) => (
                  <label class="choice">
                    <input type="checkbox" checked={picked().includes(c.communityId)}
                      onChange={(e) => toggleCommunity(c.communityId, e.currentTarget.checked)} />
                    <span>{c.name}</span>
                  </label>
                )}
              </For>
            </div>
          </Show>
          <FieldError id="scope" error={form.error("scope")} />
        </fieldset>
        <FormError message={form.formError()} />
        <button type="submit" class="secondary" disabled={form.busy()}>
          {form.busy() ? "Calcul…" : "Prévisualiser"}
        </button>
      </form>

      <Show when={preview()}>
        {(p) => (
          <div class="preview" role="region" aria-label="Prévisualisation">
            <h3>Ce que l'envoi fera</h3>
            <dl class="summary">
              <dt>SMS</dt>
              <dd data-testid="preview-sms">{p().sms} destinataire{p().sms > 1 ? "s" : ""}</dd>
              <dt>E-mails</dt>
              <dd data-testid="preview-email">{p().email} destinataire{p().email > 1 ? "s" : ""}</dd>
              <Show when={p().voice > 0}>
                <dt>Appels vocaux</dt>
                <dd data-testid="preview-voice">
                  {emailOnly()
                    ? `Aucun appel : e-mail seulement choisi (sinon ${calls(p().voice)})`
                    : `${calls(p().voice)} (alerte urgente, membres qui l'ont choisi), non compté${
                      p().voice > 1 ? "s" : ""
                    } dans le budget SMS`}
                </dd>
              </Show>
              <dt>Texte du SMS</dt>
              <dd>{p().smsText}</dd>
              <dt>Longueur</dt>
              <dd>
                {p().smsSegments}{" "}
                SMS par destinataire ({p().smsEncoding === "UCS-2" ? "caractères spéciaux" : "alphabet standard"})
              </dd>
              <dt>Coût estimé</dt>
              <dd data-testid="preview-cost">
                {formatEuro(p().costEur)} ({p().billedSegments} SMS facturés à {formatEuro(p().pricePerSegmentEur)})
              </dd>
              <dt>Durée d'envoi</dt>
              <dd data-testid="preview-time">{formatDuration(p().estimatedSeconds)}</dd>
              <dt>Budget du mois</dt>
              <dd>{p().budget.remainingSegments} SMS restants sur {p().budget.monthlySegments}</dd>
            </dl>
            <Show when={p().exceedsProviderQueue}>
              <p class="form-error" role="alert">
                Attention : l'envoi des SMS prendra plus de 3 heures ; l'opérateur abandonne les SMS en attente au-delà
                de 3 heures. Réduisez le texte ou les quartiers, ou envoyez par e-mail seulement.
              </p>
            </Show>
            <Show when={!p().fitsBudget}>
              <p class="form-error" role="alert">
                Le budget SMS du mois ne suffit pas pour cette annonce : seul l'envoi par e-mail est possible.
              </p>
            </Show>
            <label class="switch">
              <input id="email-only" type="checkbox" checked={emailOnly()}
                onChange={(e) => setEmailOnly(e.currentTarget.checked)} />
              <span>E-mail seulement (aucun SMS{p().voice > 0 ? " ni appel vocal" : ""})</span>
            </label>
            <button type="button" class="primary danger" disabled={confirming()} onClick={() => void confirm()}>
              {confirming() ? "Envoi…" : "Confirmer l'envoi"}
            </button>
          </div>
        )}
      </Show>
      <FormError message={confirmError()} />
      <Show when={sent()}>
        {(s) => (
          <p class="ok-note" role="status" data-alert-id={s().alert.id}>
            Annonce envoyée : {s().emailOnly ? "par e-mail seulement, " : `${s().sms} SMS et `}
            {s().email} e-mail{s().email > 1 ? "s" : ""} en cours d'envoi.
          </p>
        )}
      </Show>
    </section>
  )
}
