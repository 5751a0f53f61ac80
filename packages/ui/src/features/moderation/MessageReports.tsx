import type { MessageReportId } from "@vigie/domain/messaging/Conversation"
import type { MessageReportSummary, ReportedContext } from "@vigie/domain/messaging/MessageReport"
import { Effect } from "effect"
import { For, Show, createSignal, onMount } from "solid-js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { reasonLabel } from "./Labels.js"

/**
 * Reported private messages: the queue shows why and when, never the message; "Lire" shows the
 * message and the ten around it in its conversation, and nothing else (each reading is written to
 * the audit log); "Classer" closes the report.
 */
export const MessageReports = () => {
  const run = useRun()
  const [reports, setReports] = createSignal<ReadonlyArray<MessageReportSummary>>()
  const [reading, setReading] = createSignal<ReportedContext>()
  const [error, setError] = createSignal<string>()
  const [note, setNote] = createSignal("")
  const load = async () => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.ListMessageReports({})))
    if (outcome.ok) setReports(outcome.value)
    else setError(outcome.failure.message)
  }
  onMount(() => void load())
  const read = async (reportId: MessageReportId) => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.ReadMessageReport({ reportId })))
    if (outcome.ok) setReading(outcome.value)
    else setError(outcome.failure.message)
  }
  const close = async (reportId: MessageReportId) => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.CloseMessageReport({ reportId, note: note() })))
    if (!outcome.ok) return setError(outcome.failure.message)
    setReading(undefined)
    setNote("")
    await load()
  }
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Messages signalés</h1>
      <p class="small">
        Vous ne lisez que le message signalé et les dix qui l'entourent. Chaque lecture est inscrite au journal de
        modération.
      </p>
      <Show when={error()}>{(m) => <p class="error" role="alert">{m()}</p>}</Show>
      <Show when={reading()}>
        {(ctx) => (
          <article aria-labelledby="context-title" class="card">
            <h2 id="context-title">Signalement : {reasonLabel(ctx().report.reason)}</h2>
            <Show when={ctx().report.note}>{(n) => <p>Précision : « {n()} »</p>}</Show>
            <ol class="messages" aria-label="Le message signalé et son contexte">
              <For each={ctx().lines}>
                {(line) => (
                  <li class={line.reported ? "message reported" : "message"}
                    aria-current={line.reported ? "true" : undefined}
                  >
                    <p class="meta">
                      <strong>{line.authorName}</strong> · {formatDateTime(line.sentAt)}
                      <Show when={line.reported}>
                        {" "}
                        <span class="badge status">Signalé</span>
                      </Show>
                    </p>
                    <p style={{ "white-space": "pre-wrap" }}>{line.body ?? "Message supprimé"}</p>
                  </li>
                )}
              </For>
            </ol>
            <label for="close-note">Note (facultative)</label>
            <input id="close-note" maxLength={500} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
            <button type="button" class="primary" onClick={() => void close(ctx().report.id)}>
              Classer le signalement
            </button>
          </article>
        )}
      </Show>
      <Show when={reports()} fallback={<p aria-busy="true">Chargement…</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p>Aucun message signalé.</p>}>
            <ul class="reports">
              <For each={list()}>
                {(r) => (
                  <li>
                    <p>
                      <strong>{reasonLabel(r.reason)}</strong> · {formatDateTime(r.createdAt)}
                      <Show when={r.note}>{(n) => <>· « {n()} »</>}</Show>
                    </p>
                    <button type="button" class="secondary" onClick={() => void read(r.id)}>Lire le message</button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  )
}
