import type { HideReason } from "@vigie/domain/moderation/HideReason"
import { Option } from "effect"
import type { JSX } from "solid-js"
import { FieldError, FormError } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import type { Outcome } from "../../lib/runtime.js"
import { detailsCheck, NOTE_MAX, optionalText, ReasonFieldset, TextArea } from "./ReasonFields.js"

/** What every action form shares: a title, a cancel button, and what to do once the server agreed. */
interface ActionProps {
  readonly title: string
  readonly onCancel: () => void
  readonly onDone: (message: string) => void
}

/**
 * A confirmation with a note: "Approuver cette alerte ? Elle part aussitôt aux voisins." The note
 * is optional unless `noteRequired` (suspending, banning: the audit log says why).
 */
export const NoteConfirm = (
  props: ActionProps & {
    readonly question: JSX.Element
    readonly confirm: string
    readonly done: string
    readonly noteLabel?: string
    readonly noteRequired?: boolean
    readonly danger?: boolean
    readonly send: (note: Option.Option<string>) => Promise<Outcome<unknown>>
  }
) => {
  const form = createForm({ note: "" }, {
    note: (v) =>
      props.noteRequired === true && v.trim() === ""
        ? "Indiquez pourquoi : la raison est gardée dans le journal de modération."
        : v.trim().length > NOTE_MAX
        ? `${NOTE_MAX} caractères au maximum.`
        : undefined
  })
  const submit = form.submit(() => props.send(optionalText(form.values.note)), () => props.onDone(props.done))
  return (
    <form onSubmit={submit} novalidate aria-label={props.title} class="action-form confirm">
      <h4>{props.title}</h4>
      <p>{props.question}</p>
      <TextArea id="note"
        label={props.noteLabel ?? (props.noteRequired === true ? "Raison (pour le journal)" : "Note (facultatif)")}
        value={form.values.note} onValue={(v) => form.set("note", v)} onBlur={() => form.touch("note")}
        error={form.error("note")} max={NOTE_MAX} rows={2} />
      <FormError message={form.formError()} />
      <div class="row">
        <button type="button" class="secondary" onClick={() => props.onCancel()}>Annuler</button>
        <button type="submit" class="primary" classList={{ danger: props.danger === true }} disabled={form.busy()}>
          {form.busy() ? "Envoi…" : props.confirm}
        </button>
      </div>
    </form>
  )
}

/**
 * Hiding, warning, a référent's first-line hiding: a reason from the list (required) and a text
 * (required for « autre motif »). Nothing is sent while the reason is missing.
 */
export const ReasonForm = (
  props: ActionProps & {
    readonly intro: JSX.Element
    readonly legend: string
    readonly confirm: string
    readonly done: string
    readonly send: (reason: HideReason, details: Option.Option<string>) => Promise<Outcome<unknown>>
  }
) => {
  let reasonNow: () => string = () => ""
  const form = createForm({ reason: "", details: "" }, {
    reason: (v) => (v === "" ? "Choisissez un motif dans la liste : l'auteur en sera informé." : undefined),
    details: detailsCheck(() => reasonNow())
  })
  reasonNow = () => form.values.reason
  const submit = form.submit(
    () => props.send(form.values.reason as HideReason, optionalText(form.values.details)),
    () => props.onDone(props.done)
  )
  return (
    <form onSubmit={submit} novalidate aria-label={props.title} class="action-form">
      <h4>{props.title}</h4>
      <p>{props.intro}</p>
      <ReasonFieldset id="reason" legend={props.legend} value={form.values.reason}
        onValue={(r) => form.set("reason", r)} error={form.error("reason")} />
      <TextArea id="details" label="Précision pour l'auteur" hint="Obligatoire avec « autre motif ». L'auteur la lira."
        value={form.values.details} onValue={(v) => form.set("details", v)} onBlur={() => form.touch("details")}
        error={form.error("details")} max={NOTE_MAX} rows={2} />
      <FormError message={form.formError()} />
      <div class="row">
        <button type="button" class="secondary" onClick={() => props.onCancel()}>Annuler</button>
        <button type="submit" class="primary danger" disabled={form.busy()}>
          {form.busy() ? "Envoi…" : props.confirm}
        </button>
      </div>
    </form>
  )
}

/**
 * Deciding an appeal: restore or keep hidden, and the reason the author will read. `subject` names
 * what was hidden ("l'alerte" unless said: "la publication" for the Gazette).
 */
export const DecideForm = (
  props: ActionProps & {
    readonly subject?: { readonly the: string; readonly restored: string; readonly hidden: string }
    readonly send: (decision: "restore" | "uphold", reason: string) => Promise<Outcome<unknown>>
  }
) => {
  const subject = () => props.subject ?? { the: "l'alerte", restored: "rétablie", hidden: "masquée" }
  const form = createForm<"decision" | "decision-reason">({ decision: "", "decision-reason": "" }, {
    decision: (v) => v === "" ? `Choisissez : rétablir ${subject().the} ou la laisser ${subject().hidden}.` : undefined,
    "decision-reason": (v) =>
      v.trim() === ""
        ? "Indiquez la raison de votre décision : l'auteur la lira."
        : v.trim().length > NOTE_MAX
        ? `${NOTE_MAX} caractères au maximum.`
        : undefined
  }, { reason: "decision-reason" })
  const submit = form.submit(
    () => props.send(form.values.decision as "restore" | "uphold", form.values["decision-reason"].trim()),
    () =>
      props.onDone(
        form.values.decision === "restore"
          ? `Contestation acceptée : ${subject().the} est ${subject().restored}.`
          : `Contestation refusée : ${subject().the} reste ${subject().hidden}.`
      )
  )
  return (
    <form onSubmit={submit} novalidate aria-label={props.title} class="action-form">
      <h4>{props.title}</h4>
      <fieldset class="choices two" id="decision" tabindex="-1">
        <legend>Votre décision</legend>
        <label class="choice">
          <input type="radio" name="decision" checked={form.values.decision === "restore"}
            onChange={() => form.set("decision", "restore")} />
          <span>
            <strong>Rétablir {subject().the}</strong> — elle est publiée{props.subject === undefined
              ? " (et envoyée si elle ne l'a jamais été)"
              : ""}
          </span>
        </label>
        <label class="choice">
          <input type="radio" name="decision" checked={form.values.decision === "uphold"}
            onChange={() => form.set("decision", "uphold")} />
          <span>
            <strong>Laisser masquée</strong> — le masquage est confirmé
          </span>
        </label>
        <FieldError id="decision" error={form.error("decision")} />
      </fieldset>
      <TextArea id="decision-reason" label="Raison de la décision (l'auteur la lira)"
        value={form.values["decision-reason"]} onValue={(v) => form.set("decision-reason", v)}
        onBlur={() => form.touch("decision-reason")} error={form.error("decision-reason")} max={NOTE_MAX} rows={2} />
      <FormError message={form.formError()} />
      <div class="row">
        <button type="button" class="secondary" onClick={() => props.onCancel()}>Annuler</button>
        <button type="submit" class="primary" disabled={form.busy()}>
          {form.busy() ? "Envoi…" : "Enregistrer la décision"}
        </button>
      </div>
    </form>
  )
}
