import { A } from "@solidjs/router"
import type { ConversationSummary } from "@vigie/domain/messaging/Conversation"
import { Effect } from "effect"
import { For, Show, createSignal, onMount } from "solid-js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { onConversationChanged } from "./LiveConversations.js"

const title = (c: ConversationSummary) => (c.names.length === 0 ? "Conversation terminée" : c.names.join(", "))

/** My conversations, latest first, kept live; and whether unread messages are e-mailed to me. */
export const MessagesPage = () => {
  const run = useRun()
  const [conversations, setConversations] = createSignal<ReadonlyArray<ConversationSummary>>()
  const [error, setError] = createSignal<string>()
  const [emailed, setEmailed] = createSignal<boolean>()
  const load = async () => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.ListConversations({})))
    if (outcome.ok) setConversations(outcome.value.conversations)
    else setError(outcome.failure.message)
  }
  onMount(async () => {
    void load()
    const prefs = await run(Effect.flatMap(Vigie, (client) => client.GetMessagingPreferences({})))
    if (prefs.ok) setEmailed(prefs.value.emailWhenUnread)
  })
  onConversationChanged(() => void load())
  const toggle = async (on: boolean) => {
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.UpdateMessagingPreferences({ emailWhenUnread: on }))
    )
    if (outcome.ok) setEmailed(outcome.value.emailWhenUnread)
    else setError(outcome.failure.message)
  }
  return (
    <section aria-labelledby="messages-title">
      <h1 id="messages-title">Messages</h1>
      <p class="small">
        Vos conversations sont privées : seuls leurs participants les lisent. La modération ne lit un message que s'il
        lui est signalé.
      </p>
      <Show when={error()}>{(message) => <p class="error" role="alert">{message()}</p>}</Show>
      <Show when={conversations()} fallback={<p aria-busy="true">Chargement…</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={
            <p>
              Aucune conversation pour l'instant. Écrivez à un voisin depuis l'annuaire, une alerte ou la Gazette.
            </p>
          }>
            <ul class="conversations">
              <For each={list()}>
                {(c) => (
                  <li>
                    <A href={`/messages/${c.id}`}>
                      <strong>{title(c)}</strong>
                      <Show when={c.unread > 0}>
                        {" "}
                        <span class="badge unread">{c.unread} non lu{c.unread > 1 ? "s" : ""}</span>
                      </Show>
                    </A>
                    <p class="meta">{formatDateTime(c.lastMessageAt)}</p>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
      <Show when={emailed() !== undefined}>
        <label class="checkbox">
          <input type="checkbox" checked={emailed()} onChange={(e) => void toggle(e.currentTarget.checked)} />
          M'envoyer un e-mail quand un message m'attend depuis 15 minutes (au plus un par conversation et par jour)
        </label>
      </Show>
    </section>
  )
}
