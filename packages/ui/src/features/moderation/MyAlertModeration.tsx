import type { Me } from "@vigie/domain/accounts/Me"
import type { AlertView } from "@vigie/domain/alerts/AlertView"
import type { AlertModerationState } from "@vigie/domain/moderation/ModeratedAlert"
import { Effect, Option } from "effect"
import { For, Match, Show, Switch, createResource, createSignal } from "solid-js"
import { FormError } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { appealStatusLabels, holdReasonForAuthor, reasonLabel } from "./Labels.js"
import { NOTE_MAX, TextArea } from "./ReasonFields.js"

/**
 * What moderation did with my alert, on its page (its author only): held, with why and when it
 * will be reviewed; hidden, with the reason (never who hid it) and, once, the form to appeal;
 * approved or reviewed; and the appeal's outcome with the moderator's reason.
 */
export const MyAlertModeration = (props: { readonly alert: AlertView; readonly me: Me }) => (
  <Show when={props.alert.mine}>
    <ModerationState alert={props.alert} />
  </Show>
)

const ModerationState = (props: { readonly alert: AlertView }) => {
  const run = useRun()
  const [override, setOverride] = createSignal<AlertModerationState>()
  const [loaded] = createResource(
    () => `${props.alert.id}:${props.alert.status}`,
    () => run(Effect.flatMap(Vigie, (client) => client.GetMyAlertModeration({ alertId: props.alert.id })))
  )
  const state = () => {
    const own = override()
    if (own !== undefined) return own
    const outcome = loaded()
    return outcome?.ok ? outcome.value : undefined
  }
  return (
    <section class="panel moderation-state" aria-labelledby="moderation-title" data-status={state()?.status}>
      <h2 id="moderation-title">Modération</h2>
      <Show when={loaded()?.ok === false}>
        <p class="form-error" role="alert">{(loaded() as { failure: { message: string } }).failure.message}</p>
      </Show>
      <Show when={state()} fallback={
        <Show when={loaded() === undefined}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        {(s) => (
          <>
            <Switch>
              <Match when={s().status === "held_for_review"}>
                <p>
                  <strong>En attente de modération.</strong>{" "}
                  Un modérateur relit votre alerte avant qu'elle parte à vos voisins<Show
                    when={Option.getOrUndefined(s().expectedReview)}
                  >
                    {(e) => <>{" "}: elle sera relue {e().text}</>}
                  </Show>.
                </p>
                <Show when={s().holdReasons.length > 0}>
                  <p>Pourquoi :</p>
                  <ul class="hold-reasons">
                    <For each={s().holdReasons}>{(r) => <li>{holdReasonForAuthor[r]}</li>}</For>
                  </ul>
                </Show>
              </Match>
              <Match when={Option.getOrUndefined(s().hidden)}>
                {(h) => (
                  <div class="hidden-notice">
                    <p>
                      <strong>Alerte masquée par la modération.</strong> Vos voisins ne la voient plus.
                    </p>
                    <p class="hide-reason">
                      Motif : <strong>{reasonLabel(h().reason)}</strong>.
                    </p>
                    <Show when={Option.getOrUndefined(h().details)}>{(d) => <p>Précision : « {d()} »</p>}</Show>
                    <p class="small">Masquée le {formatDateTime(h().at)}.</p>
                    <Show when={h().pendingReview}>
                      <p>Le référent de votre quartier l'a masquée en attendant la décision d'un modérateur.</p>
                    </Show>
                  </div>
                )}
              </Match>
              <Match when={Option.getOrUndefined(s().approvedAt)}>
                {(at) => (
                  <p>
                    <strong>Approuvée</strong> par un modérateur le {formatDateTime(at())}{" "}
                    : elle est partie à vos voisins.
                  </p>
                )}
              </Match>
              <Match when={Option.getOrUndefined(s().reviewedAt)}>
                {(at) => (
                  <p>
                    <strong>Relue</strong> par un modérateur le {formatDateTime(at())}.
                  </p>
                )}
              </Match>
              <Match when={s().status === "published" || s().status === "resolved"}>
                <p>
                  <strong>Publiée</strong> : vos voisins l'ont reçue. Un modérateur la relira.
                </p>
              </Match>
            </Switch>
            <Show when={Option.getOrUndefined(s().appeal)}>
              {(a) => (
                <div class="appeal-state" data-appeal={a().status}>
                  <p>
                    <strong>Votre contestation</strong> du {formatDateTime(a().createdAt)} :{" "}
                    {appealStatusLabels[a().status]}.
                  </p>
                  <Show when={a().status === "pending"}>
                    <p class="small">Un modérateur autre que celui qui a masqué l'alerte va la trancher.</p>
                  </Show>
                  <Show when={Option.getOrUndefined(a().decisionReason)}>
                    {(r) => <p>Réponse du modérateur : « {r()} »</p>}
                  </Show>
                </div>
              )}
            </Show>
            <Show when={s().canAppeal}>
              <AppealForm alert={props.alert} onDone={setOverride} />
            </Show>
          </>
        )}
      </Show>
    </section>
  )
}

/** The appeal, once: a text is required, and another moderator than the one who hid it decides. */
export const AppealForm = (
  props: { readonly alert: AlertView; readonly onDone: (state: AlertModerationState) => void }
) => {
  const run = useRun()
  const form = createForm({ appeal: "" }, {
    appeal: (v) =>
      v.trim() === ""
        ? "Expliquez en quelques mots pourquoi votre alerte devrait être rétablie."
        : v.trim().length > NOTE_MAX
        ? `${NOTE_MAX} caractères au maximum.`
        : undefined
  })
  const send = form.submit(
    () =>
      run(
        Effect.flatMap(Vigie, (client) =>
          client.AppealHiding({ alertId: props.alert.id, text: form.values.appeal.trim() }))
      ),
    props.onDone
  )
  return (
    <form onSubmit={send} novalidate aria-label="Contester le masquage" class="appeal-form">
      <h3>Contester ce masquage</h3>
      <p class="small">
        Vous pouvez contester une seule fois. Un autre modérateur relira votre alerte et votre explication.
      </p>
      <TextArea id="appeal" label="Pourquoi votre alerte devrait-elle être rétablie ?" value={form.values.appeal}
        onValue={(v) => form.set("appeal", v)} onBlur={() => form.touch("appeal")} error={form.error("appeal")}
        max={NOTE_MAX} rows={4} />
      <FormError message={form.formError()} />
      <button type="submit" class="primary" disabled={form.busy()}>
        {form.busy() ? "Envoi…" : "Envoyer ma contestation"}
      </button>
    </form>
  )
}
