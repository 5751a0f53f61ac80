import type { AlertCategory, AlertOrigin, AlertStatus, Urgency } from "./Alert.js"

/**
 * The French words for an alert's category, urgency, status and origin: the one table the web app,
 * the SMS and the e-mails all read, so a member sees the same name on every channel. Each table is a
 * `Record` over its literal: a new category or status without its label does not compile.
 * The category labels go into one-part SMS: keep them short (they are made GSM-7 there).
 */

/** What each category is called, for residents and town halls alike. */
export const categoryLabels: Readonly<Record<AlertCategory, string>> = {
  suspicious_vehicle: "Véhicule suspect",
  suspicious_person: "Personne suspecte",
  burglary: "Cambriolage ou tentative",
  open_door_or_window: "Porte ou fenêtre ouverte",
  vulnerable_person_without_news: "Personne fragile sans nouvelles",
  lost_or_found_animal: "Animal perdu ou trouvé",
  road_danger: "Danger sur la route",
  fire_or_smoke: "Feu ou fumée",
  other: "Signalement",
  weather: "Météo",
  roads: "Voirie et circulation",
  event: "Événement",
  strike: "Grève",
  water_or_power_cut: "Coupure d'eau ou d'électricité",
  public_health: "Santé publique",
  town_other: "Annonce"
}

/** How urgent an alert is, as its badge says it. */
export const urgencyLabels: Readonly<Record<Urgency, string>> = {
  urgent: "Urgent",
  info: "Information"
}

/** Where an alert stands, as its badge says it. */
export const alertStatusLabels: Readonly<Record<AlertStatus, string>> = {
  published: "Publiée",
  held_for_review: "En attente de modération",
  hidden: "Masquée par la modération",
  retracted: "Retirée par son auteur",
  resolved: "Résolue"
}

/** Who posted an alert, in a word: the app, an SMS, the town hall or the municipal police. */
export const originLabels: Readonly<Record<AlertOrigin, string>> = {
  web: "Application",
  sms: "SMS",
  mairie: "Mairie",
  police: "Police municipale"
}

const vowel = /^[aeiouyàâäéèêëîïôöùûüœæ]/i

/** "Mairie de Lyon", "Mairie d'Angers", "Mairie du Havre", "Mairie des Mureaux". */
export const mairieOf = (communeName: string): string => {
  const name = communeName.trim()
  if (/^le /i.test(name)) return `Mairie du ${name.slice(3)}`
  if (/^les /i.test(name)) return `Mairie des ${name.slice(4)}`
  return vowel.test(name) ? `Mairie d'${name}` : `Mairie de ${name}`
}
