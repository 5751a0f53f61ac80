import { Context, Effect, Layer, Option } from "effect"
import type { DateTime } from "effect"
import type { MessageSubject } from "../delivery/Delivery.js"
import { Outbox } from "../delivery/Outbox.js"
import { Transactor } from "../shared/Transactor.js"
import type { Alert, AlertId, AlertStatus } from "./Alert.js"
import { messagesOnMove, messagesOnPost, needsOriginal } from "./AlertMessages.js"
import type { AlertMessage } from "./AlertMessages.js"
import { AlertRepo } from "./AlertRepo.js"
import type { AlertMoved, FanOutResult, NewAlert } from "./AlertRepo.js"

/**
 * Alerts written and moved together with the messages each step sends, in one transaction (the
 * delivery table is the transactional outbox): all or nothing. What is sent is decided by the pure
 * AlertMessages; AlertRepo stores the row and the Outbox plans the deliveries. The use cases (Alerts,
 * moderation) call it inside their own transaction, and wake the workers once it committed.
 */
export class AlertPublisher extends Context.Tag("@vigie/domain/AlertPublisher")<
  AlertPublisher,
  {
    /**
     * Writes the alert and, when it is published, its message and every delivery row. A published
     * follow-up writes instead the original's one 'followup' message (at most one per original), whose
     * deliveries copy the original's recipients that did not end failed or dead, minus the follow-up's
     * author, when `followup.notify`; `fanOut` then counts those (none when the original already had one).
     */
    readonly post: (
      alert: NewAlert,
      now: DateTime.Utc
    ) => Effect.Effect<{ readonly alert: Alert; readonly fanOut: Option.Option<FanOutResult> }>
    /** Plans the deliveries of an existing alert's message (idempotent: existing rows are kept). */
    readonly fanOut: (alertId: AlertId, now: DateTime.Utc) => Effect.Effect<FanOutResult>
    /**
     * Moves an alert from `from` to `to` with its consequences (AlertMessages.messagesOnMove): the
     * 'closing' message (once per alert) copied from the 'alert' message's deliveries that did not end
     * failed or dead (SMS to a number that said STOP since are left out); the first publication's
     * fan-out. None when the alert is no longer in `from` (a concurrent move won).
     */
    readonly transition: (
      id: AlertId,
      from: AlertStatus,
      to: AlertStatus,
      now: DateTime.Utc
    ) => Effect.Effect<Option.Option<AlertMoved>>
  }
>() {}

/** The subject of the messages about an alert. */
export const alertSubject = (kind: "alert" | "followup" | "closing", alertId: AlertId): MessageSubject => ({ kind,
  id: alertId })

export const make = Effect.gen(function*() {
  const alerts = yield* AlertRepo
  const outbox = yield* Outbox
  const tx = yield* Transactor

  /** The alert's own message to its audience. */
  const fanOutOf = (alert: Alert, now: DateTime.Utc) =>
    outbox.fanOut(alertSubject("alert", alert.id), {
      authorId: alert.authorId,
      audience: alert.scope,
      priority: alert.urgency
    }, now)

  /** Sends one decided message about `alert` (a fan-out is always the alert's own). */
  const send = (alert: Alert, message: AlertMessage, now: DateTime.Utc): Effect.Effect<Option.Option<FanOutResult>> => {
    switch (message._tag) {
      case "FanOut":
        return Effect.map(fanOutOf(alert, now), Option.some)
      case "FollowUp":
        return outbox.copyRecipients(
          alertSubject("alert", message.originalId),
          alertSubject("followup", message.originalId),
          [message.excluded],
          now
        )
      case "Closing":
        return outbox.copyRecipients(
          alertSubject("alert", message.alertId),
          alertSubject("closing", message.alertId),
          [],
          now
        )
    }
  }

  const sendAll = (alert: Alert, messages: ReadonlyArray<AlertMessage>, now: DateTime.Utc) =>
    Effect.forEach(messages, (m) => Effect.map(send(alert, m, now), (written) => [m._tag, written] as const))

  const post: AlertPublisher["Type"]["post"] = (alert, now) =>
    tx.transaction(Effect.gen(function*() {
      const stored = yield* alerts.insert(alert, now)
      const sent = yield* sendAll(stored, messagesOnPost(stored, alert.followup?.notify ?? false), now)
      return { alert: stored, fanOut: Option.flatten(Option.fromNullable(sent[0]?.[1])) }
    })).pipe(Effect.withSpan("AlertPublisher.post"))

  const fanOut: AlertPublisher["Type"]["fanOut"] = (alertId, now) =>
    tx.transaction(Effect.flatMap(alerts.findById(alertId), (found) =>
      Option.match(found, {
        onNone: () => Effect.dieMessage(`alert ${alertId} is missing`),
        onSome: (alert) => fanOutOf(alert, now)
      }))).pipe(Effect.withSpan("AlertPublisher.fanOut"))

  const transition: AlertPublisher["Type"]["transition"] = (id, from, to, now) =>
    tx.transaction(Effect.gen(function*() {
      const moved = yield* alerts.move(id, from, to, now)
      if (Option.isNone(moved)) return Option.none<AlertMoved>()
      const { alert, firstPublished } = moved.value
      const originalAuthor = needsOriginal(from, to, firstPublished, alert)
        ? Option.map(yield* alerts.findById(Option.getOrThrow(alert.followupOf)), (o) => o.authorId)
        : Option.none()
      const sent = yield* sendAll(alert, messagesOnMove({ from, to, alert, firstPublished, originalAuthor }), now)
      const of = (tag: AlertMessage["_tag"]) => Option.flatten(Option.fromNullable(sent.find(([t]) => t === tag)?.[1]))
      return Option.some<AlertMoved>({
        alert,
        closing: of("Closing"),
        fanOut: Option.orElse(of("FanOut"), () => of("FollowUp"))
      })
    })).pipe(Effect.withSpan("AlertPublisher.transition"))

  return AlertPublisher.of({ post, fanOut, transition })
})

/** Needs AlertRepo, Outbox and Transactor. */
export const layer = Layer.effect(AlertPublisher, make)
