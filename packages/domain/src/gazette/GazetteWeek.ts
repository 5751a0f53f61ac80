import { Schema } from "effect"
import { PhoneE164 } from "../shared/Text.js"

/** A day of the Paris calendar, "2026-12-07": the week of a sheet runs from one such day to another. */
export const CalendarDay = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}$/),
  Schema.filter((day) => {
    const date = new Date(`${day}T12:00:00Z`)
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day
  }),
  Schema.brand("CalendarDay"),
  Schema.annotations({ identifier: "CalendarDay" })
)
export type CalendarDay = typeof CalendarDay.Type

/** A communication of the mairie shown in the quartier's Gazette. */
export class GazetteNews extends Schema.Class<GazetteNews>("GazetteNews")({
  title: Schema.String,
  text: Schema.String,
  publishedAt: Schema.DateTimeUtc
}) {}

/** A coming event; `placesLeft` is set only when places are limited (0: complet). */
export class GazetteEvent extends Schema.Class<GazetteEvent>("GazetteEvent")({
  title: Schema.String,
  startsAt: Schema.DateTimeUtc,
  place: Schema.String,
  placesLeft: Schema.OptionFromNullOr(Schema.NonNegativeInt)
}) {}

/**
 * An open annonce or entraide post. `kindLabel` is the French label the sheet prints ("Donne",
 * "Prête", "Cherche", "Offre d'aide : courses"); `author` the member's display name ("Chloé M.").
 */
export class GazetteAnnonce extends Schema.Class<GazetteAnnonce>("GazetteAnnonce")({
  kindLabel: Schema.String,
  title: Schema.String,
  text: Schema.String,
  author: Schema.String,
  postedAt: Schema.DateTimeUtc
}) {}

/** An animal or an object lost or found, still open. */
export class GazetteLostFound extends Schema.Class<GazetteLostFound>("GazetteLostFound")({
  status: Schema.Literal("perdu", "trouve"),
  subject: Schema.Literal("animal", "objet"),
  title: Schema.String,
  place: Schema.String,
  seenAt: Schema.DateTimeUtc
}) {}

/**
 * What the printed Gazette of one quartier shows for one week (Monday to Sunday, Paris days): the
 * mairie's news, the coming events, the open annonces and entraide, lost and found, the SMS number of
 * Vigie and how to join. Pure data, assembled from the Gazette's posts; the printer decides what fits.
 */
export class GazetteWeek extends Schema.Class<GazetteWeek>("GazetteWeek")({
  communeName: Schema.String,
  quartierName: Schema.String,
  weekStart: CalendarDay,
  weekEnd: CalendarDay,
  news: Schema.Array(GazetteNews),
  events: Schema.Array(GazetteEvent),
  annonces: Schema.Array(GazetteAnnonce),
  lostFound: Schema.Array(GazetteLostFound),
  smsNumber: Schema.OptionFromNullOr(PhoneE164),
  joinUrl: Schema.String,
  joinSentence: Schema.String,
  generatedAt: Schema.DateTimeUtc
}) {}
