import { A } from "@solidjs/router"
import type { GazettePostView } from "@vigie/domain/gazette/GazettePost"
import { Show } from "solid-js"
import { formatDate, formatDateTime } from "../../lib/labels.js"
import { detailsHeadline, kindLabels, outcomeLabels, stateLabels, statusLabels } from "./GazetteLabels.js"

/** Where a photo or an attachment of a post is served (to those who may read the post only). */
export const mediaUrl = (uploadId: string): string => `/media/${uploadId}`

/** The first words of a text, cut at a word, with "…". */
export const excerpt = (text: string, max = 180): string => {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  const space = cut.lastIndexOf(" ")
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** When an event or a ride takes place, for the card. */
const when = (post: GazettePostView): string | undefined =>
  post.details._tag === "evenement"
    ? `Le ${formatDateTime(post.details.startsAt)} · ${post.details.place}`
    : post.details._tag === "covoiturage"
    ? `Départ le ${formatDateTime(post.details.departsAt)}`
    : undefined

/** One post in a Gazette list: kind, headline, title (the link), an excerpt, its state, who and when. */
export const GazetteCard = (props: { readonly post: GazettePostView; readonly fresh?: boolean }) => (
  <article class="gazette-card"
    classList={{ closed: props.post.state !== "open", pinned: props.post.pinned, fresh: props.fresh === true }}
    aria-labelledby={`post-${props.post.id}-title`} data-kind={props.post.kind}
  >
    <Show when={props.post.photos[0]}>
      {(photo) => <img class="thumb" src={mediaUrl(photo())} alt="" loading="lazy" width="96" height="96" />}
    </Show>
    <div>
      <p class="meta">
        <span class="badge kind">{kindLabels[props.post.kind]}</span>
        <Show when={props.post.pinned}>
          <span class="badge pinned">Épinglé</span>
        </Show>
        <Show when={props.post.state !== "open"}>
          <span class="badge status">
            {props.post.outcome !== null ? outcomeLabels[props.post.outcome] : stateLabels[props.post.state]}
          </span>
        </Show>
        <Show when={props.post.cancelledAt !== null}>
          <span class="badge status">Annulé</span>
        </Show>
        <Show when={props.post.status !== "published"}>
          <span class="badge status" data-status={props.post.status}>{statusLabels[props.post.status]}</span>
        </Show>
        <Show when={props.fresh}>
          <span class="badge new">Nouveau</span>
        </Show>
      </p>
      <h2 id={`post-${props.post.id}-title`}>
        <A href={`/gazette/${props.post.id}`}>{props.post.title}</A>
      </h2>
      <p class="headline">{detailsHeadline(props.post.details)}</p>
      <Show when={when(props.post)}>{(w) => <p class="meta">{w()}</p>}</Show>
      <p>{excerpt(props.post.body)}</p>
      <p class="meta">
        {props.post.mine ? "Par vous" : `Par ${props.post.authorName}`} · {formatDate(props.post.createdAt)}
        <Show when={props.post.photos.length > 0}>
          {" · "}
          {props.post.photos.length === 1 ? "1 photo" : `${props.post.photos.length} photos`}
        </Show>
      </p>
    </div>
  </article>
)
