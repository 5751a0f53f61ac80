import type { Me } from "@vigie/domain/accounts/Me"
import type { AlertId } from "@vigie/domain/alerts/Alert"
import type { AlertView } from "@vigie/domain/alerts/AlertView"
import type { ReactionKind, ReactionSummary, Reactor } from "@vigie/domain/alerts/AlertReaction"
import type { AlertAcknowledgements } from "@vigie/domain/mairie/SharedAlert"
import { Effect, Fiber, Option, Schedule, Stream } from "effect"
import { For, Show, createSignal, onCleanup, onMount } from "solid-js"
import { FormError } from "../../components/Field.js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun, useRuntime } from "../../lib/runtime.js"

/** Whether I am a verified member of a community the alert reaches: only then may I mark it. */
export const mayMark = (me: Me, alert: AlertView): boolean =>
  alert.status === "published" &&
  me.memberships.some((m) => {
    if (m.membership.status !== "verified") return false
    const scope = alert.scope
    return scope._tag === "Community"
      ? m.community.id === scope.communityId
      : m.community.insee === scope.insee &&
        Option.match(scope.communityIds, { onNone: () => true, onSome: (ids) => ids.includes(m.community.id) })
  })

const kinds = {
  going: { button: "J'y vais", title: "J'y vais", verb: (n: number) => (n > 1 ? "y vont" : "y va") },
  seen: { button: "Vu", title: "Vu", verb: (n: number) => (n > 1 ? "l'ont vue" : "l'a vue") }
} as const satisfies Record<ReactionKind, unknown>

/** "2 y vont · 1 l'a vue": the marks of an alert in short, as a feed card shows them. */
export const reactionCountsLabel = (going: number, seen: number): string | undefined => {
  const parts = [
    ...(going > 0 ? [`${going} ${kinds.going.verb(going)}`] : []),
    ...(seen > 0 ? [`${seen} ${kinds.seen.verb(seen)}`] : [])
  ]
  return parts.length === 0 ? undefined : parts.join(" · ")
}

/** One mark seen twice: the same name at the same instant (marks carry no account id). */
const sameMark = (a: Reactor, b: Reactor): boolean => a.name === b.name && a.at.epochMillis === b.at.epochMillis

/**
 * The neighbours' "J'y vais" and "Vu" on an alert: who, for everyone who may read it, and my own two
 * toggle buttons when I may mark it. Others' marks arrive live (AlertReactionsChanged, then a re-read).
 */
export const AlertReactionsPanel = (props: { readonly alert: AlertView; readonly me: Me }) => {
  const run = useRun()
  const runtime = useRuntime()
  const [summary, setSummary] = createSignal<ReactionSummary>()
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [announce, setAnnounce] = createSignal("")
  const alertId = () => props.alert.id

  const mine = (kind: ReactionKind) => summary()?.[kind].some((r) => r.mine) === true

  /** Takes a fresh summary, telling screen readers who joined since the last one (others only). */
  const take = (next: ReactionSummary) => {
    const before = summary()
    if (before !== undefined) {
      const news = (["going", "seen"] as const).flatMap((kind) =>
        next[kind]
          .filter((r) => !r.mine && !before[kind].some((b) => sameMark(b, r)))
          .map((r) => `${r.name} ${kinds[kind].verb(1)}.`)
      )
      if (news.length > 0) setAnnounce(news.join(" "))
    }
    setSummary(next)
  }

  onMount(() => {
    void run(Effect.flatMap(Vigie, (client) => client.GetAlertReactions({ alertId: alertId() }))).then((o) => {
      if (o.ok) take(o.value)
      else setError(o.failure.message)
    })
    const fiber = runtime.runFork(
      Effect.flatMap(Vigie, (client) =>
        client.WatchLiveEvents({}).pipe(
          Stream.filter((event) => event._tag === "AlertReactionsChanged" && event.alertId === alertId()),
          Stream.runForEach(() =>
            client.GetAlertReactions({ alertId: alertId() }).pipe(
              Effect.tap((next) => Effect.sync(() => take(next))),
              Effect.catchAllCause(() => Effect.void)
            )
          )
        )).pipe(
          Effect.retry(Schedule.exponential("2 seconds").pipe(Schedule.union(Schedule.spaced("30 seconds")))),
          Effect.forever
        )
    )
    onCleanup(() => void runtime.runPromise(Fiber.interrupt(fiber)))
  })

  const toggle = async (kind: ReactionKind) => {
    setBusy(true)
    setError(undefined)
    const on = !mine(kind)
    const o = await run(
      Effect.flatMap(
        Vigie,
        (client) =>
          on ? client.MarkAlert({ alertId: alertId(), kind }) : client.UnmarkAlert({ alertId: alertId(), kind })
      )
    )
    setBusy(false)
    if (o.ok) take(o.value)
    else setError(o.failure.message)
  }

  const who = (people: ReadonlyArray<Reactor>) => people.map((r) => (r.mine ? `${r.name} (vous)` : r.name)).join(", ")

  return (
    <section class="panel reactions" aria-labelledby="reactions-title">
      <h2 id="reactions-title">Entre voisins</h2>
      <Show when={mayMark(props.me, props.alert)}>
        <div class="row reaction-buttons">
          <For each={["going", "seen"] as const}>
            {(kind) => (
              <button type="button" class={mine(kind) ? "primary" : "secondary"} aria-pressed={mine(kind)}
                disabled={busy() || summary() === undefined} onClick={() => void toggle(kind)}
              >
                <span aria-hidden="true" class="tick">{mine(kind) ? "✓ " : ""}</span>
                {kinds[kind].button}
              </button>
            )}
          </For>
        </div>
        <p class="small">
          « J'y vais » : vous allez jeter un œil, sans intervenir. « Vu » : vous avez vu l'alerte. Appuyez à nouveau
          pour retirer votre réponse.
        </p>
      </Show>
      <FormError message={error()} />
      <Show when={summary()} fallback={
        <Show when={error() === undefined}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        {(s) => (
          <dl class="summary reactions-list">
            <For each={["going", "seen"] as const}>
              {(kind) => (
                <>
                  <dt>{kinds[kind].title} ({s()[kind].length})</dt>
                  <dd data-kind={kind}>{s()[kind].length === 0 ? "Personne pour l'instant" : who(s()[kind])}</dd>
                </>
              )}
            </For>
          </dl>
        )}
      </Show>
      <div class="sr-only" aria-live="polite">{announce()}</div>
    </section>
  )
}

/**
 * For the author of an alert shared with the authorities: whether the mairie and the municipal police
 * took note, and when (never their internal notes, which the contract does not even carry). Read
 * again when the page comes back into view and every minute while it stays open.
 */
export const AuthoritiesNoted = (props: { readonly alertId: AlertId }) => {
  const run = useRun()
  const [acks, setAcks] = createSignal<AlertAcknowledgements>()
  const [error, setError] = createSignal<string>()
  const load = async () => {
    const o = await run(Effect.flatMap(Vigie, (client) => client.GetAlertAcknowledgements({ alertId: props.alertId })))
    if (o.ok) {
      setAcks(o.value)
      setError(undefined)
    } else setError(o.failure.message)
  }
  onMount(() => {
    void load()
    const onVisible = () => {
      if (document.visibilityState === "visible") void load()
    }
    document.addEventListener("visibilitychange", onVisible)
    const timer = setInterval(() => void load(), 60_000)
    onCleanup(() => {
      document.removeEventListener("visibilitychange", onVisible)
      clearInterval(timer)
    })
  })
  const line = (side: "mairie" | "police", label: string) => (
    <li data-side={side}>
      <Show when={acks() !== undefined && Option.getOrUndefined(acks()![side])}
        fallback={<>{label} : pas encore pris en compte</>}
      >
        {(at) => (
          <>
            {label} : <strong>pris en compte</strong> le {formatDateTime(at())}
          </>
        )}
      </Show>
    </li>
  )
  return (
    <section class="panel authorities-noted" aria-labelledby="authorities-title">
      <h2 id="authorities-title">Mairie et police municipale</h2>
      <FormError message={error()} />
      <Show when={acks()} fallback={
        <Show when={error() === undefined}>
          <p aria-busy="true">Chargement…</p>
        </Show>
      }>
        <ul class="plain">
          {line("mairie", "La mairie")}
          {line("police", "La police municipale")}
        </ul>
      </Show>
    </section>
  )
}

/** What others did about an alert, under its details: the neighbours' marks, and for its author the authorities'. */
export const AlertResponses = (props: { readonly alert: AlertView; readonly me: Me }) => (
  <>
    <AlertReactionsPanel alert={props.alert} me={props.me} />
    <Show when={props.alert.mine && props.alert.sharedWithAuthorities}>
      <AuthoritiesNoted alertId={props.alert.id} />
    </Show>
  </>
)
