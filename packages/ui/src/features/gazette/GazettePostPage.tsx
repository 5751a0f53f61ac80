import { A, useParams } from "@solidjs/router"
import type { Me } from "@vigie/domain/accounts/Me"
import { GazettePostId, type GazettePostView, type PostOutcome } from "@vigie/domain/gazette/GazettePost"
import { expires, outcomesOf } from "@vigie/domain/gazette/GazettePolicy"
import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { Effect, Fiber, Schema, Stream } from "effect"
import { For, Match, Show, Switch, createSignal, onCleanup, onMount } from "solid-js"
import type { JSX } from "solid-js"
import { formatDate, formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun, useRuntime } from "../../lib/runtime.js"
import { mediaUrl } from "./GazetteCard.js"
import { parisLocalToUtc, utcToParisLocal } from "./GazetteDates.js"
import { PostConversation } from "./PostConversation.js"
import {
  detailsHeadline,
  formatPrice,
  helpLabels,
  kindLabels,
  meetingLabels,
  outcomeLabels,
  stateLabels,
  statusLabels
} from "./GazetteLabels.js"

/** The facts of a post's kind, as a list of terms and values. */
const Facts = (props: { readonly post: GazettePostView }) => {
  const row = (term: string, value: JSX.Element) => (
    <>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </>
  )
  const d = () => props.post.details
  return (
    <dl class="summary facts">
      {row("Rubrique", kindLabels[props.post.kind])}
      <Switch>
        <Match when={d()._tag === "annonce" && d()}>
          {(a) => (
            <Show when={(a() as { priceCents?: number }).priceCents}>
              {(cents) => row("Prix", formatPrice(cents()))}
            </Show>
          )}
        </Match>
        <Match when={d()._tag === "entraide" && d()}>
          {(e) => row("Aide", helpLabels[(e() as { help: keyof typeof helpLabels }).help])}
        </Match>
        <Match
          when={d()._tag === "covoiturage" && (d() as Extract<GazettePostView["details"], { _tag: "covoiturage" }>)}
        >
          {(c) => (
            <>
              {row("Trajet", `${c().from} → ${c().to}`)}
              {row("Départ", formatDateTime(c().departsAt))}
              {row("Places", String(c().seats))}
            </>
          )}
        </Match>
        <Match
          when={d()._tag === "perdu_trouve" && (d() as Extract<GazettePostView["details"], { _tag: "perdu_trouve" }>)}
        >
          {(p) => (
            <>
              {row("Où", p().where)}
              {row("Quand", formatDateTime(p().seenAt))}
            </>
          )}
        </Match>
        <Match
          when={d()._tag === "compte_rendu" && (d() as Extract<GazettePostView["details"], { _tag: "compte_rendu" }>)}
        >
          {(r) => (
            <>
              {row("Réunion", meetingLabels[r().meeting])}
              {row("Tenue le", formatDate(r().heldOn))}
              {row("Document", <a href={mediaUrl(r().attachment)} download="">Télécharger le compte-rendu (PDF)</a>)}
            </>
          )}
        </Match>
        <Match when={d()._tag === "evenement" && (d() as Extract<GazettePostView["details"], { _tag: "evenement" }>)}>
          {(e) => (
            <>
              {row("Quand", formatDateTime(e().startsAt))}
              <Show when={e().endsAt}>{(end) => row("Jusqu'à", formatDateTime(end()))}</Show>
              {row("Lieu", e().place)}
              <Show when={e().capacity}>{(n) => row("Places", String(n()))}</Show>
            </>
          )}
        </Match>
        <Match
          when={d()._tag === "communication" && (d() as Extract<GazettePostView["details"], { _tag: "communication" }>)}
        >
          {(c) => <Show when={c().pinnedUntil}>{(until) => row("Épinglé jusqu'au", formatDate(until()))}</Show>}
        </Match>
      </Switch>
      {row("Publié le", formatDateTime(props.post.createdAt))}
      {row("Par", props.post.mine ? "Vous" : props.post.authorName)}
      <Show when={props.post.expiresAt !== null && props.post.state === "open" && props.post.expiresAt}>
        {(at) => row("Visible jusqu'au", formatDate(at()))}
      </Show>
    </dl>
  )
}

/** What the author may do with their post: close it with an outcome of its kind, renew it, withdraw it. */
const AuthorActions = (props: {
  readonly post: GazettePostView
  readonly onChanged: (post: GazettePostView) => void
  readonly onWithdrawn: () => void
}) => {
  const run = useRun()
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [confirmWithdraw, setConfirmWithdraw] = createSignal(false)
  const act = async <A,>(effect: Effect.Effect<A, unknown, Vigie>, done: (a: A) => void) => {
    setBusy(true)
    setError(undefined)
    const outcome = await run(effect)
    setBusy(false)
    if (outcome.ok) done(outcome.value)
    else setError(outcome.failure.message)
  }
  const close = (outcome: PostOutcome) =>
    act(Effect.flatMap(Vigie, (c) => c.CloseGazettePost({ postId: props.post.id, outcome })), props.onChanged)
  const renew = () => act(Effect.flatMap(Vigie, (c) => c.RenewGazettePost({ postId: props.post.id })), props.onChanged)
  const cancel = () =>
    act(Effect.flatMap(Vigie, (c) => c.CancelGazetteEvent({ postId: props.post.id })), props.onChanged)
  const [moving, setMoving] = createSignal(false)
  const [newStart, setNewStart] = createSignal("")
  const [newPlace, setNewPlace] = createSignal("")
  const move = () => {
    const startsAt = parisLocalToUtc(newStart())
    if (startsAt === undefined) return setError("Indiquez la nouvelle date et l'heure.")
    if (newPlace().trim() === "") return setError("Indiquez le lieu.")
    return act(
      Effect.flatMap(Vigie, (c) => c.MoveGazetteEvent({ postId: props.post.id, startsAt, place: newPlace().trim() })),
      (post) => {
        setMoving(false)
        props.onChanged(post)
      }
    )
  }
  const withdraw = () =>
    act(Effect.flatMap(Vigie, (c) => c.WithdrawGazettePost({ postId: props.post.id })), () => props.onWithdrawn())
  const closable = () => props.post.state === "open" && props.post.status === "published"
  return (
    <section class="author-actions" aria-labelledby="author-actions-title">
      <h2 id="author-actions-title">Votre publication</h2>
      <Show when={closable() && outcomesOf(props.post.kind).length > 0}>
        <p>C'est réglé ? Indiquez-le à vos voisins :</p>
        <div class="stack">
          <For each={outcomesOf(props.post.kind)}>
            {(outcome) => (
              <button type="button" class="secondary" disabled={busy()} onClick={() => void close(outcome)}>
                Marquer « {outcomeLabels[outcome]} »
              </button>
            )}
          </For>
        </div>
      </Show>
      <Show when={expires(props.post.kind) && props.post.state !== "closed" && props.post.status === "published"}>
        <button type="button" class="secondary" disabled={busy()} onClick={() => void renew()}>
          Prolonger de 30 jours
        </button>
      </Show>
      <Show when={props.post.kind === "evenement" && props.post.cancelledAt === null &&
        props.post.status === "published"}
      >
        <button type="button" class="secondary" disabled={busy()} onClick={() => void cancel()}>
          Annuler l'événement (les participants sont prévenus)
        </button>
        <Show when={moving()} fallback={
          <button type="button" class="secondary" onClick={() => {
            if (props.post.details._tag === "evenement") {
              setNewStart(utcToParisLocal(props.post.details.startsAt))
              setNewPlace(props.post.details.place)
            }
            setMoving(true)
          }}>
            Changer la date ou le lieu
          </button>
        }>
          <form class="comment-form" aria-label="Changer la date ou le lieu" onSubmit={(e) => {
            e.preventDefault()
            void move()
          }}>
            <label for="move-start">Nouvelle date et heure</label>
            <input id="move-start" type="datetime-local" value={newStart()}
              onInput={(e) => setNewStart(e.currentTarget.value)} />
            <label for="move-place">Lieu</label>
            <input id="move-place" type="text" value={newPlace()} onInput={(e) => setNewPlace(e.currentTarget.value)} />
            <button type="submit" class="primary" disabled={busy()}>
              Enregistrer (les participants sont prévenus)
            </button>
          </form>
        </Show>
      </Show>
      <Show when={!confirmWithdraw()} fallback={
        <div class="confirm" role="group" aria-label="Confirmer le retrait">
          <p>Retirer cette publication ? Plus personne ne pourra la lire.</p>
          <button type="button" class="danger" disabled={busy()} onClick={() => void withdraw()}>
            Oui, la retirer
          </button>
          <button type="button" class="secondary" onClick={() => setConfirmWithdraw(false)}>Non, la garder</button>
        </div>
      }>
        <button type="button" class="link" onClick={() => setConfirmWithdraw(true)}>Retirer la publication</button>
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
    </section>
  )
}

/**
 * One Gazette post: its kind's facts, its photos, its text; for its author, the buttons to close,
 * renew or withdraw it; the "merci", the answers to an event and the comments. It re-reads itself when
 * it changes while open (live).
 */
export const GazettePostPage = (_props: { readonly me: Me }) => {
  const run = useRun()
  const runtime = useRuntime()
  const params = useParams<{ id: string }>()
  const [post, setPost] = createSignal<GazettePostView>()
  const [error, setError] = createSignal<string>()
  const [withdrawn, setWithdrawn] = createSignal(false)

  const load = async () => {
    const outcome = await run(
      Effect.flatMap(
        Vigie,
        (client) =>
          Effect.flatMap(Schema.decode(GazettePostId)(params.id), (postId) => client.GetGazettePost({ postId }))
      )
    )
    if (outcome.ok) {
      setPost(outcome.value)
      setError(undefined)
    } else setError(outcome.failure.message)
  }

  onMount(() => {
    void load()
    const onEvent = (event: LiveEvent) =>
      Effect.sync(() => {
        if (event._tag === "GazetteChanged" && event.postId === params.id) void load()
      })
    const fiber = runtime.runFork(
      Effect.flatMap(Vigie, (client) => client.WatchLiveEvents({}).pipe(Stream.runForEach(onEvent))).pipe(
        Effect.retry({ times: 20 }),
        Effect.ignore
      )
    )
    onCleanup(() => void runtime.runPromise(Fiber.interrupt(fiber)))
  })

  return (
    <section aria-labelledby="post-title" class="gazette-post">
      <p>
        <A href="/gazette">← Retour à la Gazette</A>
      </p>
      <Show when={!withdrawn()} fallback={
        <p class="notice" role="status">
          Votre publication est retirée. <A href="/gazette">Retour à la Gazette</A>
        </p>
      }>
        <Show when={post()} fallback={
          <Show when={error()} fallback={<p aria-busy="true">Chargement…</p>}>
            <h1 id="post-title">Publication introuvable</h1>
            <p class="form-error" role="alert">{error()}</p>
          </Show>
        }>
          {(p) => (
            <article>
              <p class="meta">
                <span class="badge kind">{kindLabels[p().kind]}</span>
                <Show when={p().state !== "open"}>
                  <span class="badge status">
                    {p().outcome !== null ? outcomeLabels[p().outcome!] : stateLabels[p().state]}
                  </span>
                </Show>
                <Show when={p().status !== "published"}>
                  <span class="badge status" data-status={p().status}>{statusLabels[p().status]}</span>
                </Show>
                <Show when={p().cancelledAt !== null}>
                  <span class="badge status">Annulé</span>
                </Show>
              </p>
              <h1 id="post-title">{p().title}</h1>
              <p class="headline">{detailsHeadline(p().details)}</p>
              <Show when={p().status === "held_for_review" && p().mine}>
                <p class="notice">
                  Votre publication attend la relecture d'un modérateur : vos voisins la verront ensuite.
                </p>
              </Show>
              <p class="post-body">{p().body}</p>
              <Show when={p().photos.length > 0}>
                <ul class="photos" aria-label="Photos">
                  <For each={p().photos}>
                    {(photo, i) => (
                      <li>
                        <a href={mediaUrl(photo)}>
                          <img src={mediaUrl(photo)} alt={`Photo ${i() + 1} de « ${p().title} »`} loading="lazy" />
                        </a>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <Facts post={p()} />
              <Show when={p().status === "published" && !p().mine && p().kind !== "communication"}>
                <p>
                  <A class="button secondary" href={`/messages/nouveau?annonce=${p().id}`}>Écrire à l'auteur</A>
                </p>
              </Show>
              <Show when={p().status === "published"}>
                <PostConversation post={p()} />
              </Show>
              <Show when={p().mine}>
                <AuthorActions post={p()} onChanged={setPost} onWithdrawn={() => setWithdrawn(true)} />
              </Show>
            </article>
          )}
        </Show>
      </Show>
    </section>
  )
}
