import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { SqlClient } from "@effect/sql"
import { Veilles } from "@vigie/domain/checkin/Veilles"
import { Clock, Effect } from "effect"

export const DEV_VEILLE_PATH = "/dev/veille/avancer"

/**
 * The dev inbox's "advance the veille" button (development only): the check-ins' clock jumps to the
 * next deadline of an open check-in (the check-in's time, the reminder, the veilleurs, the référent
 * ...) and one worker cycle runs there, so a demo or a journey sees the escalation without waiting
 * hours. The messages it writes are due at once.
 */
export const form = `<section id="veille">
<h2>Veille bienveillante</h2>
<form method="post" action="${DEV_VEILLE_PATH}">
<p class="meta">Fait avancer l'horloge des veilles jusqu'à la prochaine étape (message, rappel, veilleurs, référent).</p>
<p><button type="submit">Avancer la veille à la prochaine étape</button></p>
</form>
</section>`

const base = Clock.make()
const clockAt = (ms: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => ms,
  currentTimeMillis: Effect.succeed(ms),
  unsafeCurrentTimeNanos: () => BigInt(ms) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(ms) * 1_000_000n),
  sleep: base.sleep
})

export const handler = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const veilles = yield* Veilles
  const [next] = yield* sql<{ at: number | null }>`
    SELECT (extract(epoch FROM min(due_at)) * 1000)::float8 AS at FROM veille_checkins
    WHERE due_at IS NOT NULL AND (lease_expires_at IS NULL OR lease_expires_at <= now())`
  const at = Math.max(Date.now(), Number(next?.at ?? 0))
  yield* veilles.runDue(500).pipe(Effect.withClock(clockAt(at)))
  return HttpServerResponse.empty({ status: 303, headers: { location: "/dev#veille" } })
}).pipe(Effect.orDie, Effect.withSpan("DevVeille"))

export const devVeilleRoute = HttpRouter.post(DEV_VEILLE_PATH, handler)
