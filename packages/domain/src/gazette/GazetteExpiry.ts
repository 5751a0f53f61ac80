import { Context, DateTime, Effect, Layer } from "effect"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Notices } from "../delivery/Notices.js"
import { Transactor } from "../shared/Transactor.js"
import { remindersDue } from "./GazettePolicy.js"
import { GazetteRepo } from "./GazetteRepo.js"
import { expiryReminderBody } from "./GazetteTexts.js"

/** What one run did. */
export interface GazetteExpiryReport {
  readonly expired: number
  readonly reminded: number
}

/** At most this many reminders per run; the next run takes the rest. */
export const REMINDERS_PER_RUN = 500

/**
 * The Gazette's clock: marks expired the open posts past their expiry (they leave the open list;
 * the read rule already shows them expired), and tells each author by e-mail, through the delivery
 * engine, 3 days before their post expires (GazettePolicy.remindersDue). Each reminder is recorded
 * for its expiry and its notice written in one transaction, by a conditional update: of any number
 * of runs in any number of processes, one sends it; a renewal starts a new period and a new reminder.
 */
export class GazetteExpiry extends Context.Tag("@vigie/domain/GazetteExpiry")<
  GazetteExpiry,
  { readonly runOnce: Effect.Effect<GazetteExpiryReport> }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* GazetteRepo
  const notices = yield* Notices
  const tx = yield* Transactor
  const wakeup = yield* DeliveryWakeup

  const runOnce = Effect.gen(function*() {
    const now = yield* DateTime.now
    const expired = yield* repo.expireDue(now)
    // The SQL choice, checked again by the pure rule.
    const due = remindersDue(yield* repo.remindersDue(now, REMINDERS_PER_RUN), now)
    let reminded = 0
    for (const post of due) {
      const sent = yield* tx.transaction(Effect.gen(function*() {
        if (post.expiresAt === null || !(yield* repo.markReminded(post.id, post.expiresAt))) return false
        const counts = yield* notices.notify({
          decisionId: post.id,
          decision: "gazette",
          accountIds: [post.authorId],
          body: expiryReminderBody(post),
          channels: ["email"]
        }, now)
        return counts.email > 0
      }))
      if (sent) reminded++
    }
    if (reminded > 0) yield* wakeup.wake({ channels: ["email"] })
    return { expired, reminded }
  }).pipe(Effect.withSpan("GazetteExpiry.runOnce"))

  return GazetteExpiry.of({ runOnce })
})

export const layer = Layer.effect(GazetteExpiry, make)
