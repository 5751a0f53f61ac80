import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { AlertRpcs } from "@vigie/domain/alerts/AlertRpcs"
import { Alerts } from "@vigie/domain/alerts/Alerts"
import { Effect, Stream } from "effect"
import { endOnShutdown, ShuttingDown } from "../http/GracefulShutdown.js"

export const layer = AlertRpcs.toLayer(Effect.gen(function*() {
  const alerts = yield* Alerts
  const shuttingDown = yield* Effect.serviceOption(ShuttingDown)
  return {
    PostAlert: (draft) => Effect.flatMap(CurrentActor, (actor) => alerts.post(actor, draft)),
    ListAlerts: (page) => Effect.flatMap(CurrentActor, (actor) => alerts.feed(actor, page)),
    GetAlert: ({ alertId }) => Effect.flatMap(CurrentActor, (actor) => alerts.get(actor, alertId)),
    RetractAlert: ({ alertId }) => Effect.flatMap(CurrentActor, (actor) => alerts.close(actor, alertId, "retracted")),
    ResolveAlert: ({ alertId }) => Effect.flatMap(CurrentActor, (actor) => alerts.close(actor, alertId, "resolved")),
    WatchLiveEvents: () =>
      Stream.unwrapScoped(Effect.flatMap(CurrentActor, alerts.watch)).pipe(endOnShutdown(shuttingDown))
  }
}))
