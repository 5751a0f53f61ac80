import { CurrentActor, type Actor } from "@vigie/domain/accounts/CurrentActor"
import type { Alert } from "@vigie/domain/alerts/Alert"
import { AlertRpcs } from "@vigie/domain/alerts/AlertRpcs"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { Effect, Stream } from "effect"
import { endOnShutdown, ShuttingDown } from "../http/GracefulShutdown.js"

export const layer = AlertRpcs.toLayer(Effect.gen(function*() {
  const alerts = yield* Alerts
  const shuttingDown = yield* Effect.serviceOption(ShuttingDown)
  /** The alert as its reader receives it (AlertView), never with an account id. */
  const presented = <E>(actor: Actor, alert: Effect.Effect<Alert, E>) =>
    alert.pipe(Effect.flatMap((a) => alerts.present(actor, [a])), Effect.map(([view]) => view!))
  return {
    PostAlert: (draft) => Effect.flatMap(CurrentActor, (actor) => presented(actor, alerts.post(actor, draft))),
    ListAlerts: (page) => Effect.flatMap(CurrentActor, (actor) => alerts.feed(actor, page)),
    GetAlert: ({ alertId }) => Effect.flatMap(CurrentActor, (actor) => alerts.view(actor, alertId)),
    RetractAlert: ({ alertId }) =>
      Effect.flatMap(CurrentActor, (actor) => presented(actor, alerts.close(actor, alertId, "retracted"))),
    ResolveAlert: ({ alertId }) =>
      Effect.flatMap(CurrentActor, (actor) => presented(actor, alerts.close(actor, alertId, "resolved"))),
    WatchLiveEvents: () =>
      Stream.unwrapScoped(Effect.flatMap(CurrentActor, alerts.watch)).pipe(endOnShutdown(shuttingDown))
  }
}))
