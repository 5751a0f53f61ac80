import {
  CalendarDay,
  GazetteAnnonce,
  GazetteEvent,
  GazetteLostFound,
  GazetteNews,
  GazetteWeek
} from "@vigie/domain/gazette/GazetteWeek"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import { DateTime, Option } from "effect"

const at = (iso: string) => DateTime.unsafeMake(iso)

/** A realistic French week of the demo town's quartier "Les Graves" (Cadaujac), for tests and the screenshot. */
export const sampleWeek = (overrides: Partial<ConstructorParameters<typeof GazetteWeek>[0]> = {}): GazetteWeek =>
  new GazetteWeek({
    communeName: "Cadaujac",
    quartierName: "Les Graves",
    weekStart: CalendarDay.make("2026-12-07"),
    weekEnd: CalendarDay.make("2026-12-13"),
    news: [
      new GazetteNews({
        title: "Travaux rue des Écoles",
        text: "Du lundi 7 au vendredi 11 décembre, la rue des Écoles sera fermée à la circulation entre 8 h et " +
          "17 h pour le remplacement des canalisations. Le ramassage des poubelles est avancé à 7 h. Merci de " +
          "votre patience.",
        publishedAt: at("2026-12-04T09:00:00Z")
      }),
      new GazetteNews({
        title: "Colis de Noël des aînés",
        text: "Les colis de Noël des personnes de plus de 70 ans sont à retirer en mairie le samedi 12 décembre, " +
          "de 9 h à 12 h. Un voisin peut venir le chercher pour vous avec un mot signé.",
        publishedAt: at("2026-12-02T14:00:00Z")
      })
    ],
    events: [
      new GazetteEvent({
        title: "Petite fête de Noël des voisins",
        startsAt: at("2026-12-12T14:00:00Z"),
        place: "Salle des fêtes, 2 place de l’Église",
        placesLeft: Option.some(12)
      }),
      new GazetteEvent({
        title: "Réunion mensuelle du quartier",
        startsAt: at("2026-12-09T17:30:00Z"),
        place: "Mairie, salle du conseil",
        placesLeft: Option.none()
      }),
      new GazetteEvent({
        title: "Nettoyage des berges de la Garonne",
        startsAt: at("2026-12-13T09:00:00Z"),
        place: "Parking du port",
        placesLeft: Option.some(0)
      })
    ],
    annonces: [
      new GazetteAnnonce({
        kindLabel: "Donne",
        title: "Bois de chauffage",
        text: "Environ un stère de chêne coupé l’an dernier, à venir chercher avant Noël.",
        author: "Bernard L.",
        postedAt: at("2026-12-05T10:00:00Z")
      }),
      new GazetteAnnonce({
        kindLabel: "Vends",
        title: "Vélo d’enfant 16 pouces",
        text: "Bon état, avec petites roues : 40 €.",
        author: "Chloé M.",
        postedAt: at("2026-12-04T18:00:00Z")
      }),
      new GazetteAnnonce({
        kindLabel: "Prête",
        title: "Perceuse et échelle",
        text: "Pour le week-end, à rendre le lundi.",
        author: "Karim B.",
        postedAt: at("2026-12-03T08:30:00Z")
      }),
      new GazetteAnnonce({
        kindLabel: "Offre d’aide : courses",
        title: "Courses du samedi matin",
        text: "Je vais au marché de Cadaujac chaque samedi : je peux prendre vos courses ou vous emmener.",
        author: "Élodie R.",
        postedAt: at("2026-12-02T16:00:00Z")
      }),
      new GazetteAnnonce({
        kindLabel: "Cherche",
        title: "Quelqu’un pour nourrir mon chat",
        text: "Du 20 au 27 décembre, deux passages par jour. Rue des Vignes.",
        author: "Monique D.",
        postedAt: at("2026-12-01T11:00:00Z")
      })
    ],
    lostFound: [
      new GazetteLostFound({
        status: "perdu",
        subject: "animal",
        title: "Chat tigré « Filou », collier rouge",
        place: "Rue des Écoles",
        seenAt: at("2026-12-05T17:00:00Z")
      }),
      new GazetteLostFound({
        status: "trouve",
        subject: "objet",
        title: "Trousseau de clés avec un porte-clés Bordeaux",
        place: "Arrêt de bus Les Graves",
        seenAt: at("2026-12-04T07:45:00Z")
      })
    ],
    smsNumber: Option.some(PhoneE164.make("+33757591234")),
    joinUrl: "vigie.example/rejoindre",
    joinSentence: "Inscrivez-vous en ligne, ou demandez à votre référent de vous inscrire sur papier.",
    generatedAt: at("2026-12-06T08:00:00Z"),
    ...overrides
  })

/** A busy week: more than the sheet shows, long texts, so the Gazette runs over several pages. */
export const longWeek = (): GazetteWeek => {
  const week = sampleWeek()
  const long = "Une annonce bien plus longue que la moyenne, qui raconte tout en détail, avec des virgules, " +
    "des précisions sur les horaires, l’adresse exacte et la manière de joindre son auteur par la messagerie de Vigie. "
  return sampleWeek({
    news: [...week.news, ...week.news.map((n) => new GazetteNews({ ...n, title: `${n.title} (rappel)` }))],
    events: [
      ...week.events,
      ...week.events.map((e) =>
        new GazetteEvent({ ...e, title: `${e.title} (suite)`, startsAt: DateTime.add(e.startsAt, { days: 7 }) })
      )
    ],
    annonces: Array.from({ length: 12 }, (_, n) =>
      new GazetteAnnonce({
        kindLabel: ["Donne", "Prête", "Cherche", "Offre d’aide : jardinage"][n % 4]!,
        title: `Annonce numéro ${n + 1} de la semaine`,
        text: long.repeat(2),
        author: "Chloé M.",
        postedAt: DateTime.add(at("2026-12-01T08:00:00Z"), { hours: n })
      })),
    lostFound: [...week.lostFound, ...week.lostFound, ...week.lostFound].map((l, n) =>
      new GazetteLostFound({ ...l, title: `${l.title} ${n + 1}` })
    )
  })
}
