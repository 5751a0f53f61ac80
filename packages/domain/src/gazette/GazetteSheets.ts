import { Context, DateTime, Effect, Layer, Option, Schema } from "effect"
import { Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { AccountId } from "../shared/Ids.js"
import { PhoneE164 } from "../shared/Text.js"
import type { GazettePost } from "./GazettePost.js"
import { isMairieAgentOf } from "./GazettePolicy.js"
import { GazettePrinter } from "./GazettePrinter.js"
import { GazetteRepo } from "./GazetteRepo.js"
import { CalendarDay, GazetteAnnonce, GazetteEvent, GazetteLostFound, GazetteNews, GazetteWeek } from "./GazetteWeek.js"

type Acting = Unauthenticated | AccountSuspended

/** Nobody's id: lists read as this reader hold published posts only (nobody's own held ones). */
const NOBODY = AccountId.make("00000000-0000-4000-8000-000000000000")
/** How far back the mairie's news reach, and how far ahead the events. */
const NEWS_DAYS = 14
const EVENT_DAYS = 21
/** At most this many posts of each section are read; the sheet shows fewer with a count of the rest. */
const READ = 50

const offerLabels = { vends: "Vends", donne: "Donne", prete: "Prête", cherche: "Cherche" } as const
const helpLabels = {
  courses: "courses",
  bricolage: "bricolage",
  jardinage: "jardinage",
  garde_animaux: "garde d’animaux",
  accompagnement: "accompagnement",
  autre: "autre"
} as const

/** "Donne", "Offre d’aide : courses", "Demande d’aide : jardinage". */
export const kindLabel = (post: GazettePost): string => {
  const d = post.details
  switch (d._tag) {
    case "annonce":
      return offerLabels[d.offer]
    case "entraide":
      return `${d.direction === "offre" ? "Offre d’aide" : "Demande d’aide"} : ${helpLabels[d.help]}`
    default:
      return ""
  }
}

/** The Paris calendar day of `at`, and the Monday and Sunday of its week. */
export const parisWeekOf = (at: DateTime.Utc): { readonly start: CalendarDay; readonly end: CalendarDay } => {
  const parts = DateTime.toParts(DateTime.unsafeMakeZoned(at, { timeZone: "Europe/Paris" }))
  const noon = DateTime.unsafeMake({ year: parts.year, month: parts.month, day: parts.day, hours: 12 })
  const monday = DateTime.subtract(noon, { days: (parts.weekDay + 6) % 7 })
  const day = (d: DateTime.Utc) => CalendarDay.make(DateTime.formatIso(d).slice(0, 10))
  return { start: day(monday), end: day(DateTime.add(monday, { days: 6 })) }
}

/** How the sheet tells neighbours to reach Vigie: the SMS number (none without Plivo) and the sign-up page. */
export interface SheetContact {
  readonly smsNumber: Option.Option<string>
  readonly joinUrl: string
}

/**
 * A quartier's Gazette of the week, on paper (issue 15, item 7): the mairie's recent news and pinned
 * communications, the coming events, the open annonces and entraide, lost and found — published posts
 * only — printed large for the hall's noticeboard and the neighbours without internet. Its référents
 * and the mairie agents of its commune print it; nobody else (Forbidden; an unknown quartier is
 * CommunityNotFound).
 */
export class GazetteSheets extends Context.Tag("@vigie/domain/GazetteSheets")<
  GazetteSheets,
  {
    readonly week: (
      actor: Actor,
      communityId: CommunityId,
      contact: SheetContact
    ) => Effect.Effect<GazetteWeek, Acting | Forbidden | CommunityNotFound>
    readonly print: (
      actor: Actor,
      communityId: CommunityId,
      contact: SheetContact
    ) => Effect.Effect<{ readonly pdf: Uint8Array; readonly week: GazetteWeek }, Acting | Forbidden | CommunityNotFound>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* GazetteRepo
  const communities = yield* CommunityRepo
  const communes = yield* CommuneDirectory
  const memberships = yield* MembershipRepo
  const printer = yield* GazettePrinter

  const week: GazetteSheets["Type"]["week"] = (actor, communityId, contact) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const community = yield* Effect.flatMap(
        communities.findById(communityId),
        Option.match({
          onNone: () => Effect.fail(new CommunityNotFound({ communityId })),
          onSome: Effect.succeed
        })
      )
      const referent = (yield* memberships.listByAccount(account.id)).some((m) =>
        m.communityId === communityId && m.role === "referent" && m.status === "verified"
      )
      if (!referent && !isMairieAgentOf(account.staffRoles, community.insee)) {
        return yield* new Forbidden({ action: "print_gazette" })
      }
      const now = yield* DateTime.now
      const list = (kinds: GazettePost["kind"][], pinned = false) =>
        repo.list({
          communityId,
          insee: community.insee,
          readerId: NOBODY,
          kinds,
          state: "open",
          query: Option.none(),
          after: Option.none(),
          limit: READ,
          now,
          pinned
        })
      const newsSince = DateTime.subtract(now, { days: NEWS_DAYS })
      const pinned = yield* list(["communication"], true)
      const recent = (yield* list(["communication"])).filter((p) =>
        DateTime.greaterThanOrEqualTo(p.createdAt, newsSince)
      )
      const news = [...pinned, ...recent.filter((p) => !pinned.some((q) => q.id === p.id))]
      const until = DateTime.add(now, { days: EVENT_DAYS })
      const events = (yield* list(["evenement"])).flatMap((p) =>
        p.details._tag === "evenement" && DateTime.between(p.details.startsAt, { minimum: now, maximum: until })
          ? [{ post: p, details: p.details }]
          : []
      ).sort((a, b) => DateTime.toEpochMillis(a.details.startsAt) - DateTime.toEpochMillis(b.details.startsAt))
      const annonces = yield* list(["annonce", "entraide"])
      const lost = yield* list(["perdu_trouve"])
      const commune = yield* communes.findByInsee(community.insee)
      const { start, end } = parisWeekOf(now)
      return new GazetteWeek({
        communeName: Option.match(commune, { onNone: () => "", onSome: (c) => c.name }),
        quartierName: community.name,
        weekStart: start,
        weekEnd: end,
        news: news.map((p) => new GazetteNews({ title: p.title, text: p.body, publishedAt: p.createdAt })),
        events: events.map(({ details, post }) =>
          new GazetteEvent({
            title: post.title,
            startsAt: details.startsAt,
            place: details.place,
            placesLeft: Option.none()
          })
        ),
        annonces: annonces.map((p) =>
          new GazetteAnnonce({
            kindLabel: kindLabel(p),
            title: p.title,
            text: p.body,
            author: p.authorName,
            postedAt: p.createdAt
          })
        ),
        lostFound: lost.flatMap((p) =>
          p.details._tag === "perdu_trouve"
            ? [
              new GazetteLostFound({
                status: p.details.situation,
                subject: p.details.subject,
                title: p.title,
                place: p.details.where,
                seenAt: p.details.seenAt
              })
            ]
            : []
        ),
        smsNumber: Option.filter(contact.smsNumber, Schema.is(PhoneE164)),
        joinUrl: contact.joinUrl,
        joinSentence: "Inscrivez-vous sur le site ou demandez un formulaire papier à votre référent ou en mairie.",
        generatedAt: now
      })
    }).pipe(Effect.withSpan("GazetteSheets.week"))

  const print: GazetteSheets["Type"]["print"] = (actor, communityId, contact) =>
    Effect.gen(function*() {
      const w = yield* week(actor, communityId, contact)
      return { pdf: yield* printer.render(w), week: w }
    }).pipe(Effect.withSpan("GazetteSheets.print"))

  return GazetteSheets.of({ week, print })
})

export const layer = Layer.effect(GazetteSheets, make)
