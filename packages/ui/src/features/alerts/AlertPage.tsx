import { A, useLocation, useParams } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { AlertId, isTownCategory } from "@vigie/domain/alerts/Alert"
import { alertStatusLabels, categoryLabels, urgencyLabels } from "@vigie/domain/alerts/AlertLabels"
import type { AlertView } from "@vigie/domain/alerts/AlertView"
import { Effect, Option, Schema } from "effect"
import { Show, createResource, createSignal } from "solid-js"
import { CategoryIcon } from "../../components/Icons.js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { scopeLabel } from "./AlertCard.js"
import { AlertResponses } from "./AlertResponses.js"
import { FlagAlert } from "../moderation/FlagAlert.js"
import { MyAlertModeration } from "../moderation/MyAlertModeration.js"

/** One alert: its details, and for its author the buttons to close it as resolved or retract it. */
export const AlertPage = (props: { readonly me: Me }) => {
  const run = useRun()
  const params = useParams()
  const location = useLocation<{ posted?: string }>()
  const [override, setOverride] = createSignal<AlertView>()
  const [actionError, setActionError] = createSignal<string>()
  const [confirm, setConfirm] = createSignal<"resolve" | "retract">()
  const [alert] = createResource(
    () => params["id"],
    (id) =>
      run(
        Effect.flatMap(Vigie, (client) =>
          Effect.flatMap(Schema.decode(AlertId)(id), (alertId) => client.GetAlert({ alertId })))
      )
  )
  const names = new Map(props.me.memberships.map((m) => [m.community.id as string, m.community.name]))

  const act = async (which: "resolve" | "retract", current: AlertView) => {
    setActionError(undefined)
    const outcome = await run(
      Effect.flatMap(Vigie, (client) =>
        which === "resolve"
          ? client.ResolveAlert({ alertId: current.id })
          : client.RetractAlert({ alertId: current.id }))
    )
    setConfirm(undefined)
    if (outcome.ok) setOverride(outcome.value)
    else setActionError(outcome.failure.message)
  }

  return (
    <section aria-labelledby="alert-title">
      <p>
        <A href="/">← Retour au fil</A>
      </p>
      <Show when={alert()} fallback={<p aria-busy="true">Chargement…</p>}>
        {(outcome) => (
          <Show when={outcome().ok ? (override() ?? (outcome() as { value: AlertView }).value) : undefined}
            fallback={
              <p class="form-error" role="alert">{(outcome() as { failure?: { message: string } }).failure?.message}</p>
            }
          >
            {(a) => (
              <article class="alert-detail" classList={{ urgent: a().urgency === "urgent" }}>
                <Show when={location.state?.posted !== undefined && location.state.posted === a().status}>
                  <div class="notice success" role="status">
                    {location.state?.posted === "held_for_review"
                      ? "Alerte enregistrée. Un modérateur la relit avant qu'elle parte à vos voisins : vous trouverez pourquoi et quand ci-dessous."
                      : Option.isSome(a().followupOf)
                      ? "Merci : une alerte semblable venait d'être envoyée. Votre signalement la confirme, et vos voisins en sont informés."
                      : "Alerte envoyée : vos voisins sont prévenus."}
                  </div>
                </Show>
                <div class="alert-head">
                  <CategoryIcon category={a().category} />
                  <h1 id="alert-title">{categoryLabels[a().category]}</h1>
                </div>
                <p class="meta">
                  <span class="badge" classList={{ urgent: a().urgency === "urgent" }}>
                    {urgencyLabels[a().urgency]}
                  </span>
                  <span class="badge status" data-status={a().status}>{alertStatusLabels[a().status]}</span>
                </p>
                <p class="alert-text big">{a().text}</p>
                <dl class="summary">
                  <Show when={Option.getOrUndefined(a().place)}>
                    {(place) => (
                      <>
                        <dt>Lieu</dt>
                        <dd>{place()}</dd>
                      </>
                    )}
                  </Show>
                  <Show when={Option.getOrUndefined(a().authorName)}>
                    {(name) => (
                      <>
                        <dt>Par</dt>
                        <dd>{a().mine ? "vous" : name()}</dd>
                      </>
                    )}
                  </Show>
                  <dt>Envoyée</dt>
                  <dd>{formatDateTime(a().createdAt)}</dd>
                  <dt>À</dt>
                  <dd>{scopeLabel(a(), names)}</dd>
                  <dt>Mairie et police</dt>
                  <dd>{a().sharedWithAuthorities ? "Prévenues" : "Non prévenues"}</dd>
                  <Show when={Option.getOrUndefined(a().closedAt)}>
                    {(closed) => (
                      <>
                        <dt>Clôturée</dt>
                        <dd>{formatDateTime(closed())}</dd>
                      </>
                    )}
                  </Show>
                </dl>
                <Show when={!a().mine && Option.isSome(a().authorName) && !isTownCategory(a().category) &&
                  props.me.account.staffRoles.length === 0}
                >
                  <p>
                    <A class="button secondary" href={`/messages/nouveau?alerte=${a().id}`}>Écrire à l'auteur</A>
                  </p>
                </Show>
                <MyAlertModeration alert={a()} me={props.me} />
                <Show when={a().mine && (a().status === "published" || a().status === "held_for_review")}>
                  <div class="owner-actions">
                    <h2>C'est votre alerte</h2>
                    <Show when={confirm()} fallback={
                      <div class="row">
                        <button type="button" class="primary" onClick={() => setConfirm("resolve")}>
                          C'est résolu
                        </button>
                        <button type="button" class="secondary" onClick={() => setConfirm("retract")}>
                          Retirer l'alerte
                        </button>
                      </div>
                    }>
                      {(which) => (
                        <div class="confirm" role="group" aria-label="Confirmation">
                          <p>
                            {which() === "resolve"
                              ? "Prévenir vos voisins que la situation est résolue ?"
                              : "Retirer cette alerte (erreur, fausse alerte) ? Vos voisins en seront informés."}
                          </p>
                          <div class="row">
                            <button type="button" class="secondary" onClick={() => setConfirm(undefined)}>
                              Annuler
                            </button>
                            <button type="button" class="primary" onClick={() => void act(which(), a())}>
                              {which() === "resolve" ? "Oui, c'est résolu" : "Oui, retirer"}
                            </button>
                          </div>
                        </div>
                      )}
                    </Show>
                  </div>
                </Show>
                <Show when={actionError()}>
                  <p class="form-error" role="alert">{actionError()}</p>
                </Show>
                <Show when={a().status === "published" || a().status === "resolved"}>
                  <AlertResponses alert={a()} me={props.me} />
                </Show>
                <FlagAlert alert={a()} me={props.me} />
              </article>
            )}
          </Show>
        )}
      </Show>
    </section>
  )
}
