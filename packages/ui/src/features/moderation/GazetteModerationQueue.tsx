import { A } from "@solidjs/router"
import type { GazetteQueueEntry, GazetteQueueReason } from "@vigie/domain/gazette/GazetteModerationItem"
import type { PostKind } from "@vigie/domain/gazette/GazettePost"
import { Effect, Option } from "effect"
import { For, Match, Show, Switch, createSignal, onMount } from "solid-js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { type Outcome, useRun } from "../../lib/runtime.js"
import { DecideForm, NoteConfirm, ReasonForm } from "./ActionForms.js"
import { holdReasonLabels, reasonLabel } from "./Labels.js"

const PAGE = 20

/** What a Gazette post is, as the console names it. */
export const postKindLabels: Record<PostKind, string> = {
  annonce: "Petite annonce",
  entraide: "Entraide",
  covoiturage: "Covoiturage",
  perdu_trouve: "Perdu / trouvé",
  vie_du_quartier: "Vie du quartier",
  compte_rendu: "Compte-rendu",
  communication: "Communication de la mairie",
  evenement: "Événement"
}

const reasonLabels: Record<GazetteQueueReason, string> = {
  held: "Retenue avant publication",
  flagged: "Signalée par des membres",
  appealed: "Masquage contesté par l'auteur"
}

type Action = "approve" | "hide" | "restore" | "decide"

/**
 * The Gazette's items waiting for a moderator, beside the alerts' queue: held, flagged or appealed
 * posts, oldest first, each with its kind, its quartier, its text, why it waits, the members' flags
 * (never who flagged), its author's display name and history, and the actions that fit it. One form
 * open at a time; every action asks for confirmation or a reason first.
 */
export const GazetteModerationQueue = () => {
  const run = useRun()
  const [entries, setEntries] = createSignal<ReadonlyArray<GazetteQueueEntry>>()
  const [next, setNext] = createSignal<GazetteQueueEntry["since"]>()
  const [nextId, setNextId] = createSignal<string>()
  const [loadError, setLoadError] = createSignal<string>()
  const [open, setOpen] = createSignal<{ readonly itemId: string; readonly action: Action }>()
  const [message, setMessage] = createSignal<string>()

  const load = async (more: boolean) => {
    const since = next()
    const itemId = nextId()
    const cursor = more && since !== undefined && itemId !== undefined ? { since, itemId } : undefined
    const outcome = await run(
      Effect.flatMap(
        Vigie,
        (client) => client.ListGazetteModerationQueue({ limit: PAGE, ...(cursor === undefined ? {} : { cursor }) })
      )
    )
    if (!outcome.ok) return setLoadError(outcome.failure.message)
    setLoadError(undefined)
    const page = outcome.value
    setEntries((before) => (more ? [...(before ?? []), ...page.entries] : page.entries))
    setNext(Option.getOrUndefined(Option.map(page.next, (c) => c.since)))
    setNextId(Option.getOrUndefined(Option.map(page.next, (c) => c.itemId)))
  }
  onMount(() => void load(false))

  const done = (text: string) => {
    setOpen(undefined)
    setMessage(text)
    void load(false)
  }
  const call = <A,>(f: (client: Vigie["Type"]) => Effect.Effect<A, unknown>): Promise<Outcome<A>> =>
    run(Effect.flatMap(Vigie, f))

  return (
    <section aria-labelledby="gazette-queue-title" class="wide moderation-console">
      <h1 id="gazette-queue-title">Modération de la Gazette</h1>
      <p class="row links">
        <A href="/moderation">File des alertes</A>
        <A href="/moderation/journal">Journal de modération</A>
      </p>
      <div role="status" aria-live="polite" class="status-line">
        <Show when={message()}>
          <p class="notice success">{message()}</p>
        </Show>
      </div>
      <Show when={loadError()}>
        <p class="form-error" role="alert">{loadError()}</p>
      </Show>
      <Show when={entries()} fallback={
        <Show when={loadError() === undefined}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        {(list) => (
          <>
            <Show when={list().length > 0} fallback={<p class="empty">Rien en attente.</p>}>
              <ol class="queue">
                <For each={list()}>
                  {(entry) => {
                    const itemId = Option.getOrElse(entry.commentId, () => entry.postId as string)
                    const target = { postId: entry.postId, commentId: entry.commentId }
                    const comment = entry.item === "comment"
                    const opened = (action: Action) => open()?.itemId === itemId && open()?.action === action
                    const toggle = (action: Action) => () => setOpen(opened(action) ? undefined : { itemId, action })
                    const cancel = () => setOpen(undefined)
                    return (
                      <li>
                        <article class="queue-item" data-item={itemId}
                          aria-label={comment ? `Commentaire sur ${entry.title}` : entry.title}
                        >
                          <header>
                            <p class="kind">
                              {comment ? `Commentaire sur : ${postKindLabels[entry.kind]}` : postKindLabels[entry.kind]}
                              {" "}
                              · {entry.quartier} · depuis le {formatDateTime(entry.since)}
                            </p>
                            <h3>{entry.title}</h3>
                            <p class="reasons">{entry.reasons.map((r) => reasonLabels[r]).join(" ; ")}</p>
                          </header>
                          <p class="alert-text">{entry.body}</p>
                          <Show when={entry.holdReasons.length > 0}>
                            <p>Retenue : {entry.holdReasons.map((r) => holdReasonLabels[r]).join(" ; ")}</p>
                          </Show>
                          <Show when={entry.flags.length > 0}>
                            <ul class="flags" aria-label="Signalements">
                              <For each={entry.flags}>
                                {(flag) => (
                                  <li>
                                    {reasonLabel(flag.reason)}
                                    <Show when={Option.getOrUndefined(flag.text)}>
                                      {(text) => <>{` : « ${text()} »`}</>}
                                    </Show>
                                  </li>
                                )}
                              </For>
                            </ul>
                          </Show>
                          <Show when={Option.getOrUndefined(entry.hidden)}>
                            {(hidden) => <p>Masquée : {reasonLabel(hidden().reason)}</p>}
                          </Show>
                          <Show when={Option.getOrUndefined(entry.appeal)}>
                            {(appeal) => <p class="appeal">Contestation de l'auteur : « {appeal().text} »</p>}
                          </Show>
                          <p class="author">
                            {entry.authorName} · {entry.authorHistory.posts} publication(s), dont{" "}
                            {entry.authorHistory.held} retenue(s) et {entry.authorHistory.hidden} masquée(s)
                          </p>
                          <Show when={entry.actionable} fallback={
                            <p class="notice">
                              Vous avez masqué cette publication : un autre modérateur doit trancher la contestation.
                            </p>
                          }>
                            <div class="row actions" role="group" aria-label="Actions">
                              <Switch>
                                <Match when={Option.isSome(entry.appeal)}>
                                  <button type="button" class="secondary" aria-expanded={opened("decide")}
                                    onClick={toggle("decide")}
                                  >
                                    Trancher la contestation
                                  </button>
                                </Match>
                                <Match when={entry.status === "hidden"}>
                                  <button type="button" class="secondary" aria-expanded={opened("restore")}
                                    onClick={toggle("restore")}
                                  >
                                    Rétablir
                                  </button>
                                </Match>
                                <Match when={true}>
                                  <Show when={entry.status === "held_for_review"}>
                                    <button type="button" class="secondary" aria-expanded={opened("approve")}
                                      onClick={toggle("approve")}
                                    >
                                      Approuver et publier
                                    </button>
                                  </Show>
                                  <button type="button" class="secondary danger" aria-expanded={opened("hide")}
                                    onClick={toggle("hide")}
                                  >
                                    Masquer
                                  </button>
                                </Match>
                              </Switch>
                            </div>
                          </Show>
                          <Switch>
                            <Match when={opened("approve")}>
                              <NoteConfirm title="Approuver la publication"
                                question="Publier cette publication dans la Gazette de son quartier ?"
                                confirm="Oui, publier" done="Publication approuvée : elle est dans la Gazette."
                                onCancel={cancel} onDone={done}
                                send={(note) => call((c) => c.ApproveGazettePost({ ...target, note }))} />
                            </Match>
                            <Match when={opened("hide")}>
                              <ReasonForm title="Masquer la publication" legend="Motif du masquage"
                                intro="Les voisins ne la verront plus. L'auteur est informé du motif. Rien n'est effacé."
                                confirm="Masquer la publication"
                                done="Publication masquée. L'auteur est informé du motif." onCancel={cancel}
                                onDone={done}
                                send={(reason, details) =>
                                  call((c) => c.HideGazettePost({ ...target, reason, details }))} />
                            </Match>
                            <Match when={opened("restore")}>
                              <NoteConfirm title="Rétablir la publication"
                                question="Publier de nouveau cette publication dans la Gazette ?"
                                confirm="Oui, rétablir" done="Publication rétablie." onCancel={cancel} onDone={done}
                                send={(note) => call((c) => c.RestoreGazettePost({ ...target, note }))} />
                            </Match>
                            <Match when={opened("decide") ? Option.getOrUndefined(entry.appeal) : undefined}>
                              {(appeal) => (
                                <DecideForm title="Trancher la contestation" onCancel={cancel} onDone={done}
                                  subject={{ the: "la publication", restored: "rétablie", hidden: "masquée" }}
                                  send={(decision, reason) =>
                                    call((c) => c.DecideGazetteAppeal({ appealId: appeal().id, decision, reason }))} />
                              )}
                            </Match>
                          </Switch>
                        </article>
                      </li>
                    )
                  }}
                </For>
              </ol>
            </Show>
            <Show when={next()}>
              <button type="button" class="secondary" onClick={() => void load(true)}>
                Afficher la suite de la file
              </button>
            </Show>
          </>
        )}
      </Show>
    </section>
  )
}
