import type { GazetteCommentId } from "@vigie/domain/gazette/GazetteComment"
import type {
  EventAnswer,
  GazetteComments,
  GazetteCommentView,
  GazetteEventAnswers,
  GazetteThanks
} from "@vigie/domain/gazette/GazetteComment"
import type { GazettePostView } from "@vigie/domain/gazette/GazettePost"
import type { LiveEvent } from "@vigie/domain/live/LiveEvent"
import { Effect, Fiber, Option, Schedule, Stream } from "effect"
import { For, Show, createSignal, onCleanup, onMount } from "solid-js"
import { formatDateTime } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun, useRuntime } from "../../lib/runtime.js"

const answerLabels: Record<EventAnswer, string> = { going: "J'y serai", maybe: "Peut-être", no: "Non" }

/** Where an event's calendar file is downloaded. */
export const eventCalendarUrl = (postId: string): string => `/gazette/evenements/${postId}.ics`

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** "Merci" on a post: how many, whether mine, and who. */
const Thanks = (props: { readonly thanks: GazetteThanks; readonly busy: boolean; readonly onToggle: () => void }) => (
  <div class="thanks">
    <button type="button" class="secondary" aria-pressed={props.thanks.mine} disabled={props.busy}
      onClick={() => props.onToggle()}
    >
      {props.thanks.mine ? "Merci ✓" : "Merci"}
    </button>
    <Show when={props.thanks.count > 0}>
      <p class="meta" data-testid="thanks">
        {plural(props.thanks.count, "merci", "mercis")} : {props.thanks.names.join(", ")}
      </p>
    </Show>
  </div>
)

/** One comment: who, when, what (or why it is not shown). */
const Comment = (props: {
  readonly comment: GazetteCommentView
  readonly onDelete: (id: GazetteCommentId) => void
  readonly onReply?: () => void
}) => (
  <article class="comment" aria-label={`Commentaire de ${props.comment.mine ? "vous" : props.comment.authorName}`}>
    <p class="meta">
      <strong>{props.comment.mine ? "Vous" : props.comment.authorName}</strong> ·{" "}
      {formatDateTime(props.comment.createdAt)}
      <Show when={props.comment.held}>
        <span class="badge status" data-status="held_for_review">En attente de modération</span>
      </Show>
    </p>
    <Show when={!props.comment.deleted} fallback={<p class="meta">Commentaire supprimé</p>}>
      <p class="comment-text">{props.comment.body}</p>
    </Show>
    <div class="comment-actions">
      <Show when={props.onReply}>
        {(reply) => <button type="button" class="link" onClick={() => reply()()}>Répondre</button>}
      </Show>
      <Show when={props.comment.mine && !props.comment.deleted}>
        <button type="button" class="link" onClick={() => props.onDelete(props.comment.id)}>Supprimer</button>
      </Show>
    </div>
  </article>
)

/** A comment form: the whole post's, or a reply under one comment. */
const CommentForm = (props: {
  readonly id: string
  readonly label: string
  readonly button: string
  readonly onSend: (text: string) => Promise<string | undefined>
}) => {
  const [text, setText] = createSignal("")
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const send = async (event: SubmitEvent) => {
    event.preventDefault()
    if (text().trim() === "") return setError("Écrivez quelques mots avant d'envoyer.")
    if (text().trim().length > 2000) return setError("2 000 caractères au maximum.")
    setBusy(true)
    const failure = await props.onSend(text().trim())
    setBusy(false)
    if (failure !== undefined) return setError(failure)
    setError(undefined)
    setText("")
  }
  return (
    <form class="comment-form" onSubmit={(e) => void send(e)} novalidate>
      <label for={props.id}>{props.label}</label>
      <textarea id={props.id} rows="3" value={text()} onInput={(e) => setText(e.currentTarget.value)}
        aria-invalid={error() !== undefined} aria-describedby={error() ? `${props.id}-error` : undefined} />
      <Show when={error()}>
        <p class="error" id={`${props.id}-error`} role="alert">{error()}</p>
      </Show>
      <button type="submit" class="primary" disabled={busy()}>{props.button}</button>
    </form>
  )
}

/** An event's answers: mine, the counts, who comes, places left; the calendar file. */
const EventAnswers = (props: {
  readonly post: GazettePostView
  readonly answers: GazetteEventAnswers
  readonly busy: boolean
  readonly onAnswer: (answer: EventAnswer) => void
}) => (
  <section class="event-answers" aria-labelledby="answers-title">
    <h2 id="answers-title">Participerez-vous ?</h2>
    <Show when={!props.answers.cancelled} fallback={<p class="notice">Cet événement est annulé.</p>}>
      <div class="stack" role="group" aria-label="Ma réponse">
        <For each={["going", "maybe", "no"] as const}>
          {(answer) => (
            <button type="button" class="secondary" aria-pressed={Option.getOrUndefined(props.answers.mine) === answer}
              disabled={props.busy} onClick={() => props.onAnswer(answer)}
            >
              {answerLabels[answer]}
            </button>
          )}
        </For>
      </div>
    </Show>
    <p class="meta" data-testid="answers">
      {plural(props.answers.going, "personne vient", "personnes viennent")} · {props.answers.maybe} peut-être
      <Show when={Option.getOrUndefined(props.answers.placesLeft)}>
        {(left) => <span>{` · ${plural(left(), "place restante", "places restantes")}`}</span>}
      </Show>
      <Show when={Option.getOrUndefined(props.answers.placesLeft) === 0}>{" · Complet"}</Show>
    </p>
    <Show when={props.answers.coming.length > 0}>
      <p class="meta">Viennent : {props.answers.coming.join(", ")}</p>
    </Show>
    <p>
      <a href={eventCalendarUrl(props.post.id)} download="">Ajouter à mon agenda (.ics)</a>
    </p>
  </section>
)

/**
 * The life of a published post: "merci", the answers to an event, the comments (replies one level
 * deep). Re-read live when anything changes on the post.
 */
export const PostConversation = (props: { readonly post: GazettePostView }) => {
  const run = useRun()
  const runtime = useRuntime()
  const postId = props.post.id
  const [comments, setComments] = createSignal<GazetteComments>()
  const [thanks, setThanks] = createSignal<GazetteThanks>()
  const [answers, setAnswers] = createSignal<GazetteEventAnswers>()
  const [replyTo, setReplyTo] = createSignal<GazetteCommentId>()
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [announce, setAnnounce] = createSignal("")
  const isEvent = props.post.kind === "evenement"

  const reload = async () => {
    const [c, t, a] = await Promise.all([
      run(Effect.flatMap(Vigie, (client) => client.ListGazetteComments({ postId }))),
      run(Effect.flatMap(Vigie, (client) => client.GetGazetteThanks({ postId }))),
      isEvent ? run(Effect.flatMap(Vigie, (client) => client.GetGazetteEventAnswers({ postId }))) : undefined
    ])
    if (c.ok) {
      const before = comments()?.threads.reduce((n, t) => n + 1 + t.replies.length, 0)
      const after = c.value.threads.reduce((n, t) => n + 1 + t.replies.length, 0)
      if (before !== undefined && after > before) setAnnounce("Nouveau commentaire.")
      setComments(c.value)
    } else setError(c.failure.message)
    if (t.ok) setThanks(t.value)
    if (a !== undefined && a.ok) setAnswers(a.value)
  }

  onMount(() => {
    void reload()
    const onEvent = (event: LiveEvent) =>
      Effect.sync(() => {
        if (event._tag === "GazetteChanged" && event.postId === postId) void reload()
      })
    const fiber = runtime.runFork(
      Effect.flatMap(Vigie, (client) => client.WatchLiveEvents({}).pipe(Stream.runForEach(onEvent))).pipe(
        Effect.retry(Schedule.exponential("2 seconds").pipe(Schedule.union(Schedule.spaced("30 seconds")))),
        Effect.forever
      )
    )
    onCleanup(() => void runtime.runPromise(Fiber.interrupt(fiber)))
  })

  const act = async <A,>(effect: Effect.Effect<A, unknown, Vigie>, done: (a: A) => void) => {
    setBusy(true)
    const outcome = await run(effect)
    setBusy(false)
    if (outcome.ok) {
      setError(undefined)
      done(outcome.value)
    } else setError(outcome.failure.message)
  }

  const comment = async (text: string, parent?: GazetteCommentId): Promise<string | undefined> => {
    const outcome = await run(
      Effect.flatMap(
        Vigie,
        (client) => client.CommentGazettePost({ postId, text, ...(parent === undefined ? {} : { replyTo: parent }) })
      )
    )
    if (!outcome.ok) return outcome.failure.message
    setReplyTo(undefined)
    if (outcome.value.comment.held) {
      setAnnounce("Votre commentaire attend la relecture d'un modérateur avant d'être visible.")
    }
    await reload()
    return undefined
  }

  return (
    <div class="conversation">
      <div class="sr-only" aria-live="polite">{announce()}</div>
      <Show when={thanks()}>
        {(t) => (
          <Thanks thanks={t()} busy={busy()} onToggle={() =>
            void act(
              Effect.flatMap(
                Vigie,
                (client) => t().mine ? client.UnthankGazettePost({ postId }) : client.ThankGazettePost({ postId })
              ),
              setThanks
            )} />
        )}
      </Show>
      <Show when={isEvent && answers()}>
        {(a) => (
          <EventAnswers post={props.post} answers={a()} busy={busy()}
            onAnswer={(answer) =>
              void act(Effect.flatMap(Vigie, (client) => client.AnswerGazetteEvent({ postId, answer })), setAnswers)} />
        )}
      </Show>
      <Show when={error()}>
        <p class="form-error" role="alert">{error()}</p>
      </Show>
      <section class="comments" aria-labelledby="comments-title">
        <h2 id="comments-title">Commentaires</h2>
        <Show when={comments()} fallback={<p aria-busy="true">Chargement des commentaires…</p>}>
          {(c) => (
            <Show when={c().threads.length > 0} fallback={<p class="empty">Pas encore de commentaire.</p>}>
              <ol class="threads" aria-label="Commentaires">
                <For each={c().threads}>
                  {(thread) => (
                    <li>
                      <Comment comment={thread.comment} onDelete={(commentId) =>
                        void act(
                          Effect.flatMap(Vigie, (client) => client.DeleteGazetteComment({ commentId })),
                          setComments
                        )} onReply={() => setReplyTo(thread.comment.id)} />
                      <Show when={thread.replies.length > 0}>
                        <ol class="replies" aria-label="Réponses">
                          <For each={thread.replies}>
                            {(reply) => (
                              <li>
                                <Comment comment={reply} onDelete={(commentId) =>
                                  void act(
                                    Effect.flatMap(Vigie, (client) => client.DeleteGazetteComment({ commentId })),
                                    setComments
                                  )} />
                              </li>
                            )}
                          </For>
                        </ol>
                      </Show>
                      <Show when={replyTo() === thread.comment.id}>
                        <CommentForm id={`reply-${thread.comment.id}`} label="Votre réponse" button="Envoyer la réponse"
                          onSend={(text) => comment(text, thread.comment.id)} />
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
          )}
        </Show>
        <CommentForm id="comment" label="Votre commentaire" button="Publier le commentaire"
          onSend={(text) => comment(text)} />
      </section>
    </div>
  )
}
