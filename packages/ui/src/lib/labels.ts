import type { ChannelPreference } from "@vigie/domain/delivery/NotificationPreferences"
import type { MembershipStatus } from "@vigie/domain/membership/Membership"
import { DateTime } from "effect"

export const membershipStatusLabels: Record<MembershipStatus, string> = {
  pending_verification: "Adresse à activer (code par courrier)",
  verified: "Adresse vérifiée",
  left: "Quittée",
  banned: "Exclu(e)"
}

export const channelPreferenceLabels: Record<ChannelPreference, string> = {
  all: "Toutes les alertes",
  urgent_only: "Seulement les alertes urgentes",
  none: "Aucune"
}

const dateTimeFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  weekday: "long",
  day: "numeric",
  month: "long",
  hour: "2-digit",
  minute: "2-digit"
})
const dateFormat = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long",
  year: "numeric" })

/** "lundi 3 mars à 14:05", in Paris time. */
export const formatDateTime = (d: DateTime.Utc): string => dateTimeFormat.format(DateTime.toDate(d))
export const formatDate = (d: DateTime.Utc): string => dateFormat.format(DateTime.toDate(d))

/** Minutes of the day ↔ "HH:MM" (the value of an <input type="time">). */
export const minutesToTime = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
export const timeToMinutes = (t: string): number | undefined => {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(t)
  return match === null ? undefined : Number(match[1]) * 60 + Number(match[2])
}
