import { SqlClient } from "@effect/sql"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import type { Account } from "@vigie/domain/accounts/Account"
import type { VeilleSetup } from "@vigie/domain/checkin/Veille"
import { Veilles } from "@vigie/domain/checkin/Veilles"
import { PaperRegistrations } from "@vigie/domain/registration/PaperRegistrations"
import type { AccountId } from "@vigie/domain/shared/Ids"
import type { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import { Clock, Effect, Option } from "effect"
import { actorOf } from "../support/Actors.js"
import { homeAddress, verifiedNeighbour, type World } from "../support/World.js"

const base = Clock.make()

/** A clock stopped at `ms` (epoch): the veille's "now" in a test. */
export const clockAt = (ms: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  unsafeCurrentTimeMillis: () => ms,
  currentTimeMillis: Effect.succeed(ms),
  unsafeCurrentTimeNanos: () => BigInt(ms) * 1_000_000n,
  currentTimeNanos: Effect.succeed(BigInt(ms) * 1_000_000n),
  sleep: base.sleep
})

/** Runs `effect` with the clock at `ms`. */
export const at = (ms: number) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.withClock(effect, clockAt(ms))

let serial = 0
/** A fictional mobile (ARCEP's range for fiction), unique in this run. */
export const fictionalMobile = () => {
  serial++
  return `06 39 98 ${String(Math.floor(Math.random() * 90) + 10)} ${String(serial % 100).padStart(2, "0")}`
}
export const e164 = (typed: string) => `+33${typed.replace(/\s/g, "").slice(1)}` as PhoneE164

export interface VeilleWorld {
  readonly person: Account
  readonly personPhone: PhoneE164
  /** Two veilleurs with a verified mobile and an e-mail, in quartier A. */
  readonly veilleurs: ReadonlyArray<Account>
}

/** Mme Martin, registered on paper by the référent of A with a mobile; two veilleurs of A with mobiles. */
export const paperPerson = (world: World, tag: string, landline = false) =>
  Effect.gen(function*() {
    const typed = landline
      ? `05 49 ${String(10 + (serial++ % 80))} ${String(Math.floor(Math.random() * 90) + 10)} 34`
      : fictionalMobile()
    const registered = yield* (yield* PaperRegistrations).register(actorOf(world.accounts.referentA), {
      communityId: world.communityA.id,
      firstName: "Jeanne",
      lastName: `Martin${tag}`,
      address: homeAddress("8 rue des Tilleuls"),
      phone: typed,
      consent: true
    }).pipe(Effect.orDie)
    const person = Option.getOrThrow(yield* (yield* AccountRepo).findById(registered.accountId))
    const veilleurs: Array<Account> = []
    for (const name of ["Paul", "Lucie"]) {
      veilleurs.push(
        yield* verifiedNeighbour({
          communityId: world.communityA.id,
          firstName: name,
          lastName: `Veilleur${tag}`,
          email: `${name.toLowerCase()}.${tag}.${crypto.randomUUID().slice(0, 6)}@example.org` as Email,
          phone: Option.some(e164(fictionalMobile())),
          line1: `${veilleurs.length + 2} rue des Tilleuls`
        })
      )
    }
    return { person, personPhone: e164(typed), veilleurs } satisfies VeilleWorld
  })

/** The texts sent (deliveries written) to a destination, oldest first. */
export const textsTo = (destination: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      sql<{ body: string }>`
      SELECT m.body FROM deliveries d JOIN messages m ON m.id = d.message_id
      WHERE lower(d.destination) = lower(${destination}) AND m.kind = 'veille_notice' ORDER BY d.id`,
      (rows) => rows.map((r) => r.body)
    ))

export const accountOf = (id: AccountId) =>
  Effect.map(Effect.flatMap(AccountRepo, (r) => r.findById(id)), Option.getOrThrow)

/** The veille's next check-in (epoch ms), as the person's page shows it. */
export const nextCheckInOf = (manager: Account, person: AccountId) =>
  Effect.gen(function*() {
    const view = yield* (yield* Veilles).view(actorOf(manager), Option.some(person)).pipe(Effect.orDie)
    return Option.getOrThrow(Option.flatMap(view, (v) => v.nextCheckIn)).epochMillis
  })

/**
 * A veille for `v` in `world`'s quartier A: every day at 10:00 by SMS, watched by `v`'s veilleurs,
 * consent on a signed paper form; `extra` changes any field (bad values too, for the refusals).
 */
export const setupFor = (world: World, v: VeilleWorld, extra: Partial<Record<keyof VeilleSetup, unknown>> = {}) =>
  ({
    person: v.person.id,
    communityId: world.communityA.id,
    days: [1, 2, 3, 4, 5, 6, 7],
    time: "10:00",
    channel: "sms",
    veilleurs: v.veilleurs.map((a) => a.id),
    shareAddress: true,
    paperConsent: true,
    ...extra
  }) as VeilleSetup
