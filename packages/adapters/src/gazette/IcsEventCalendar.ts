import type { CalendarEvent } from "@vigie/domain/gazette/CalendarEvent"
import { EventCalendar } from "@vigie/domain/gazette/EventCalendar"
import { DateTime, Effect, Layer, Option } from "effect"
import { createEvent } from "ics"
import type { EventAttributes } from "ics"

/**
 * A text as a calendar carries it: line breaks as "\n" whatever the system wrote, no other control
 * character (a lone carriage return would end the line in the file), Unicode in its composed form.
 */
export const calendarText = (text: string): string =>
  text.normalize("NFC").replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").trim()

/** A title on one line. */
export const calendarTitle = (text: string): string => calendarText(text).replace(/\s*\n\s*/g, " ")

/** What the calendar's notes say: the description, who organises it, the page of the event. */
export const calendarDescription = (event: CalendarEvent): string =>
  [
    ...(calendarText(event.description) === "" ? [] : [calendarText(event.description), ""]),
    ...(event.status === "CANCELLED" ? ["Cet événement est annulé."] : []),
    ...(calendarTitle(event.organizer) === "" ? [] : [`Organisé par ${calendarTitle(event.organizer)}`]),
    `Sur Vigie : ${event.url}`
  ].join("\n")

const millis = (at: DateTime.Utc) => DateTime.toEpochMillis(at)

/**
 * The `ics` package's attributes of an event. Without an end there is neither DTEND nor DURATION (RFC 5545:
 * the event ends when it starts), which the package accepts though its types ask for one; DTSTAMP is the
 * event's last change (`timestamp`, accepted by the package, missing from its types).
 */
export const attributes = (event: CalendarEvent, withUrl = true): EventAttributes => {
  const title = calendarTitle(event.title)
  const place = calendarTitle(event.place)
  const common = {
    productId: "-//Vigie//Gazette//FR",
    method: "PUBLISH",
    uid: event.uid,
    sequence: event.sequence,
    status: event.status,
    title: event.status === "CANCELLED" ? `Annulé : ${title}` : title,
    description: calendarDescription(event),
    start: millis(event.startsAt),
    startInputType: "utc" as const,
    startOutputType: "utc" as const,
    timestamp: millis(event.updatedAt),
    lastModified: millis(event.updatedAt),
    ...(place === "" ? {} : { location: place }),
    // ORGANIZER needs an address (RFC 5545 cal-address), which members never share: the name is in the notes.
    ...(withUrl ? { url: event.url } : {})
  }
  return Option.match(event.endsAt, {
    onNone: () => common as unknown as EventAttributes,
    onSome: (end) => ({ ...common, end: millis(end), endInputType: "utc" as const, endOutputType: "utc" as const })
  })
}

/** Writes the .ics of one event with the `ics` package (which escapes the text and folds long lines). */
export const toIcs = (event: CalendarEvent): Effect.Effect<string> =>
  Effect.suspend(() => {
    const first = createEvent(attributes(event))
    // The package refuses some valid addresses (its own URL pattern): the link stays in the notes.
    const { error, value } = first.error === null ? first : createEvent(attributes(event, false))
    return error === null && value !== null
      ? Effect.succeed(value)
      : Effect.dieMessage(`ics: ${String(error)}`)
  }).pipe(Effect.withSpan("IcsEventCalendar.toIcs"))

/** Event calendar files through the `ics` package. */
export const layer: Layer.Layer<EventCalendar> = Layer.succeed(EventCalendar, EventCalendar.of({ toIcs }))
