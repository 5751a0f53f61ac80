import { Effect, Either, Option } from "effect"
import type { ClaimedDelivery } from "./DeliveryRepo.js"
import type { Channel } from "./NotificationPreferences.js"

/** An e-mail's texts: its subject line, plain text and HTML. */
export interface EmailContent {
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** One delivery's text, or why it cannot be rendered (the delivery then fails for good, with that reason). */
export type Rendered<A> = Either.Either<A, string>

/**
 * The texts of one kind of message, provided by the context that owns the kind (alerts, mairie,
 * moderation ...). Each method gets claimed deliveries of its kinds, from one claim, loads at once
 * what their texts are made of, and returns one result per delivery, in their order.
 */
export interface SubjectTexts {
  readonly sms: (deliveries: ReadonlyArray<ClaimedDelivery>) => Effect.Effect<ReadonlyArray<Rendered<string>>>
  readonly email: (deliveries: ReadonlyArray<ClaimedDelivery>) => Effect.Effect<ReadonlyArray<Rendered<EmailContent>>>
}

/** The texts of every kind of message a deployment sends, by subject kind: the app registers them. */
export type MessageRenderers = Readonly<Record<string, SubjectTexts>>

const reasonOf = (error: unknown) => error instanceof Error ? error.message : String(error)

const attempt = <A>(render: () => A): Rendered<A> => {
  try {
    return Either.right(render())
  } catch (error) {
    return Either.left(reasonOf(error))
  }
}

/**
 * The SubjectTexts of messages whose texts are made of their subject as it stands when they are
 * claimed: `load` reads the subjects of a claim at once (by subject id; one not found makes its
 * deliveries unrenderable with `missing`), and `sms` / `email` render one delivery from them (pure;
 * a throw makes that delivery unrenderable).
 */
export const loadingTexts = <Facts>(options: {
  readonly load: (ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, Facts>>
  readonly missing: (delivery: ClaimedDelivery) => string
  readonly sms: (facts: Facts, delivery: ClaimedDelivery) => string
  readonly email: (facts: Facts, delivery: ClaimedDelivery) => EmailContent
}): SubjectTexts => {
  const each =
    <A>(render: (facts: Facts, delivery: ClaimedDelivery) => A) =>
    (deliveries: ReadonlyArray<ClaimedDelivery>): Effect.Effect<ReadonlyArray<Rendered<A>>> =>
      deliveries.length === 0 ? Effect.succeed([]) : Effect.map(
        options.load([...new Set(deliveries.map((d) => d.subject.id))]),
        (found) =>
          deliveries.map((d) => {
            const facts = found.get(d.subject.id)
            return facts === undefined ? Either.left(options.missing(d)) : attempt(() => render(facts, d))
          })
      )
  return { sms: each(options.sms), email: each(options.email) }
}

/**
 * The SubjectTexts of messages whose text was stored with them when they were written (`body`): a
 * delivery without one is unrenderable with `missing`.
 */
export const storedTexts = (options: {
  readonly missing: (delivery: ClaimedDelivery) => string
  readonly sms: (body: string, delivery: ClaimedDelivery) => string
  readonly email: (body: string, delivery: ClaimedDelivery) => EmailContent
}): SubjectTexts => {
  const each =
    <A>(render: (body: string, delivery: ClaimedDelivery) => A) =>
    (deliveries: ReadonlyArray<ClaimedDelivery>): Effect.Effect<ReadonlyArray<Rendered<A>>> =>
      Effect.succeed(deliveries.map((d) =>
        Option.match(d.body, {
          onNone: (): Rendered<A> => Either.left(options.missing(d)),
          onSome: (body) => attempt(() => render(body, d))
        })
      ))
  return { sms: each(options.sms), email: each(options.email) }
}

const renderWith = <A>(
  renderers: MessageRenderers,
  pick: (
    texts: SubjectTexts
  ) => (deliveries: ReadonlyArray<ClaimedDelivery>) => Effect.Effect<ReadonlyArray<Rendered<A>>>,
  deliveries: ReadonlyArray<ClaimedDelivery>
): Effect.Effect<ReadonlyArray<Rendered<A>>> => {
  const groups = new Map<string, Array<number>>()
  deliveries.forEach((d, i) => {
    const group = groups.get(d.subject.kind)
    if (group === undefined) groups.set(d.subject.kind, [i])
    else group.push(i)
  })
  const results: Array<Rendered<A>> = new Array(deliveries.length)
  return Effect.as(
    Effect.forEach(groups, ([kind, indexes]) => {
      const texts = Object.hasOwn(renderers, kind) ? renderers[kind] : undefined
      if (texts === undefined) {
        indexes.forEach((i) => (results[i] = Either.left(`no texts for messages of kind "${kind}"`)))
        return Effect.void
      }
      return Effect.map(
        pick(texts)(indexes.map((i) => deliveries[i]!)),
        (out) => indexes.forEach((i, j) => (results[i] = out[j] ?? Either.left("no text rendered")))
      )
    }, { discard: true }),
    results
  )
}

/**
 * The texts of a claim on `channel`: its deliveries grouped by subject kind, each group rendered once
 * by the kind's SubjectTexts (a kind nobody registered is unrenderable). One result per delivery, in
 * the order of `deliveries`.
 */
export const renderClaim = {
  sms: (renderers: MessageRenderers, deliveries: ReadonlyArray<ClaimedDelivery>) =>
    renderWith(renderers, (texts) => texts.sms, deliveries),
  email: (renderers: MessageRenderers, deliveries: ReadonlyArray<ClaimedDelivery>) =>
    renderWith(renderers, (texts) => texts.email, deliveries)
} satisfies Record<Channel, unknown>
