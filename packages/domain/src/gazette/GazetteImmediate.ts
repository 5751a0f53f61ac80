import { Context, DateTime, Duration, Effect, Layer } from "effect"
import type { AccountId } from "../accounts/Account.js"
import { button, layout, paragraphs } from "../channels/EmailLayout.js"
import { preferencesLink } from "../channels/Links.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { loadingTexts, type MessageRenderers } from "../delivery/SubjectTexts.js"
import type { CommunityId } from "../communities/Community.js"
import { digestReach, type DigestWorld } from "./GazetteDigest.js"
import { eventTime, excerptOf, gazettePostLink, topicHeadings } from "./GazetteDigestTexts.js"
import { type ImmediatePost, type ImmediateReport, GazetteImmediateRepo } from "./GazetteImmediateRepo.js"
import type { GazettePostId } from "./GazettePost.js"
import { defaultGazetteChoices } from "./GazettePreferences.js"

/** The kind of the immediate messages of the Gazette in the delivery engine. */
export const IMMEDIATE_MESSAGE = "gazette_post"
/** Posts published (or approved) longer ago than this are not sent at once any more. */
export const IMMEDIATE_WINDOW = Duration.days(2)
/** Posts handled per run; the next run takes the rest. */
export const IMMEDIATE_PER_RUN = 200

/** A delivery the immediate message of a post is to have. */
export interface ImmediateDelivery {
  readonly accountId: AccountId
  readonly channel: "email" | "sms"
}

/**
 * Who is told of a published post at once: the active members verified in an active quartier it
 * reaches, never its author: by e-mail those with an e-mail who chose "immediate" for its kind; for a
 * mairie communication, also by SMS those who asked for the mairie's SMS, on a verified phone not on
 * the STOP list (`suppressed`). A post that is not published, or is a cancelled event, tells nobody.
 * The SQL (GazetteImmediateRepo.plan) must agree with it.
 */
export const immediateRecipients = (
  world: DigestWorld & {
    readonly phones: ReadonlyMap<AccountId, { readonly phone: string; readonly verified: boolean }>
    readonly suppressed: ReadonlySet<string>
    readonly mairieSms: ReadonlySet<AccountId>
  },
  postId: GazettePostId
): ReadonlyArray<ImmediateDelivery> => {
  const post = world.posts.find((p) => p.id === postId)
  if (post === undefined || post.status !== "published" || post.cancelledAt !== null) return []
  const active = new Set(world.communities.filter((c) => c.status === "active").map((c) => c.id))
  const reach = new Set<CommunityId>(digestReach(post, world).filter((id) => active.has(id)))
  const out: Array<ImmediateDelivery> = []
  for (const account of world.accounts) {
    if (account.status !== "active" || account.id === post.authorId) continue
    const member = world.memberships.some((m) =>
      m.accountId === account.id && m.status === "verified" && reach.has(m.communityId)
    )
    if (!member) continue
    const choices = world.choices.get(account.id) ?? defaultGazetteChoices
    if (account.email !== null && choices[post.kind] === "immediate") {
      out.push({ accountId: account.id, channel: "email" })
    }
    const phone = world.phones.get(account.id)
    if (
      post.kind === "communication" && world.mairieSms.has(account.id) && phone !== undefined && phone.verified &&
      !world.suppressed.has(phone.phone)
    ) out.push({ accountId: account.id, channel: "sms" })
  }
  return out
}

/**
 * The Gazette's e-mails at once (and the mairie's SMS): `runOnce` plans the posts published since
 * IMMEDIATE_WINDOW that have no immediate message yet, in one transaction per run (so a post held
 * then approved is sent when approved), and wakes the workers after the commit. Every process runs it
 * in turn; the unique message per post makes a second planning write nothing.
 */
export class GazetteImmediate extends Context.Tag("@vigie/domain/GazetteImmediate")<
  GazetteImmediate,
  { readonly runOnce: Effect.Effect<ImmediateReport> }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* GazetteImmediateRepo
  const wakeup = yield* DeliveryWakeup
  const runOnce = Effect.gen(function*() {
    const now = yield* DateTime.now
    const report = yield* repo.plan(DateTime.subtractDuration(now, IMMEDIATE_WINDOW), now, IMMEDIATE_PER_RUN)
    const channels = [...(report.sms > 0 ? ["sms" as const] : []), ...(report.email > 0 ? ["email" as const] : [])]
    if (channels.length > 0) yield* wakeup.wake({ channels })
    return report
  }).pipe(Effect.withSpan("GazetteImmediate.runOnce"))
  return GazetteImmediate.of({ runOnce })
})

export const layer = Layer.effect(GazetteImmediate, make)

const published = (post: ImmediatePost) => {
  if (post.status !== "published") throw new Error(`the post ${post.id} is no longer published (${post.status})`)
  return post
}

/** The SMS of a mairie communication: short, with its link. */
export const immediateSms = (post: ImmediatePost, publicUrl: URL | string): string =>
  `Vigie – Mairie : ${excerptOf(post.title, 90)} ${gazettePostLink(publicUrl, post.id)}`

/** The e-mail of a post sent at once, in French: what it is, where, its text and its link. */
export const immediateEmail = (post: ImmediatePost, publicUrl: URL | string) => {
  const link = gazettePostLink(publicUrl, post.id)
  const mairie = post.kind === "communication"
  const where = [
    ...(post.startsAt !== null ? [eventTime(post.startsAt)] : []),
    ...(post.place !== null && post.place.length > 0 ? [post.place] : []),
    ...(post.quartier !== null ? [post.quartier] : [])
  ].join(" – ")
  return layout({
    subject: `${mairie ? "Vigie – Mairie" : "Vigie – Gazette"} : ${post.title}`,
    heading: `${topicHeadings[post.kind]} : ${post.title}`,
    blocks: [
      paragraphs([...(where.length > 0 ? [where] : []), excerptOf(post.excerpt, 600)]),
      button(link, "Lire sur Vigie", `Lire sur Vigie : ${link}`)
    ],
    footer: {
      note: "Vous recevez cet e-mail parce que vous avez choisi d'être prévenu aussitôt pour cette rubrique.",
      preferences: preferencesLink(publicUrl)
    }
  })
}

/** The immediate messages' texts for the delivery workers, from the post as it stands when sent. */
export const immediateRenderers = (
  publicUrl: URL | string
): Effect.Effect<MessageRenderers, never, GazetteImmediateRepo> =>
  Effect.gen(function*() {
    const repo = yield* GazetteImmediateRepo
    return {
      [IMMEDIATE_MESSAGE]: loadingTexts({
        load: repo.posts,
        missing: (d) => `delivery ${d.id}: its Gazette post ${d.subject.id} is missing`,
        sms: (post) => immediateSms(published(post), publicUrl),
        email: (post) => immediateEmail(published(post), publicUrl)
      })
    }
  })
