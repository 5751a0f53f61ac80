import type { Me } from "@vigie/domain/accounts/Me"
import type { AlertView } from "@vigie/domain/alerts/AlertView"
import type { HideReason } from "@vigie/domain/moderation/HideReason"
import { Effect } from "effect"
import { Show, createSignal } from "solid-js"
import { FormError } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { optionalText, ReasonFieldset, TextArea } from "./ReasonFields.js"

const FLAG_TEXT_MAX = 500

/**
 * "Signaler cette alerte" for the members who read it (not its author): a reason from the list and
 * an optional text. Moderators and the quartier's référents see the flag; the author never sees
 * who flagged.
 */
export const FlagAlert = (props: { readonly alert: AlertView; readonly me: Me }) => {
  const run = useRun()
  const [open, setOpen] = createSignal(false)
  const [done, setDone] = createSignal(false)
  const form = createForm<"flag-reason" | "flag-text">({ "flag-reason": "", "flag-text": "" }, {
    "flag-reason": (v) => (v === "" ? "Choisissez ce qui ne va pas dans cette alerte." : undefined),
    "flag-text": (v) => (v.trim().length > FLAG_TEXT_MAX ? `${FLAG_TEXT_MAX} caractères au maximum.` : undefined)
  }, { text: "flag-text", reason: "flag-reason" })
  const send = form.submit(
    () =>
      run(Effect.flatMap(Vigie, (client) =>
        client.FlagAlert({
          alertId: props.alert.id,
          reason: form.values["flag-reason"] as HideReason,
          text: optionalText(form.values["flag-text"])
        }))),
    () => {
      setOpen(false)
      setDone(true)
    }
  )
  return (
    <Show when={!props.alert.mine && (props.alert.status === "published" || props.alert.status === "resolved")}>
      <div class="flag-alert">
        <Show when={!done()} fallback={
          <p class="notice success" role="status">
            Merci : votre signalement est transmis aux modérateurs et au référent du quartier.
          </p>
        }>
          <Show when={open()} fallback={
            <button type="button" class="secondary" aria-expanded="false" onClick={() => {
              setOpen(true)
              queueMicrotask(() => document.getElementById("flag-reason")?.focus())
            }}>
              Signaler cette alerte
            </button>
          }>
            <form onSubmit={send} novalidate aria-label="Signaler cette alerte">
              <h2>Signaler cette alerte</h2>
              <p class="small">Un modérateur examinera l'alerte. Son auteur ne saura pas qui l'a signalée.</p>
              <ReasonFieldset id="flag-reason" legend="Qu'est-ce qui ne va pas ?" value={form.values["flag-reason"]}
                onValue={(r) => form.set("flag-reason", r)} error={form.error("flag-reason")} hints />
              <TextArea id="flag-text" label="Précisions (facultatif)" value={form.values["flag-text"]}
                onValue={(v) => form.set("flag-text", v)} onBlur={() => form.touch("flag-text")}
                error={form.error("flag-text")} max={FLAG_TEXT_MAX} />
              <FormError message={form.formError()} />
              <div class="row">
                <button type="button" class="secondary" onClick={() => setOpen(false)}>Annuler</button>
                <button type="submit" class="primary" disabled={form.busy()}>
                  {form.busy() ? "Envoi…" : "Envoyer le signalement"}
                </button>
              </div>
            </form>
          </Show>
        </Show>
      </div>
    </Show>
  )
}
