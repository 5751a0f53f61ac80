import { A, useNavigate, useParams } from "@solidjs/router"
import type { ConversationId, ConversationView, MessageId, MessageView } from "@vigie/domain/messaging/Conversation"
import type { UploadId } from "@vigie/domain/media/Upload"
import type { HideReason } from "@vigie/domain/moderation/HideReason"
import { Effect } from "effect"
import { For, Index, Show, createSignal, onMount } from "solid-js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { BlockButton } from "../directory/BlockButton.js"
import { HIDE_REASONS, reasonLabel } from "../moderation/Labels.js"
import { Composer } from "./Composer.js"
import { onConversationChanged } from "./LiveConversations.js"
import { MessageText } from "./MessageText.js"

/** Who has read my messages: each other member under the latest of mine they have read. */
export const seenBy = (view: ConversationView): ReadonlyMap<number, ReadonlyArray<string>> => {
  const seen = new Map<number, Array<string>>()
  for (const other of view.others) {
    const last = [...view.messages].reverse().find((m) => m.mine && m.id <= other.lastReadId)
    if (last !== undefined) seen.set(last.id, [...(seen.get(last.id) ?? []), other.name])
  }
  return seen
}

const ReportForm = (props: { readonly messageId: MessageId; readonly onDone: (message: string) => void }) => {
  const run = useRun()
  const [reason, setReason] = createSignal<HideReason>("insulting")
  const [note, setNote] = createSignal("")
  const [error, setError] = createSignal<string>()
  const submit = async (e: Event) => {
    e.preventDefault()
    const outcome = await run(
      Effect.flatMap(
        Vigie,
        (client) => client.ReportMessage({ messageId: props.messageId, reason: reason(), note: note() })
      )
    )
    if (outcome.ok) props.onDone("Message signalé : la modération le lira, avec les messages qui l'entourent.")
    else setError(outcome.failure.message)
  }
  return (
    <form class="report" onSubmit={submit} aria-label="Signaler ce message">
      <label for={`reason-${props.messageId}`}>Pourquoi ?</label>
      <select id={`reason-${props.messageId}`} value={reason()}
        onChange={(e) => setReason(e.currentTarget.value as HideReason)}
      >
        <For each={HIDE_REASONS}>{(value) => <option value={value}>{reasonLabel(value)}</option>}</For>
      </select>
      <label for={`note-${props.messageId}`}>Précisez (facultatif)</label>
      <input id={`note-${props.messageId}`} maxLength={500} value={note()}
        onInput={(e) => setNote(e.currentTarget.value)} />
      <Show when={error()}>{(m) => <p class="error" role="alert">{m()}</p>}</Show>
      <button type="submit" class="secondary">Envoyer le signalement</button>
    </form>
  )
}

const Message = (props: { readonly message: MessageView; readonly seen: ReadonlyArray<string> | undefined }) => {
  const [reporting, setReporting] = createSignal(false)
  const [reported, setReported] = createSignal<string>()
  return (
    <li class={props.message.mine ? "message mine" : "message"}>
      <p class="meta">
        <strong>{props.message.mine ? "Vous" : props.message.authorName}</strong> ·{" "}
        {formatDateTime(props.message.sentAt)}
      </p>
      <Show when={props.message.body !== null} fallback={<p class="meta">Message supprimé</p>}>
        <MessageText text={props.message.body ?? ""} clickable={props.message.linksClickable} />
      </Show>
      <For each={props.message.photos}>
        {(id) => <img src={`/media/${id}`} alt="Photo jointe au message" loading="lazy" class="message-photo" />}
      </For>
      <Show when={props.seen}>{(names) => <p class="meta seen">Vu par {names().join(", ")}</p>}</Show>
      <Show when={!props.message.mine && props.message.body !== null}>
        <Show when={reported()}
          fallback={
            <Show when={reporting()}
              fallback={<button type="button" class="link" onClick={() => setReporting(true)}>Signaler</button>}
            >
              <ReportForm messageId={props.message.id} onDone={(m) => setReported(m)} />
            </Show>
          }
        >
          {(m) => <p class="notice" role="status">{m()}</p>}
        </Show>
      </Show>
    </li>
  )
}

/** One conversation: its messages (live), "Vu par", the message box, older messages, report, leave. */
export const ConversationPage = () => {
  const params = useParams<{ id: string }>()
  const navigate = useNavigate()
  const run = useRun()
  const id = () => params.id as ConversationId
  const [view, setView] = createSignal<ConversationView>()
  const [older, setOlder] = createSignal<ReadonlyArray<MessageView>>([])
  // The cursor to the page before the oldest shown: the latest page's, then each older page's.
  const [olderCursor, setOlderCursor] = createSignal<MessageId | null | undefined>(undefined)
  const [error, setError] = createSignal<string>()
  const [announce, setAnnounce] = createSignal("")

  const markRead = async (v: ConversationView) => {
    const last = v.messages[v.messages.length - 1]
    if (last === undefined || v.unread === 0) return
    await run(Effect.flatMap(Vigie, (client) => client.MarkConversationRead({ conversationId: v.id, upTo: last.id })))
  }

  const load = async () => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.GetConversation({ conversationId: id() })))
    if (!outcome.ok) {
      setError(outcome.failure.message)
      return
    }
    const before = view()
    const fresh = outcome.value.messages.filter((m) =>
      !m.mine && before !== undefined && !before.messages.some((b) => b.id === m.id)
    )
    if (fresh.length > 0) {
      setAnnounce(`Nouveau message de ${fresh[fresh.length - 1]!.authorName} : ${fresh[fresh.length - 1]!.body ?? ""}`)
    }
    setView(outcome.value)
    setError(undefined)
    await markRead(outcome.value)
  }

  onMount(() => void load())
  onConversationChanged((changed) => {
    if (changed === id()) void load()
  })

  const loadOlder = async (before: MessageId) => {
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.GetConversation({ conversationId: id(), before }))
    )
    if (outcome.ok) {
      setOlder((old) => [...outcome.value.messages, ...old])
      setOlderCursor(outcome.value.olderBefore)
    }
  }
  const nextOlder = () => (olderCursor() === undefined ? view()?.olderBefore ?? null : olderCursor() ?? null)

  const send = async (text: string, photos: ReadonlyArray<UploadId>) => {
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.SendMessage({ conversationId: id(), text, photos }))
    )
    if (!outcome.ok) return outcome.failure.message
    await load()
    return undefined
  }

  const leave = async () => {
    if (!window.confirm("Quitter cette conversation ? Vous n'en recevrez plus les messages.")) return
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.LeaveConversation({ conversationId: id() })))
    if (outcome.ok) navigate("/messages")
    else setError(outcome.failure.message)
  }

  return (
    <section aria-labelledby="conversation-title" class="conversation">
      <p>
        <A href="/messages">← Tous les messages</A>
      </p>
      <Show when={error()}>{(m) => <p class="error" role="alert">{m()}</p>}</Show>
      <p class="sr-only" aria-live="polite" data-testid="live-announce">{announce()}</p>
      <Show when={view()} fallback={
        <Show when={error() === undefined}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        {(v) => (
          <>
            <h1 id="conversation-title">
              {v().others.length === 0 ? "Conversation" : `Avec ${v().others.map((o) => o.name).join(", ")}`}
            </h1>
            <Show when={nextOlder()}>
              {(before) => (
                <button type="button" class="link" onClick={() => void loadOlder(before())}>
                  Messages plus anciens
                </button>
              )}
            </Show>
            <ol class="messages" aria-label="Messages">
              <For each={older()}>{(m) => <Message message={m} seen={undefined} />}</For>
              {/* By position: a reload (a live change) keeps each message's open report form. */}
              <Index each={v().messages}>{(m) => <Message message={m()} seen={seenBy(v()).get(m().id)} />}</Index>
            </ol>
            <Composer label="Votre message" onSend={send} />
            <div class="conversation-actions">
              <button type="button" class="secondary" onClick={() => void leave()}>Quitter la conversation</button>
              {/* One-to-one: block from where the unwanted messages arrive (the annuaire's same wording). */}
              <Show when={v().kind === "direct" ? v().others[0] : undefined}>
                {(other) => (
                  <Show when={other().accountId}>
                    {(accountId) => (
                      <BlockButton accountId={accountId()} name={other().name} blocked={other().blockedByMe}
                        onChange={() => void load()} />
                    )}
                  </Show>
                )}
              </Show>
            </div>
          </>
        )}
      </Show>
    </section>
  )
}
