import { Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { loadingTexts, type MessageRenderers } from "../delivery/SubjectTexts.js"
import { PublicUrl } from "../shared/PublicUrl.js"
import { Transactor } from "../shared/Transactor.js"
import {
  type DigestCandidate,
  digestContent,
  digestDue,
  type DigestWindow,
  digestWindow,
  latestDigestAt
} from "./GazetteDigest.js"
import { type DigestReport, GazetteDigestRepo } from "./GazetteDigestRepo.js"
import { digestEmail } from "./GazetteDigestTexts.js"

/** The kind of the digest's messages in the delivery engine. */
export const DIGEST_MESSAGE = "gazette_digest"

/** How long the digests' e-mails are kept after their Monday (then blanked, see GazetteDigestRepo.forgetEmails). */
export const DIGEST_EMAILS_KEPT = Duration.days(28)

/** Groups rendered per round: bounds the memory of a planning, whatever the number of members. */
export const DIGEST_CHUNK = 2000

/**
 * The Monday digest of the Gazette. `runDue` plans the digest due now (the last Monday 08:00, Paris,
 * unless it is too late: GazetteDigest.digestDue), at most once per week across every process: in
 * one transaction it claims the week, groups the members by (quartiers, weekly topics), renders one
 * e-mail per group, in rounds of DIGEST_CHUNK groups, and writes one message per group with the
 * deliveries of all its members; it wakes the e-mail workers after the commit, which send at their
 * pace. None: nothing was due, or another process planned it.
 */
export class GazetteDigests extends Context.Tag("@vigie/domain/GazetteDigests")<
  GazetteDigests,
  {
    readonly runDue: Effect.Effect<Option.Option<DigestReport>>
    /** Plans the digest of the Monday 08:00 `runAt` now (the job and the benchmark call it). */
    readonly plan: (runAt: DateTime.Utc) => Effect.Effect<Option.Option<DigestReport>>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* GazetteDigestRepo
  const tx = yield* Transactor
  const wakeup = yield* DeliveryWakeup
  const publicUrl = yield* PublicUrl

  const render = (window: DigestWindow) =>
    Effect.gen(function*() {
      let after = 0
      for (;;) {
        const groups = yield* repo.groups(window, after, DIGEST_CHUNK)
        if (groups.length === 0) return
        const communities = [...new Set(groups.flatMap((g) => g.communities))]
        const candidates = yield* repo.candidates(window, communities)
        // Each group reads only the candidates of its quartiers, not the whole round's.
        const byCommunity = new Map<string, Array<DigestCandidate>>()
        for (const c of candidates) {
          for (const id of c.reach) {
            const list = byCommunity.get(id)
            if (list === undefined) byCommunity.set(id, [c])
            else list.push(c)
          }
        }
        yield* repo.store(groups.map((g) => {
          const content = digestContent(g, g.communities.flatMap((id) => byCommunity.get(id) ?? []))
          return {
            id: g.id,
            email: content.length === 0 ? null : digestEmail(content, window, g.communities.length, publicUrl),
            postIds: content.map((c) => c.id)
          }
        }))
        after = groups[groups.length - 1]!.seq
      }
    })

  const plan: GazetteDigests["Type"]["plan"] = (runAt) =>
    Effect.gen(function*() {
      const window = digestWindow(runAt)
      const at = yield* DateTime.now
      const report = yield* tx.transaction(Effect.gen(function*() {
        if (!(yield* repo.claim(window, at))) return Option.none<DigestReport>()
        yield* repo.group(window)
        yield* render(window)
        const report = yield* repo.send(window, at)
        yield* repo.forgetEmails(digestWindow(DateTime.subtractDuration(runAt, DIGEST_EMAILS_KEPT)).week)
        return Option.some(report)
      }))
      if (Option.isSome(report) && report.value.deliveries > 0) yield* wakeup.wake({ channels: ["email"] })
      return report
    }).pipe(Effect.withSpan("GazetteDigests.plan"))

  const runDue = Effect.gen(function*() {
    const now = yield* DateTime.now
    const runAt = latestDigestAt(now)
    return digestDue(runAt, now) ? yield* plan(runAt) : Option.none<DigestReport>()
  })

  return GazetteDigests.of({ runDue, plan })
})

export const layer = Layer.effect(GazetteDigests, make)

/** The digest's texts for the delivery workers: the e-mail stored with its group (never an SMS). */
export const digestRenderers: Effect.Effect<MessageRenderers, never, GazetteDigestRepo> = Effect.map(
  GazetteDigestRepo,
  (repo) => ({
    [DIGEST_MESSAGE]: loadingTexts({
      load: repo.emails,
      missing: (d) => `delivery ${d.id}: its digest ${d.subject.id} has no e-mail`,
      sms: () => {
        throw new Error("the Gazette digest is never sent by SMS")
      },
      email: (email) => email
    })
  })
)
