import type { AlertId } from "@vigie/domain/alerts/Alert"
import { alertStatusLabels, categoryLabels, urgencyLabels } from "@vigie/domain/alerts/AlertLabels"
import type { SharedAlert } from "@vigie/domain/mairie/SharedAlert"
import { Effect, Fiber, Option, Schedule, Stream } from "effect"
import { For, Show, createSignal, onCleanup, onMount } from "solid-js"
import { FormError } from "../../components/Field.js"
import { CategoryIcon } from "../../components/Icons.js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun, useRuntime } from "../../lib/runtime.js"
import { type CommuneStaff, sideLabels } from "./Staff.js"

const NOTE_MAX = 2000

/** One shared alert: what residents reported, who took note, the staff's notes, and "Pris en compte". */
const SharedAlertCard = (props: {
  readonly item: SharedAlert
  readonly staff: CommuneStaff
  readonly fresh: boolean
  readonly onChange: (item: SharedAlert) => void
}) => {
  const run = useRun()
  const [note, setNote] = createSignal("")
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()
  const a = () => props.item.alert
  const mine = () => props.item.acknowledgements.find((k) => k.role === props.staff.side)
  const noteId = () => `note-${a().id}`

  const acknowledge = async (event: Event) => {
    event.preventDefault()
    const text = note().trim()
    if (text.length > NOTE_MAX) return setError(`${NOTE_MAX} caractères au maximum.`)
    if (mine() !== undefined && text === "") return setError("Écrivez la note à ajouter.")
    setBusy(true)
    setError(undefined)
    const o = await run(
      Effect.flatMap(
        Vigie,
        (client) =>
          client.AcknowledgeSharedAlert({ alertId: a().id, note: text === "" ? Option.none() : Option.some(text) })
      )
    )
    setBusy(false)
    if (!o.ok) return setError(o.failure.message)
    setNote("")
    props.onChange(o.value)
  }

  return (
    <article class="alert-card" classList={{ urgent: a().urgency === "urgent", fresh: props.fresh }}
      aria-labelledby={`shared-${a().id}-title`}
    >
      <div class="alert-head">
        <CategoryIcon category={a().category} />
        <div>
          <h2 id={`shared-${a().id}-title`}>{categoryLabels[a().category]}</h2>
          <p class="meta">
            <span class="badge" classList={{ urgent: a().urgency === "urgent" }}>{urgencyLabels[a().urgency]}</span>
            <span class="badge status" data-status={a().status}>{alertStatusLabels[a().status]}</span>
            <Show when={props.fresh}>
              <span class="badge new">Nouveau</span>
            </Show>
          </p>
        </div>
      </div>
      <p class="alert-text">{a().text}</p>
      <Show when={Option.getOrUndefined(a().place)}>{(place) => <p class="meta">Lieu : {place()}</p>}</Show>
      <p class="meta">
        {formatDateTime(a().createdAt)} · {props.item.communityName}
        {a().origin === "sms" ? " · par SMS" : ""}
      </p>
      <ul class="acks" aria-label="Prise en compte">
        <For each={["mairie", "police"] as const}>
          {(side) => (
            <li>
              <Show when={props.item.acknowledgements.find((k) => k.role === side)}
                fallback={<>{sideLabels[side]} : pas encore pris en compte</>}
              >
                {(k) => (
                  <>
                    <strong>{sideLabels[side]}</strong> : pris en compte le {formatDateTime(k().acknowledgedAt)}
                  </>
                )}
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.item.notes.length > 0}>
        <h3 class="small">Notes internes (jamais montrées aux habitants)</h3>
        <ul class="notes">
          <For each={props.item.notes}>
            {(n) => (
              <li>
                <span class="meta">{sideLabels[n.role]} · {formatDateTime(n.createdAt)}</span>
                <p>{n.text}</p>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form onSubmit={acknowledge} novalidate aria-label={`Prise en compte : ${categoryLabels[a().category]}`}>
        <div class="field">
          <label for={noteId()}>Note interne {mine() === undefined ? "(facultative)" : "à ajouter"}</label>
          <textarea id={noteId()} rows="2" value={note()} onInput={(e) => setNote(e.currentTarget.value)}
            aria-invalid={error() !== undefined} aria-describedby={error() ? `${noteId()}-error` : undefined} />
        </div>
        <Show when={error()}>
          <p class="error" id={`${noteId()}-error`} role="alert">{error()}</p>
        </Show>
        <button type="submit" class="primary" disabled={busy()}>
          {busy() ? "Enregistrement…" : mine() === undefined ? "Pris en compte" : "Ajouter la note"}
        </button>
      </form>
    </article>
  )
}

/** The alerts residents of the commune shared with the mairie and the police, newest first, live. */
export const AuthoritiesInbox = (props: { readonly staff: CommuneStaff }) => {
  const run = useRun()
  const runtime = useRuntime()
  const [items, setItems] = createSignal<ReadonlyArray<SharedAlert>>([])
  const [fresh, setFresh] = createSignal<ReadonlySet<AlertId>>(new Set())
  const [loading, setLoading] = createSignal(true)
  const [error, setError] = createSignal<string>()
  const [live, setLive] = createSignal<"connecting" | "on" | "retrying">("connecting")
  const [announce, setAnnounce] = createSignal("")

  const upsert = (item: SharedAlert, isNew: boolean) => {
    const known = items().some((i) => i.alert.id === item.alert.id)
    setItems((old) => (known ? old.map((i) => (i.alert.id === item.alert.id ? item : i)) : [item, ...old]))
    if (!known && isNew) {
      setFresh((s) => new Set([...s, item.alert.id]))
      setAnnounce(`Nouvelle alerte partagée : ${item.alert.text.slice(0, 80)}`)
    }
  }

  onMount(() => {
    void run(
      Effect.flatMap(
        Vigie,
        (client) =>
          client.ListAuthoritiesInbox({ insee: props.staff.insee, before: Option.none(), beforeId: Option.none(),
            limit: 50 })
      )
    ).then((o) => {
      setLoading(false)
      if (!o.ok) return setError(o.failure.message)
      const seen = new Set(items().map((i) => i.alert.id))
      setItems((old) => [...old, ...o.value.items.filter((i) => !seen.has(i.alert.id))])
    })
    const fiber = runtime.runFork(
      Effect.flatMap(Vigie, (client) =>
        client.WatchAuthoritiesInbox({ insee: props.staff.insee }).pipe(
          Stream.runForEach((item) =>
            Effect.sync(() => {
              setLive("on")
              upsert(item, true)
            })
          )
        )).pipe(
          Effect.tapErrorCause(() => Effect.sync(() => setLive("retrying"))),
          Effect.retry(Schedule.exponential("2 seconds").pipe(Schedule.union(Schedule.spaced("30 seconds")))),
          Effect.forever
        )
    )
    const opened = setTimeout(() => setLive((s) => (s === "connecting" ? "on" : s)), 800)
    onCleanup(() => {
      clearTimeout(opened)
      void runtime.runPromise(Fiber.interrupt(fiber))
    })
  })

  return (
    <section class="wide" aria-labelledby="inbox-title">
      <div class="feed-head">
        <h1 id="inbox-title">Alertes partagées avec la mairie et la police</h1>
        <p class="live" data-live={live()}>
          <span class="dot" aria-hidden="true" />
          {live() === "on" ? "En direct" : live() === "retrying" ? "Reconnexion…" : "Connexion…"}
        </p>
      </div>
      <p class="small">Les habitants voient que vous avez pris en compte leur alerte, jamais vos notes internes.</p>
      <div class="sr-only" aria-live="assertive">{announce()}</div>
      <FormError message={error()} />
      <Show when={!loading() || items().length > 0} fallback={<p aria-busy="true">Chargement…</p>}>
        <Show when={items().length > 0} fallback={<p class="empty">Aucune alerte partagée pour l'instant.</p>}>
          <ol class="feed" aria-label="Alertes partagées">
            <For each={items()}>
              {(item) => (
                <li>
                  <SharedAlertCard item={item} staff={props.staff} fresh={fresh().has(item.alert.id)}
                    onChange={(next) => upsert(next, false)} />
                </li>
              )}
            </For>
          </ol>
        </Show>
      </Show>
    </section>
  )
}
