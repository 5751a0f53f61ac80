import { A, useNavigate, useParams } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { GazetteCursor, GazettePostView, PostKind, StateFilter } from "@vigie/domain/gazette/GazettePost"
import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { Effect, Fiber, Option, Schedule, Stream } from "effect"
import { For, Show, createEffect, createSignal, on, onCleanup, onMount } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun, useRuntime } from "../../lib/runtime.js"
import { verifiedMemberships } from "../session/Session.js"
import { GazetteCard } from "./GazetteCard.js"
import { kindLabels } from "./GazetteLabels.js"

const PAGE = 20

const filterKinds: ReadonlyArray<PostKind> = [
  "communication",
  "annonce",
  "entraide",
  "covoiturage",
  "perdu_trouve",
  "evenement",
  "vie_du_quartier",
  "compte_rendu"
]

const stateChoices: ReadonlyArray<readonly [StateFilter, string]> = [
  ["open", "En cours"],
  ["closed", "Terminées"],
  ["all", "Toutes"]
]

/**
 * The Gazette of one of my quartiers: the mairie's pinned news first, then the newest posts, with
 * filters by kind and state, a French text search, older pages, and live updates while it is open.
 */
export const GazettePage = (props: { readonly me: Me }) => {
  const run = useRun()
  const runtime = useRuntime()
  const params = useParams<{ communityId?: string }>()
  const navigate = useNavigate()
  const quartiers = verifiedMemberships(props.me).map((m) => m.community)
  const communityId = (): CommunityId | undefined =>
    (quartiers.find((q) => q.id === params.communityId) ?? quartiers[0])?.id

  const [kind, setKind] = createSignal<PostKind | "">("")
  const [state, setState] = createSignal<StateFilter>("open")
  const [query, setQuery] = createSignal("")
  const [typed, setTyped] = createSignal("")
  const [pinned, setPinned] = createSignal<ReadonlyArray<GazettePostView>>([])
  const [posts, setPosts] = createSignal<ReadonlyArray<GazettePostView>>([])
  const [next, setNext] = createSignal<Option.Option<GazetteCursor>>(Option.none())
  const [loading, setLoading] = createSignal(true)
  const [error, setError] = createSignal<string>()
  const [fresh, setFresh] = createSignal(0)
  const [announce, setAnnounce] = createSignal("")
  const [live, setLive] = createSignal<"connecting" | "on" | "retrying">("connecting")

  const load = async (cursor: Option.Option<GazetteCursor>) => {
    const id = communityId()
    if (id === undefined) return
    setLoading(true)
    const outcome = await run(Effect.flatMap(Vigie, (client) =>
      client.ListGazette({
        communityId: id,
        kinds: kind() === "" ? [] : [kind() as PostKind],
        state: state(),
        ...(query().trim() === "" ? {} : { query: query().trim() }),
        ...(Option.isSome(cursor) ? { cursor: cursor.value } : {}),
        limit: PAGE
      })))
    setLoading(false)
    if (!outcome.ok) return setError(outcome.failure.message)
    setError(undefined)
    if (Option.isNone(cursor)) {
      setPinned(outcome.value.pinned)
      setPosts(outcome.value.posts)
    } else {
      setPosts((old) => [...old, ...outcome.value.posts])
    }
    setNext(outcome.value.next)
  }

  // Any change of quartier or filter reads the first page again.
  createEffect(on([() => params.communityId, kind, state, query], () => {
    setFresh(0)
    void load(Option.none())
  }))

  const onEvent = (event: LiveEvent) =>
    Effect.sync(() => {
      setLive("on")
      if (event._tag !== "GazetteChanged") return
      const id = communityId()
      if (id === undefined || !event.communityIds.includes(id)) return
      const known = [...pinned(), ...posts()].some((p) => p.id === event.postId)
      if (!known) {
        setFresh((n) => n + 1)
        setAnnounce("Nouvelle publication dans la Gazette.")
      }
      void load(Option.none())
    })

  onMount(() => {
    const fiber = runtime.runFork(
      Effect.flatMap(Vigie, (client) =>
        client.WatchLiveEvents({}).pipe(
          Stream.runForEach((event) => onEvent(event).pipe(Effect.catchAllCause(() => Effect.void)))
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

  const name = () => quartiers.find((q) => q.id === communityId())?.name ?? "mon quartier"
  /** Référents print their quartier's week for the hall's noticeboard and the neighbours without internet. */
  const referent = () =>
    verifiedMemberships(props.me).some((m) => m.community.id === communityId() && m.membership.role === "referent")

  return (
    <section aria-labelledby="gazette-title" class="gazette">
      <Show when={communityId() !== undefined} fallback={
        <>
          <h1 id="gazette-title">La Gazette</h1>
          <p class="notice">
            La Gazette est réservée aux membres vérifiés d'un quartier. Activez votre adresse avec le code reçu par
            courrier pour la lire.
          </p>
          <A class="button secondary" href="/activer">Activer mon adresse</A>
        </>
      }>
        <div class="feed-head">
          <h1 id="gazette-title">La Gazette · {name()}</h1>
          <p class="live" data-live={live()}>
            <span class="dot" aria-hidden="true" />
            {live() === "on" ? "En direct" : live() === "retrying" ? "Reconnexion…" : "Connexion…"}
          </p>
        </div>
        <div class="sr-only" aria-live="polite">{announce()}</div>
        <div class="feed-actions">
          <A class="button primary big" href={`/gazette/nouvelle?quartier=${communityId()}`}>Publier dans la Gazette</A>
          <Show when={quartiers.length > 1}>
            <div class="field">
              <label for="gazette-quartier">Quartier</label>
              <select id="gazette-quartier" value={communityId()}
                onChange={(e) => navigate(`/gazette/quartier/${e.currentTarget.value}`)}
              >
                <For each={quartiers}>{(q) => <option value={q.id}>{q.name}</option>}</For>
              </select>
            </div>
          </Show>
        </div>
        <Show when={referent()}>
          <p>
            <a href={`/gazette/quartiers/${communityId()}/gazette.pdf`} download="">
              Imprimer la Gazette de la semaine (PDF, pour le panneau d'affichage)
            </a>
          </p>
        </Show>
        <form class="filters" role="search" aria-label="Chercher dans la Gazette" onSubmit={(e) => {
          e.preventDefault()
          setQuery(typed())
        }}>
          <div class="field">
            <label for="gazette-kind">Rubrique</label>
            <select id="gazette-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as PostKind | "")}>
              <option value="">Toutes les rubriques</option>
              <For each={filterKinds}>{(k) => <option value={k}>{kindLabels[k]}</option>}</For>
            </select>
          </div>
          <fieldset class="choices inline">
            <legend>Publications</legend>
            <For each={stateChoices}>
              {([value, label]) => (
                <label class="choice">
                  <input type="radio" name="gazette-state" value={value} checked={state() === value}
                    onChange={() => setState(value)} />
                  <span>{label}</span>
                </label>
              )}
            </For>
          </fieldset>
          <div class="field">
            <label for="gazette-query">Mots à chercher</label>
            <input id="gazette-query" type="search" value={typed()} onInput={(e) => setTyped(e.currentTarget.value)}
              placeholder="vélo, chat, perceuse…" />
          </div>
          <button type="submit" class="secondary">Rechercher</button>
        </form>
        <Show when={fresh() > 0}>
          <div class="banner" role="status">
            {fresh() === 1 ? "1 nouvelle publication" : `${fresh()} nouvelles publications`}{" "}
            depuis l'ouverture de la page.
          </div>
        </Show>
        <Show when={error()}>
          <p class="form-error" role="alert">{error()}</p>
        </Show>
        <Show when={pinned().length > 0}>
          <h2 class="section-title">Les nouvelles de la mairie</h2>
          <ol class="feed" aria-label="Communications épinglées de la mairie">
            <For each={pinned()}>
              {(post) => (
                <li>
                  <GazetteCard post={post} />
                </li>
              )}
            </For>
          </ol>
        </Show>
        <Show when={!loading() || posts().length > 0} fallback={<p aria-busy="true">Chargement de la Gazette…</p>}>
          <Show when={posts().length > 0} fallback={
            <p class="empty">
              {query() === "" && kind() === ""
                ? "Rien de publié pour l'instant. Soyez le premier ou la première !"
                : "Aucune publication ne correspond à votre recherche."}
            </p>
          }>
            <ol class="feed" aria-label="Publications de la Gazette">
              <For each={posts()}>
                {(post) => (
                  <li>
                    <GazetteCard post={post} />
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Show>
        <Show when={Option.isSome(next())}>
          <button type="button" class="secondary" disabled={loading()} onClick={() => void load(next())}>
            Publications plus anciennes
          </button>
        </Show>
      </Show>
    </section>
  )
}
