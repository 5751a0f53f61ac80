import {
  LANGUAGE_IDS,
  LANGUAGES,
  type Language,
  type ProfileField,
  TOPIC_IDS,
  TOPICS,
  type Topic,
  type Visibility
} from "@vigie/domain/directory/Profile"

export { LANGUAGE_IDS, TOPIC_IDS }

export const topicLabel = (t: Topic): string => TOPICS[t]
export const languageLabel = (l: Language): string => LANGUAGES[l]

/** The two choices of visibility, as the member reads them. */
export const visibilityLabels: Readonly<Record<Visibility, string>> = {
  me: "Moi seul",
  members: "Les membres de mes quartiers"
}

/** Each field of a profile, named in the form's « Qui voit … ? » choices. */
export const fieldLabels: Readonly<Record<ProfileField, string>> = {
  photo: "ma photo",
  presentation: "ma présentation",
  interests: "mes centres d'intérêt",
  skills: "les coups de main que je propose",
  languages: "les langues que je parle",
  street: "ma rue",
  houseNumber: "mon numéro de rue",
  phone: "mon téléphone",
  email: "mon adresse e-mail"
}

/** Where one writes to a member: the messagerie's new-conversation page (issue 16). */
export const writeTo = (accountId: string): string => `/messages/nouveau?a=${accountId}`
