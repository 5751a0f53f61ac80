import { A } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import type { AlertId } from "@vigie/domain/alerts/Alert"
import type { AlertView } from "@vigie/domain/alerts/AlertView"
import type { ReactionCounts } from "@vigie/domain/alerts/AlertReaction"
import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { DateTime, Effect, Fiber, Option, Schedule, Stream } from "effect"
import { For, Show, createSignal, onCleanup, onMount } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun, useRuntime } from "../../lib/runtime.js"
import { pendingMemberships, verifiedMemberships } from "../session/Session.js"
import { AlertCard } from "./AlertCard.js"

const PAGE = 20
const SOUND_KEY = "vigie.sound"

/** A short two-tone chime (no file to download), only when the member turned the sound on. */
const chime = () => {
  try {
    const audio = new AudioContext()
    for (const [i, freq] of [880, 660].entries()) {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.frequency.value = freq
      gain.gain.value = 0.15
      osc.connect(gain).connect(audio.destination)
      osc.start(audio.currentTime + i * 0.18)
      osc.stop(audio.currentTime + i * 0.18 + 0.15)
    }
  } catch {
    // No audio on this device: the visible cue remains.
  }
}

/**
 * The alerts of my communities, newest first, with "older" pages; new alerts and status changes
 * arrive live through WatchLiveEvents, with a visible banner and an optional chime.
 */
export const Feed = (props: { readonly me: Me }) => {
  const run = useRun()
  const runtime = useRuntime()
  const [alerts, setAlerts] = createSignal<ReadonlyArray<AlertView>>([])
  const [fresh, setFresh] = createSignal<ReadonlySet<string>>(new Set())
  const [nextBefore, setNextBefore] = createSignal<Option.Option<DateTime.Utc>>(Option.none())
  const [nextBeforeId, setNextBeforeId] = createSignal<Option.Option<AlertId>>(Option.none())
  const [loading, setLoading] = createSignal(true)
  const [error, setError] = createSignal<string>()
  const [live, setLive] = createSignal<"connecting" | "on" | "retrying">("connecting")
  const [announce, setAnnounce] = createSignal("")
  const [sound, setSound] = createSignal(globalThis.localStorage?.getItem(SOUND_KEY) === "on")
  const names = new Map(props.me.memberships.map((m) => [m.community.id as string, m.community.name]))
  const [counts, setCounts] = createSignal<ReadonlyMap<string, ReactionCounts>>(new Map())

  /** The "J'y vais" / "Vu" counts of these alerts (a failure leaves the cards without them). */
  const recount = async (ids: ReadonlyArray<AlertId>) => {
    if (ids.length === 0) return
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.CountAlertReactions({ alertIds: ids.slice(0, 50) }))
    )
    if (outcome.ok) {
      setCounts((old) => new Map([...old, ...outcome.value.map((c) => [c.alertId as string, c] as const)]))
    }
  }

  const load = async (before: Option.Option<DateTime.Utc>, beforeId: Option.Option<AlertId> = Option.none()) => {
    setLoading(true)
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.ListAlerts({ before, beforeId, limit: PAGE })))
    setLoading(false)
    if (!outcome.ok) return setError(outcome.failure.message)
    setError(undefined)
    setAlerts((old) => (Option.isNone(before) ? outcome.value.alerts : [...old, ...outcome.value.alerts]))
    setNextBefore(outcome.value.nextBefore)
    setNextBeforeId(outcome.value.nextBeforeId)
    void recount(outcome.value.alerts.map((a) => a.id))
  }

  const onEvent = (event: LiveEvent) =>
    Effect.gen(function*() {
      setLive("on")
      if (
        event._tag === "DeliveryProgress" || event._tag === "GazetteChanged" || event._tag === "ConversationChanged"
      ) {
        return
      }
      const client = yield* Vigie
      if (event._tag === "AlertReactionsChanged") {
        // Only the counts of a card already shown change; a mark never brings an alert into the feed.
        if (!alerts().some((a) => a.id === event.alertId)) return
        const found = yield* client.CountAlertReactions({ alertIds: [event.alertId] }).pipe(Effect.option)
        if (Option.isSome(found)) {
          setCounts((old) => new Map([...old, ...found.value.map((c) => [c.alertId as string, c] as const)]))
        }
        return
      }
      const alert = yield* client.GetAlert({ alertId: event.alertId }).pipe(Effect.option)
      if (Option.isNone(alert)) return
      const known = alerts().some((a) => a.id === event.alertId)
      setAlerts((old) => (known ? old.map((a) => (a.id === alert.value.id ? alert.value : a)) : [alert.value, ...old]))
      if (event._tag === "AlertPublished" && !known && !alert.value.mine) {
        setFresh((s) => new Set([...s, alert.value.id]))
        setAnnounce(`Nouvelle alerte : ${alert.value.text.slice(0, 80)}`)
        if (sound()) chime()
      }
    })

  onMount(() => {
    void load(Option.none())
    const fiber = runtime.runFork(
      Effect.flatMap(Vigie, (client) =>
        client.WatchLiveEvents({}).pipe(
          Stream.tap(() => Effect.sync(() => setLive("on"))),
          Stream.runForEach((event) => onEvent(event).pipe(Effect.catchAllCause(() => Effect.void)))
        )).pipe(
          Effect.tapErrorCause(() => Effect.sync(() => setLive("retrying"))),
          Effect.retry(Schedule.exponential("2 seconds").pipe(Schedule.union(Schedule.spaced("30 seconds")))),
          Effect.forever
        )
    )
    // The stream yields nothing until something happens: once the call is open, we are listening.
    const opened = setTimeout(() => setLive((s) => (s === "connecting" ? "on" : s)), 800)
    onCleanup(() => {
      clearTimeout(opened)
      void runtime.runPromise(Fiber.interrupt(fiber))
    })
  })

  const toggleSound = () => {
    const next = !sound()
    setSound(next)
    globalThis.localStorage?.setItem(SOUND_KEY, next ? "on" : "off")
    if (next) chime()
  }

  return (
    <section aria-labelledby="feed-title">
      <div class="feed-head">
        <h1 id="feed-title">Alertes de mes quartiers</h1>
        <p class="live" data-live={live()}>
          <span class="dot" aria-hidden="true" />
          {live() === "on" ? "En direct" : live() === "retrying" ? "Reconnexion…" : "Connexion…"}
        </p>
      </div>
      <div class="sr-only" aria-live="assertive">{announce()}</div>
      <Show when={pendingMemberships(props.me).length > 0}>
        <div class="notice">
          <p>Votre adresse n'est pas encore activée : saisissez le code reçu par courrier.</p>
          <A class="button secondary" href="/activer">Activer mon adresse</A>
        </div>
      </Show>
      <Show when={props.me.memberships.every((m) =>
        m.membership.status !== "pending_verification" &&
        m.membership.status !== "verified"
      )}>
        <div class="notice">
          <p>
            Vous n'êtes membre d'aucun quartier pour le moment. Si vous avez proposé un quartier, vous en serez le
            référent dès qu'il sera ouvert.
          </p>
          <A class="button secondary" href="/propositions">Mes propositions de quartier</A>
        </div>
      </Show>
      <div class="feed-actions">
        <Show when={verifiedMemberships(props.me).length > 0}>
          <A class="button primary big" href="/alertes/nouvelle">Signaler quelque chose</A>
        </Show>
        <label class="switch">
          <input type="checkbox" checked={sound()} onChange={toggleSound} />
          <span>Son à l'arrivée d'une alerte</span>
        </label>
      </div>
      <Show when={fresh().size > 0}>
        <div class="banner" role="status">
          {fresh().size === 1 ? "1 nouvelle alerte" : `${fresh().size} nouvelles alertes`}{" "}
          depuis l'ouverture de la page.
          <button type="button" class="link" onClick={() => setFresh(new Set())}>Marquer comme vues</button>
        </div>
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <Show when={!loading() || alerts().length > 0} fallback={<p aria-busy="true">Chargement des alertes…</p>}>
        <Show when={alerts().length > 0}
          fallback={<p class="empty">Aucune alerte pour l'instant dans vos quartiers. Tant mieux !</p>}
        >
          <ol class="feed" aria-label="Alertes">
            <For each={alerts()}>
              {(alert) => (
                <li>
                  <AlertCard alert={alert} mine={alert.mine} fresh={fresh().has(alert.id)} communityNames={names}
                    reactions={counts().get(alert.id)} />
                </li>
              )}
            </For>
          </ol>
        </Show>
      </Show>
      <Show when={Option.isSome(nextBefore())}>
        <button type="button" class="secondary" disabled={loading()}
          onClick={() => void load(nextBefore(), nextBeforeId())}
        >
          Alertes plus anciennes
        </button>
      </Show>
    </section>
  )
}
