import { A, useSearchParams } from "@solidjs/router"
import type { MyProposal } from "@vigie/domain/proposals/CommunityProposal"
import { Effect, Option } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { formatDate } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { statusLabel } from "./ProposalLabels.js"

/** The quartiers I proposed, with where each stands; a pending one may be withdrawn. */
export const MyProposals = () => {
  const run = useRun()
  const [params] = useSearchParams()
  const [status, setStatus] = createSignal<string | undefined>(
    params.envoyee === "1"
      ? "Votre proposition est envoyée. Vous recevrez la décision par e-mail."
      : undefined
  )
  const [error, setError] = createSignal<string>()
  const [mine, { refetch }] = createResource(() => run(Effect.flatMap(Vigie, (client) => client.ListMyProposals({}))))
  const list = (): ReadonlyArray<MyProposal> => {
    const o = mine.latest
    return o?.ok === true ? o.value : []
  }

  const withdraw = async (p: MyProposal) => {
    setError(undefined)
    const o = await run(Effect.flatMap(Vigie, (client) => client.WithdrawProposal({ proposalId: p.id })))
    if (o.ok) {
      setStatus(`Votre proposition « ${p.name} » est retirée.`)
      void refetch()
    } else setError(o.failure.message)
  }

  return (
    <section aria-labelledby="my-proposals-title">
      <p>
        <A href="/profil">Retour au profil</A>
      </p>
      <h1 id="my-proposals-title">Mes propositions de quartier</h1>
      <p class="ok-note" role="status" aria-live="polite" hidden={status() === undefined}>{status()}</p>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <Show when={mine()?.ok === false}>
        <p class="form-error" role="alert">
          {mine()?.ok === false ? (mine() as { failure: { message: string } }).failure.message : ""}
        </p>
      </Show>
      <Show when={!mine.loading || mine.latest !== undefined} fallback={<p aria-busy="true">Chargement…</p>}>
        <Show when={list().length > 0} fallback={<p class="empty">Vous n'avez proposé aucun quartier.</p>}>
          <ul class="cards" aria-label="Mes propositions">
            <For each={list()}>
              {(p) => (
                <li class="card">
                  <h2>{p.name}</h2>
                  <p>{p.communeName} · proposé le {formatDate(p.createdAt)}</p>
                  <p>
                    <strong>{statusLabel[p.status]}</strong>
                  </p>
                  <Show when={Option.getOrUndefined(p.refusalReason)}>
                    {(reason) => <p>Raison donnée : {reason()}</p>}
                  </Show>
                  <Show when={p.status === "accepted"}>
                    <p class="small">
                      Vous en êtes le référent dès que votre adresse est vérifiée.{" "}
                      <A href="/activer">Activer mon adresse</A>
                    </p>
                  </Show>
                  <Show when={p.status === "pending"}>
                    <button type="button" class="secondary" aria-label={`Retirer la proposition ${p.name}`}
                      onClick={() => void withdraw(p)}
                    >
                      Retirer
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <p>
        <A class="button secondary" href="/proposer">Proposer un quartier</A>
      </p>
    </section>
  )
}
