import { A } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { categoryLabels } from "@vigie/domain/alerts/AlertLabels"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { FlaggedAlert, FlaggedAlertPage } from "@vigie/domain/moderation/ModeratedAlert"
import { Effect, Option } from "effect"
import { For, Show, createSignal, onMount } from "solid-js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { ReasonForm } from "./ActionForms.js"
import { isModeratorMe, reasonLabel, referentOf } from "./Labels.js"

const PAGE = 20

/**
 * The open flags of my communities (a référent; a moderator sees every community): each flagged
 * alert with the members' reasons (not who flagged it), and « Masquer en attendant un modérateur ».
 */
export const ReferentFlags = (props: { readonly me: Me }) => {
  const run = useRun()
  const mine = referentOf(props.me)
  const [community, setCommunity] = createSignal("")
  const [page, setPage] = createSignal<FlaggedAlertPage>()
  const [items, setItems] = createSignal<ReadonlyArray<FlaggedAlert>>([])
  const [error, setError] = createSignal<string>()
  const [open, setOpen] = createSignal<string>()
  const [message, setMessage] = createSignal<string>()

  const load = async (offset?: number) => {
    const outcome = await run(Effect.flatMap(Vigie, (client) =>
      client.ListFlags({
        communityId: community() === "" ? Option.none() : Option.some(community() as CommunityId),
        status: Option.some("open" as const),
        offset: Option.fromNullable(offset),
        limit: PAGE
      })))
    if (!outcome.ok) return setError(outcome.failure.message)
    setError(undefined)
    setPage(outcome.value)
    setItems((old) => (offset === undefined ? outcome.value.items : [...old, ...outcome.value.items]))
  }
  onMount(() => void load())

  return (
    <section aria-labelledby="flags-title" class="wide referent-flags">
      <Show when={isModeratorMe(props.me)}>
        <p>
          <A href="/moderation">← Retour à la file de modération</A>
        </p>
      </Show>
      <h1 id="flags-title">Signalements des membres</h1>
      <p class="small">
        Les alertes que des voisins ont signalées. Vous pouvez en masquer une en attendant qu'un modérateur décide ; son
        auteur est informé du motif, jamais de qui l'a signalée.
      </p>
      <Show when={mine.length > 0}>
        <p>
          <A href="/voisins-sans-internet" class="button secondary">Inscrire un voisin sans internet</A>
        </p>
      </Show>
      <Show when={mine.length > 1}>
        <div class="field">
          <label for="flags-community">Quartier</label>
          <select id="flags-community" value={community()} onChange={(e) => {
            setCommunity(e.currentTarget.value)
            void load()
          }}>
            <option value="">Tous mes quartiers</option>
            <For each={mine}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
        </div>
      </Show>
      <div role="status" aria-live="polite">
        <Show when={message()}>
          <p class="notice success">{message()}</p>
        </Show>
      </div>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <Show when={page()} fallback={
        <Show when={error() === undefined}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        <Show when={items().length > 0} fallback={<p class="empty">Aucun signalement en attente.</p>}>
          <ol class="queue">
            <For each={items()}>
              {(item) => (
                <li>
                  <article class="alert-card flagged-alert" data-alert-id={item.alert.id}
                    aria-labelledby={`flagged-${item.alert.id}`}
                  >
                    <h2 id={`flagged-${item.alert.id}`}>
                      {categoryLabels[item.alert.category]} —{" "}
                      {Option.getOrElse(item.place.communityName, () => item.place.communeName)}
                    </h2>
                    <p class="meta">
                      Par {Option.getOrElse(
                        item.alert.authorName,
                        () => (item.alert.origin === "police" ? "la police municipale" : "la mairie")
                      )} · le {formatDateTime(item.alert.createdAt)} · signalée depuis le{" "}
                      {formatDateTime(item.firstFlaggedAt)}
                    </p>
                    <p class="alert-text">{item.alert.text}</p>
                    <ul class="flags" aria-label="Motifs des signalements">
                      <For each={item.flags}>
                        {(f) => (
                          <li>
                            <strong>{reasonLabel(f.reason)}</strong>
                            <Show when={Option.getOrUndefined(f.text)}>{(t) => <>{" "}— « {t()} »</>}</Show>
                            <span class="small">{" "}({formatDateTime(f.createdAt)})</span>
                          </li>
                        )}
                      </For>
                    </ul>
                    <Show when={Option.getOrUndefined(item.hidden)}
                      fallback={
                        <Show when={open() === item.alert.id}
                          fallback={
                            <button type="button" class="secondary danger" onClick={() => {
                              setOpen(item.alert.id)
                              queueMicrotask(() => document.querySelector<HTMLInputElement>("#reason input")?.focus())
                            }}>
                              Masquer en attendant un modérateur
                            </button>
                          }
                        >
                          <ReasonForm title="Masquer en attendant un modérateur" legend="Motif"
                            intro="Les voisins ne la verront plus ; un modérateur confirmera ou la rétablira. L'auteur est informé du motif."
                            confirm="Masquer l'alerte" done="Alerte masquée en attendant la décision d'un modérateur."
                            onCancel={() => setOpen(undefined)} onDone={(text) => {
                            setOpen(undefined)
                            setMessage(text)
                            void load()
                          }} send={(reason, details) =>
                            run(
                              Effect.flatMap(
                                Vigie,
                                (client) => client.HideAlertPendingReview({ alertId: item.alert.id, reason, details })
                              )
                            )} />
                        </Show>
                      }
                    >
                      {(h) => (
                        <p class="notice">
                          <strong>Masquée</strong> ({reasonLabel(h().reason)}) le {formatDateTime(h().at)}
                          {h().pendingReview ? ", en attente de la décision d'un modérateur." : "."}
                        </p>
                      )}
                    </Show>
                  </article>
                </li>
              )}
            </For>
          </ol>
        </Show>
        <Show when={Option.getOrUndefined(page()!.nextOffset)}>
          {(next) => (
            <button type="button" class="secondary" onClick={() => void load(next())}>Afficher la suite</button>
          )}
        </Show>
      </Show>
    </section>
  )
}
