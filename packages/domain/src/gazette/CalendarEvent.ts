import { DateTime, Option, Schema } from "effect"

/** CONFIRMED, or CANCELLED: a calendar that imported the event then shows it cancelled. */
export const CalendarStatus = Schema.Literal("CONFIRMED", "CANCELLED")
export type CalendarStatus = typeof CalendarStatus.Type

/**
 * An event of the Gazette as a calendar file carries it (RFC 5545). `uid` stays the same for the
 * event's whole life (see `calendarUid`) and `sequence` grows by one each time its time, place or status
 * changes, so a calendar that imported it once replaces it when the file is opened again (moved or
 * cancelled). `organizer` is a display name ("Chloé M."), never an address; `updatedAt` stamps the
 * file, so the same event gives the same file.
 */
export class CalendarEvent extends Schema.Class<CalendarEvent>("CalendarEvent")(
  Schema.Struct({
    uid: Schema.String.pipe(Schema.pattern(/^[\x21-\x7e]{1,255}$/)),
    title: Schema.String,
    description: Schema.String,
    place: Schema.String,
    startsAt: Schema.DateTimeUtc,
    endsAt: Schema.OptionFromNullOr(Schema.DateTimeUtc),
    url: Schema.String.pipe(Schema.pattern(/^https?:\/\/\S+$/)),
    organizer: Schema.String,
    sequence: Schema.NonNegativeInt,
    status: CalendarStatus,
    updatedAt: Schema.DateTimeUtc
  }).pipe(
    Schema.filter((event) =>
      Option.match(event.endsAt, {
        onNone: () => true,
        onSome: (end) => DateTime.greaterThan(end, event.startsAt) || "An event ends after it starts."
      })
    )
  )
) {}

/** The calendar identifier of a Gazette event, stable for its life: "gazette-event-<id>@<host of the site>". */
export const calendarUid = (eventId: string, publicUrl: string): string => {
  const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(publicUrl)?.[1] ?? "vigie"
  return `gazette-event-${eventId}@${host.toLowerCase()}`
}
