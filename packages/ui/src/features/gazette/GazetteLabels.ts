import type { GazetteDetails, PostKind, PostOutcome, PostState, PostStatus } from "@vigie/domain/gazette/GazettePost"

/** What each kind of post is called, as a heading and in the kind filter. */
export const kindLabels: Record<PostKind, string> = {
  annonce: "Petite annonce",
  entraide: "Entraide",
  covoiturage: "Covoiturage",
  perdu_trouve: "Perdu / trouvé",
  vie_du_quartier: "Vie du quartier",
  compte_rendu: "Compte-rendu",
  communication: "Communication de la mairie",
  evenement: "Événement"
}

/** The kinds a resident may publish, in the order the form offers them. */
export const residentKinds = [
  "annonce",
  "entraide",
  "covoiturage",
  "perdu_trouve",
  "evenement",
  "vie_du_quartier",
  "compte_rendu"
] as const satisfies ReadonlyArray<PostKind>
export type ResidentKind = typeof residentKinds[number]

/** A line under each kind in the form, saying what it is for. */
export const kindHints: Record<ResidentKind, string> = {
  annonce: "Vendre, donner, prêter ou chercher un objet.",
  entraide: "Proposer ou demander un coup de main : courses, bricolage, jardinage…",
  covoiturage: "Proposer ou chercher une place en voiture.",
  perdu_trouve: "Un animal ou un objet perdu, ou trouvé.",
  evenement: "Fête des voisins, réunion, nettoyage du quartier…",
  vie_du_quartier: "Une nouvelle, la bienvenue à un voisin, une anecdote.",
  compte_rendu: "Le compte-rendu d'une assemblée de copropriété ou d'une réunion, en PDF."
}

export const outcomeLabels: Record<PostOutcome, string> = {
  vendu: "Vendu",
  donne: "Donné",
  rendu: "Rendu",
  trouve: "Trouvé",
  fait: "Fait",
  complet: "Complet",
  retrouve: "Retrouvé"
}

export const stateLabels: Record<PostState, string> = {
  open: "En cours",
  closed: "Terminé",
  expired: "Expiré"
}

export const statusLabels: Record<PostStatus, string> = {
  published: "Publié",
  held_for_review: "En attente de modération",
  hidden: "Masqué par la modération",
  withdrawn: "Retiré"
}

export const offerLabels = { vends: "Vends", donne: "Donne", prete: "Prête", cherche: "Cherche" } as const
export const directionLabels = { offre: "Offre", demande: "Demande" } as const
export const helpLabels = {
  courses: "Courses",
  bricolage: "Bricolage",
  jardinage: "Jardinage",
  garde_animaux: "Garde d'animaux",
  accompagnement: "Accompagnement",
  autre: "Autre"
} as const
export const situationLabels = { perdu: "Perdu", trouve: "Trouvé" } as const
export const subjectLabels = { animal: "Animal", objet: "Objet" } as const
export const topicLabels = { nouvelle: "Nouvelle", bienvenue: "Bienvenue", anecdote: "Anecdote" } as const
export const meetingLabels = {
  assemblee_copropriete: "Assemblée générale de copropriété",
  reunion_voisins: "Réunion de voisins"
} as const

/** A short line naming the post's kind and its main choice: "Donne", "Offre d'aide : courses", "Perdu : animal". */
export const detailsHeadline = (details: GazetteDetails): string => {
  switch (details._tag) {
    case "annonce":
      return offerLabels[details.offer]
    case "entraide":
      return `${details.direction === "offre" ? "Offre d'aide" : "Demande d'aide"} : ${
        helpLabels[details.help].toLowerCase()
      }`
    case "covoiturage":
      return `${details.direction === "offre" ? "Propose" : "Cherche"} un trajet : ${details.from} → ${details.to}`
    case "perdu_trouve":
      return `${situationLabels[details.situation]} : ${subjectLabels[details.subject].toLowerCase()}`
    case "vie_du_quartier":
      return topicLabels[details.topic]
    case "compte_rendu":
      return meetingLabels[details.meeting]
    case "communication":
      return "Communication de la mairie"
    case "evenement":
      return "Événement"
  }
}

/** "12,50 €" from cents. */
export const formatPrice = (cents: number): string =>
  new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" }).format(cents / 100)
