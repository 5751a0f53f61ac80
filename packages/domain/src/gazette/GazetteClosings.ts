import { Context, Effect, Layer } from "effect"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Notices } from "../delivery/Notices.js"
import type { DateTime } from "effect"
import type { GazettePost, PostOutcome } from "./GazettePost.js"
import { foundRecipients } from "./GazetteSocialPolicy.js"
import { GazetteSocialRepo } from "./GazetteSocialRepo.js"
import { gazetteActivityBody } from "./GazetteSocialTexts.js"

/**
 * What closing a post tells others: a perdu / trouvé closed as "retrouvé" is told by e-mail to
 * everyone who commented it (one notice each, never its author). `closed` runs inside the closing's
 * transaction, next to it, and answers what to do after the commit (wake the workers).
 */
export class GazetteClosings extends Context.Tag("@vigie/domain/GazetteClosings")<
  GazetteClosings,
  {
    readonly closed: (
      post: GazettePost,
      outcome: PostOutcome,
      at: DateTime.Utc
    ) => Effect.Effect<Effect.Effect<void>>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* GazetteSocialRepo
  const notices = yield* Notices
  const wakeup = yield* DeliveryWakeup

  const closed: GazetteClosings["Type"]["closed"] = (post, outcome, at) =>
    Effect.gen(function*() {
      if (outcome !== "retrouve") return Effect.void
      const accountIds = foundRecipients(post.authorId, yield* repo.commenters(post.id))
      const written = yield* notices.notify({
        decision: "gazette_activity",
        decisionId: post.id,
        accountIds,
        body: gazetteActivityBody({ kind: "found", title: post.title, authorName: post.authorName }),
        channels: ["email"]
      }, at)
      return written.email > 0 ? wakeup.wake({ channels: ["email"] }) : Effect.void
    }).pipe(Effect.withSpan("GazetteClosings.closed"))

  return GazetteClosings.of({ closed })
})

export const layer = Layer.effect(GazetteClosings, make)
