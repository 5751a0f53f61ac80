import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { Polygon } from "@vigie/domain/communities/GeoJson"
import type { ProposalForDecision } from "@vigie/domain/proposals/CommunityProposal"
import { Effect, Option } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { FormError, TextField } from "../../components/Field.js"
import { formatPoints, pointsOf } from "../../components/Perimeter.js"
import { type MapArea, QuartierMap } from "../../components/QuartierMap.js"
import { formatDate } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { PerimeterDrawer } from "../mairie/PerimeterDrawer.js"
import { statusLabel } from "./ProposalLabels.js"

/**
 * The quartier proposals to decide: of one commune (its mairie agents, the admins), or without `insee`
 * those of every commune that is no Mairie Vigilante (the admins). Each with its perimeter on the map
 * and as points, accepted (optionally after adjusting the name and the perimeter) or refused with a
 * reason. `others` are the commune's open quartiers, drawn for reference.
 */
export const ProposalsReview = (props: {
  readonly insee?: InseeCode | undefined
  readonly others?: ReadonlyArray<MapArea> | undefined
  /** After an acceptance: the quartier list may refresh. */
  readonly onOpened?: (() => void) | undefined
}) => {
  const run = useRun()
  const [done, setDone] = createSignal<string>()
  const [proposals, { refetch }] = createResource(
    () => ({ insee: props.insee }),
    ({ insee }) => run(Effect.flatMap(Vigie, (client) => client.ListProposals(insee === undefined ? {} : { insee })))
  )
  const list = (): ReadonlyArray<ProposalForDecision> => {
    const o = proposals.latest
    return o?.ok === true ? o.value : []
  }
  const failureMessage = () => {
    const o = proposals()
    if (o === undefined || o.ok) return ""
    return o.failure.tag === "Forbidden" && props.insee !== undefined
      ? "Tant que la commune n'est pas une Mairie Vigilante, ses propositions de quartier sont décidées par " +
        "l'équipe de Vigie."
      : o.failure.message
  }
  const pending = () => list().filter((p) => p.status === "pending")
  const decided = () => list().filter((p) => p.status !== "pending")
  const finished = (message: string) => {
    setDone(message)
    void refetch()
    props.onOpened?.()
  }

  return (
    <section class="panel" aria-labelledby="proposals-title">
      <h2 id="proposals-title">Propositions de quartier</h2>
      <p class="ok-note" role="status" aria-live="polite" hidden={done() === undefined}>{done()}</p>
      <Show when={proposals()?.ok === false}>
        <p class="form-error" role="alert">{failureMessage()}</p>
      </Show>
      <Show when={!proposals.loading || proposals.latest !== undefined} fallback={<p aria-busy="true">Chargement…</p>}>
        <Show when={pending().length > 0} fallback={<p class="empty">Aucune proposition en attente.</p>}>
          <ul class="cards" aria-label="Propositions en attente">
            <For each={pending()}>
              {(p) => <PendingProposal proposal={p} others={props.others ?? []} onDone={finished} />}
            </For>
          </ul>
        </Show>
        <Show when={decided().length > 0}>
          <h3>Propositions décidées</h3>
          <ul class="map-list" aria-label="Propositions décidées">
            <For each={decided()}>
              {(p) => (
                <li>
                  {p.name} ({p.communeName}) : {statusLabel[p.status]}
                  <Show when={Option.getOrUndefined(p.refusalReason)}>{(r) => <>; raison : {r()}</>}</Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </section>
  )
}

type Step = "view" | "accept" | "refuse"

const PendingProposal = (props: {
  readonly proposal: ProposalForDecision
  readonly others: ReadonlyArray<MapArea>
  readonly onDone: (message: string) => void
}) => {
  const run = useRun()
  const p = () => props.proposal
  const [step, setStep] = createSignal<Step>("view")
  const [name, setName] = createSignal(props.proposal.name)
  const [adjust, setAdjust] = createSignal(false)
  const [perimeter, setPerimeter] = createSignal<Polygon | undefined>(props.proposal.perimeter)
  const [reason, setReason] = createSignal("")
  const [errors, setErrors] = createSignal<{ name?: string; perimeter?: string; reason?: string; form?: string }>({})
  const [busy, setBusy] = createSignal(false)
  const key = () => p().id.slice(0, 8)

  const accept = async (e: SubmitEvent) => {
    e.preventDefault()
    const checked = {
      ...(name().trim() === "" ? { name: "Donnez un nom au quartier." } : {}),
      ...(adjust() && perimeter() === undefined ? { perimeter: "Dessinez le périmètre : au moins 3 points." } : {})
    }
    setErrors(checked)
    if (Object.keys(checked).length > 0) return
    setBusy(true)
    const adjusted = adjust() ? perimeter() : undefined
    const o = await run(Effect.flatMap(Vigie, (client) =>
      client.AcceptProposal({
        proposalId: p().id,
        ...(name().trim() === p().name ? {} : { name: name().trim() }),
        ...(adjusted === undefined ? {} : { perimeter: adjusted })
      })))
    setBusy(false)
    if (o.ok) props.onDone(`Le quartier « ${o.value.name} » est ouvert ; ${p().requesterName} en est le référent.`)
    else {
      const field = o.failure.field === "name" || o.failure.field === "perimeter" ? o.failure.field : "form"
      setErrors({ [field]: o.failure.message })
    }
  }

  const refuse = async (e: SubmitEvent) => {
    e.preventDefault()
    if (reason().trim() === "") {
      setErrors({ reason: "Indiquez la raison du refus : elle est envoyée à la personne." })
      document.getElementById(`refusal-${key()}`)?.focus()
      return
    }
    setBusy(true)
    const o = await run(
      Effect.flatMap(Vigie, (client) => client.RefuseProposal({ proposalId: p().id, reason: reason().trim() }))
    )
    setBusy(false)
    if (o.ok) {
      props.onDone(`La proposition « ${p().name} » est refusée ; ${p().requesterName} est prévenu(e) par e-mail.`)
    } else setErrors({ form: o.failure.message })
  }

  return (
    <li class="card" aria-labelledby={`proposal-${key()}`}>
      <h3 id={`proposal-${key()}`}>{p().name}</h3>
      <p>
        {p().communeName} · proposé par {p().requesterName}, {p().street}, {p().postcode} {p().city} · le{" "}
        {formatDate(p().createdAt)}
      </p>
      <p>
        <strong>Pourquoi :</strong> {p().reason}
      </p>
      <QuartierMap label={`Périmètre proposé pour ${p().name}`}
        areas={[...props.others, { id: p().id, name: `${p().name} (proposé)`, perimeter: p().perimeter }]}
        selected={p().id} />
      <details>
        <summary>Points du périmètre proposé</summary>
        <pre>{formatPoints(pointsOf(p().perimeter))}</pre>
      </details>
      <Show when={step() === "view"}>
        <div class="row-actions">
          <button type="button" aria-label={`Accepter ${p().name}`} onClick={() => setStep("accept")}>Accepter</button>
          <button type="button" class="secondary danger" aria-label={`Refuser ${p().name}`}
            onClick={() => setStep("refuse")}
          >
            Refuser
          </button>
        </div>
      </Show>
      <Show when={step() === "accept"}>
        <form onSubmit={(e) => void accept(e)} novalidate aria-label={`Accepter ${p().name}`}>
          <TextField id={`accept-name-${key()}`} label="Nom du quartier" maxLength={120} value={name()}
            onValue={setName} error={errors().name} />
          <label class="choice">
            <input type="checkbox" checked={adjust()} onChange={(e) => setAdjust(e.currentTarget.checked)} />
            <span>Modifier le périmètre avant d'accepter</span>
          </label>
          <Show when={adjust()}>
            <PerimeterDrawer id={`accept-perimeter-${key()}`} legend="Périmètre du quartier" areas={props.others}
              initial={p().perimeter} onChange={setPerimeter} error={errors().perimeter} />
          </Show>
          <Show when={!adjust() && errors().perimeter}>
            <p class="error" role="alert">{errors().perimeter}</p>
          </Show>
          <FormError message={errors().form} />
          <div class="form-actions">
            <button type="submit" disabled={busy()}>{busy() ? "Ouverture…" : "Ouvrir ce quartier"}</button>
            <button type="button" class="secondary" onClick={() => setStep("view")}>Annuler</button>
          </div>
        </form>
      </Show>
      <Show when={step() === "refuse"}>
        <form onSubmit={(e) => void refuse(e)} novalidate aria-label={`Refuser ${p().name}`}>
          <div class="field" classList={{ invalid: errors().reason !== undefined }}>
            <label for={`refusal-${key()}`}>Raison du refus (envoyée à la personne)</label>
            <textarea id={`refusal-${key()}`} rows={3} maxLength={1000} value={reason()}
              onInput={(e) => setReason(e.currentTarget.value)} aria-invalid={errors().reason !== undefined}
              aria-describedby={errors().reason !== undefined ? `refusal-${key()}-error` : undefined} />
            <Show when={errors().reason}>
              <p class="error" id={`refusal-${key()}-error`} role="alert">{errors().reason}</p>
            </Show>
          </div>
          <FormError message={errors().form} />
          <div class="form-actions">
            <button type="submit" class="danger" disabled={busy()}>
              {busy() ? "Envoi…" : "Refuser la proposition"}
            </button>
            <button type="button" class="secondary" onClick={() => setStep("view")}>Annuler</button>
          </div>
        </form>
      </Show>
    </li>
  )
}
