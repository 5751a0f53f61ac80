import { DateTime } from "effect"
import type { QuietHours } from "./NotificationPreferences.js"

/** Quiet hours are read in French local time. */
export const QUIET_HOURS_TIME_ZONE = "Europe/Paris"

const paris = DateTime.zoneUnsafeMakeNamed(QUIET_HOURS_TIME_ZONE)

/** The local minute of the day (0–1439) at `now` in Europe/Paris. */
export const localMinuteOfDay = (now: DateTime.Utc): number => {
  const parts = DateTime.toParts(DateTime.setZone(now, paris))
  return parts.hours * 60 + parts.minutes
}

/** Whether a local minute of the day falls inside quiet hours (start inclusive, end exclusive). */
export const isQuiet = (quiet: QuietHours, minute: number): boolean =>
  quiet.start === quiet.end
    ? false
    : quiet.start < quiet.end
    ? minute >= quiet.start && minute < quiet.end
    : minute >= quiet.start || minute < quiet.end

/**
 * When an info message may be sent: at once outside quiet hours, otherwise at the end of them,
 * counted in whole minutes from the start of the current minute. (On the two nights a year when
 * the clocks change, the wait is counted in real minutes, so it may end an hour off the wall clock.)
 */
export const releaseTime = (quiet: QuietHours, now: DateTime.Utc): DateTime.Utc => {
  const minute = localMinuteOfDay(now)
  if (!isQuiet(quiet, minute)) return now
  const wait = (quiet.end - minute + 1440) % 1440
  return DateTime.add(DateTime.startOf(now, "minute"), { minutes: wait })
}
