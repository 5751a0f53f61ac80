import type { AlertStatus, ResidentCategory, TownCategory, Urgency } from "@vigie/domain/alerts/Alert"
import type { ChannelPreference } from "@vigie/domain/delivery/NotificationPreferences"
import type { MembershipStatus } from "@vigie/domain/membership/Membership"
import { DateTime } from "effect"

/** What members see for each category (the code names stay English). */
export const categoryLabels: Record<ResidentCategory | TownCategory, string> = {
  suspicious_vehicle: "Véhicule suspect",
  suspicious_person: "Personne suspecte",
  burglary: "Cambriolage ou tentative",
  open_door_or_window: "Porte ou fenêtre ouverte en votre absence",
  vulnerable_person_without_news: "Personne fragile sans nouvelles",
  lost_or_found_animal: "Animal perdu ou trouvé",
  road_danger: "Danger sur la route",
  fire_or_smoke: "Feu ou fumée",
  other: "Autre",
  weather: "Météo",
  roads: "Voirie, circulation",
  event: "Événement",
  strike: "Grève",
  water_or_power_cut: "Coupure d'eau ou d'électricité",
  public_health: "Santé publique",
  town_other: "Autre (mairie)"
}

export const statusLabels: Record<AlertStatus, string> = {
  published: "Publiée",
  held_for_review: "En attente de modération",
  hidden: "Masquée par la modération",
  retracted: "Retirée par son auteur",
  resolved: "Résolue"
}

export const urgencyLabels: Record<Urgency, string> = {
  urgent: "Urgent",
  info: "Information"
}

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
const dateFormat = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" })

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
