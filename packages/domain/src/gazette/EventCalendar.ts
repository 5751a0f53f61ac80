import { Context } from "effect"
import type { Effect } from "effect"
import type { CalendarEvent } from "./CalendarEvent.js"

/**
 * Writes an event of the Gazette as an iCalendar file (.ics, RFC 5545) that a member adds to their
 * phone's or computer's calendar: times in UTC, French text, a cancelled or moved event updating the
 * copy a calendar already holds (same UID, higher SEQUENCE). Adapter: the `ics` package.
 */
export class EventCalendar extends Context.Tag("@vigie/domain/EventCalendar")<
  EventCalendar,
  { readonly toIcs: (event: CalendarEvent) => Effect.Effect<string> }
>() {}
