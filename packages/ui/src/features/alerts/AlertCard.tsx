import { A } from "@solidjs/router"
import { alertStatusLabels, categoryLabels, originLabels, urgencyLabels } from "@vigie/domain/alerts/AlertLabels"
import type { AlertView } from "@vigie/domain/alerts/AlertView"
import { Option } from "effect"
import { Show } from "solid-js"
import { CategoryIcon } from "../../components/Icons.js"
import { formatDateTime } from "../../lib/labels.js"
import { reactionCountsLabel } from "./AlertResponses.js"

/** Where an alert was sent, in words. */
export const scopeLabel = (alert: AlertView, communityNames: ReadonlyMap<string, string>): string =>
  alert.scope._tag === "Community"
    ? communityNames.get(alert.scope.communityId) ?? "Mon quartier"
    : "Toute la commune"

/** One alert in the feed: category, urgency, status, text, place, time. */
export const AlertCard = (props: {
  readonly alert: AlertView
  readonly mine: boolean
  readonly fresh?: boolean
  readonly communityNames: ReadonlyMap<string, string>
  /** Its "J'y vais" / "Vu" counts, when known. */
  readonly reactions?: { readonly going: number; readonly seen: number } | undefined
}) => (
  <article class="alert-card"
    classList={{ urgent: props.alert.urgency === "urgent", fresh: props.fresh === true,
      closed: props.alert.status === "resolved" || props.alert.status === "retracted" }}
    aria-labelledby={`alert-${props.alert.id}-title`}
  >
    <div class="alert-head">
      <CategoryIcon category={props.alert.category} />
      <div>
        <h2 id={`alert-${props.alert.id}-title`}>
          <A href={`/alertes/${props.alert.id}`}>{categoryLabels[props.alert.category]}</A>
        </h2>
        <p class="meta">
          <span class="badge" classList={{ urgent: props.alert.urgency === "urgent" }}>
            {urgencyLabels[props.alert.urgency]}
          </span>
          <span class="badge status" data-status={props.alert.status}>{alertStatusLabels[props.alert.status]}</span>
          <Show when={props.fresh}>
            <span class="badge new">Nouveau</span>
          </Show>
        </p>
      </div>
    </div>
    <p class="alert-text">{props.alert.text}</p>
    <Show when={Option.getOrUndefined(props.alert.place)}>
      {(place) => <p class="meta">Lieu : {place()}</p>}
    </Show>
    <p class="meta">
      {formatDateTime(props.alert.createdAt)} · {scopeLabel(props.alert, props.communityNames)}
      {props.mine ? " · par vous" : ""}
      {props.alert.origin === "sms" ? " · par SMS" : ""}
      {props.alert.origin === "mairie" || props.alert.origin === "police"
        ? ` · ${originLabels[props.alert.origin]}`
        : ""}
    </p>
    <Show when={props.reactions !== undefined && reactionCountsLabel(props.reactions.going, props.reactions.seen)}>
      {(label) => <p class="meta reaction-counts" data-testid="reaction-counts">Voisins : {label()}</p>}
    </Show>
  </article>
)
