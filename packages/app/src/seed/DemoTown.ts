import { SqlClient } from "@effect/sql"
import { GazetteRepo } from "@vigie/domain/gazette/GazetteRepo"
import { DEFAULT_VISIBILITY, type FieldVisibility, MemberProfile } from "@vigie/domain/directory/Profile"
import { ProfileRepo } from "@vigie/domain/directory/ProfileRepo"
import type { ResidentDetails } from "@vigie/domain/gazette/GazettePost"
import { expiryFrom } from "@vigie/domain/gazette/GazettePolicy"
import { AccountRepo } from "@vigie/domain/accounts/AccountRepo"
import { PoliceContact } from "@vigie/domain/administration/VigilantCommune"
import { VigilantCommuneRepo } from "@vigie/domain/administration/VigilantCommuneRepo"
import type { AccountId } from "@vigie/domain/accounts/Account"
import type { ResidentCategory } from "@vigie/domain/alerts/Alert"
import { AlertRepo } from "@vigie/domain/alerts/AlertRepo"
import { AlertPublisher } from "@vigie/domain/alerts/AlertPublisher"
import type { StaffRole } from "@vigie/domain/accounts/Account"
import { PasswordHasher } from "@vigie/domain/accounts/PasswordHasher"
import { enrolWithSecret } from "@vigie/domain/accounts/SecondFactor"
import { issueInvitation } from "@vigie/domain/accounts/StaffInvitations"
import { EmailSender } from "@vigie/domain/channels/EmailSender"
import { InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import type { Community } from "@vigie/domain/communities/Community"
import { Communities } from "@vigie/domain/communities/Communities"
import type { Polygon, Position } from "@vigie/domain/communities/GeoJson"
import { NotificationPreferences, QuietHours } from "@vigie/domain/delivery/NotificationPreferences"
import { PreferencesRepo } from "@vigie/domain/delivery/PreferencesRepo"
import { HomeAddress, type MembershipRole, type MembershipStatus } from "@vigie/domain/membership/Membership"
import { MembershipRepo } from "@vigie/domain/membership/MembershipRepo"
import { Email, PhoneE164 } from "@vigie/domain/shared/Text"
import { Config, DateTime, Duration, Effect, Option, Redacted, Schema } from "effect"

/** Cadaujac, Gironde: a real commune of about 6,000 inhabitants south of Bordeaux. */
export const DEMO_INSEE = Schema.decodeSync(InseeCode)("33080")
export const DEMO_POSTCODE = Schema.decodeSync(Postcode)("33140")
export const DEMO_COMMUNE_NAME = "Cadaujac"

/** The password of every demo account. Development only: the seed refuses to run in production. */
export const DEMO_PASSWORD = "voisins-vigilants-2026"

/**
 * The TOTP secret (base32) the demo staff are enrolled with, so a developer signs in as them with
 * any authenticator app, or with the current code the dev inbox shows. Development only.
 */
export const DEMO_TOTP_SECRET = "VIGIEDEMOSTAFFTOTPVIGIEDEMOSTAFF"

/** A demo mairie agent who has not signed up yet: the seed e-mails her a staff invitation (dev inbox). */
const INVITED_STAFF = { first: "Claire", last: "Martin" }
const INVITED_ROLE = "agent mairie (invitée)"

/** The site's address for the links of the demo e-mails: PUBLIC_URL, else localhost on PORT. */
const demoSiteUrl = Effect.orDie(
  Config.all({
    publicUrl: Config.option(Config.string("PUBLIC_URL")),
    port: Config.integer("PORT").pipe(Config.withDefault(3000))
  }).pipe(
    Config.map(({ port, publicUrl }) =>
      Option.getOrElse(publicUrl, () => `http://localhost:${port}`).replace(/\/$/, "")
    )
  )
)

const ring = (points: ReadonlyArray<Position>): Polygon => ({
  type: "Polygon",
  coordinates: [[...points, points[0]!]]
})

interface DemoCommunity {
  readonly key: string
  readonly name: string
  readonly perimeter: Polygon
  readonly streets: ReadonlyArray<string>
  /** A point well inside, from which members' homes are spread. */
  readonly centre: Position
}

export const demoCommunities: ReadonlyArray<DemoCommunity> = [
  {
    key: "bourg",
    name: "Le Bourg",
    perimeter: ring([[-0.5450, 44.7480], [-0.5250, 44.7475], [-0.5230, 44.7560], [-0.5330, 44.7610], [-0.5460,
      44.7580]]),
    streets: ["Avenue de la Libération", "Rue de l'Église", "Place de la Mairie", "Rue du 8 Mai 1945"],
    centre: [-0.5350, 44.7530]
  },
  {
    key: "graves",
    name: "Les Graves",
    perimeter: ring([[-0.5660, 44.7400], [-0.5450, 44.7400], [-0.5450, 44.7580], [-0.5600, 44.7620], [-0.5700,
      44.7520]]),
    streets: ["Chemin des Vignes", "Allée des Graves", "Route de Martillac", "Impasse des Chênes"],
    centre: [-0.5560, 44.7500]
  },
  {
    key: "garonne",
    name: "Bord de Garonne",
    perimeter: ring([[-0.5250, 44.7440], [-0.5050, 44.7450], [-0.5020, 44.7600], [-0.5150, 44.7660], [-0.5230,
      44.7560]]),
    streets: ["Chemin de Halage", "Rue du Port", "Allée des Saules", "Chemin de la Palu"],
    centre: [-0.5140, 44.7540]
  }
]

/**
 * The demo annuaire: profiles of a few residents (by index), each with what they chose to show.
 * Chloé (6) and Arthur (9) have none yet: the journey fills Chloé's. Alice (14) left the annuaire.
 */
const demoProfiles: ReadonlyArray<
  readonly [
    number,
    Omit<ConstructorParameters<typeof MemberProfile>[0], "accountId" | "updatedAt" | "visibility">,
    Partial<FieldVisibility>
  ]
> = [
  [0, { listed: true, nameStyle: "full", photoId: null,
    presentation: "Référente du Bourg depuis trois ans. N'hésitez pas à me demander conseil pour rejoindre Vigie.",
    interests: ["jardinage", "lecture"], interestsOther: "Les roses anciennes", skills: ["arrosage", "compagnie"],
    skillsOther: "", languages: ["fr", "en"] }, { street: "members" }],
  [3, { listed: true, nameStyle: "short", photoId: null,
    presentation: "Cycliste du dimanche et bricoleur. Je prête volontiers ma remorque de vélo.",
    interests: ["velo", "randonnee"], interestsOther: "", skills: ["bricolage", "demenagement"],
    skillsOther: "Réparation de vélos", languages: ["fr", "es"] }, { street: "members" }],
  [12, { listed: true, nameStyle: "short", photoId: null, presentation: "Professeure de piano à la retraite.",
    interests: ["musique", "cuisine"], interestsOther: "", skills: ["aide_devoirs"], skillsOther: "",
    languages: ["fr", "de"] }, {}],
  [1, { listed: true, nameStyle: "full", photoId: null, presentation: "Référent des Graves.",
    interests: ["jardinage", "bricolage"], interestsOther: "", skills: ["bricolage"], skillsOther: "",
    languages: ["fr"] }, { street: "members", phone: "members" }],
  [4, { listed: true, nameStyle: "short", photoId: null, presentation: "", interests: ["photographie", "animaux"],
    interestsOther: "", skills: ["garde_animaux"], skillsOther: "", languages: ["fr", "it"] }, {}],
  [2, { listed: true, nameStyle: "short", photoId: null, presentation: "Référente du Bord de Garonne.",
    interests: ["couture", "cuisine"], interestsOther: "", skills: ["courses"], skillsOther: "",
    languages: ["fr", "oc"] }, { street: "members" }],
  [5, { listed: true, nameStyle: "short", photoId: null, presentation: "", interests: ["informatique", "jeux"],
    interestsOther: "", skills: ["informatique"], skillsOther: "Installer une box ou un téléphone",
    languages: ["fr", "en"] }, {}],
  [14, { listed: false, nameStyle: "short", photoId: null, presentation: "", interests: [], interestsOther: "",
    skills: [], skillsOther: "", languages: [] }, {}]
]

interface DemoPerson {
  readonly first: string
  readonly last: string
}

const residents: ReadonlyArray<DemoPerson> = [
  ["Camille", "Dubois"],
  ["Louis", "Martin"],
  ["Jeanne", "Bernard"],
  ["Hugo", "Petit"],
  ["Léa", "Durand"],
  ["Gabriel", "Leroy"],
  ["Chloé", "Moreau"],
  ["Jules", "Simon"],
  ["Manon", "Laurent"],
  ["Arthur", "Lefèvre"],
  ["Inès", "Michel"],
  ["Raphaël", "Garcia"],
  ["Zoé", "David"],
  ["Paul", "Bertrand"],
  ["Alice", "Roux"],
  ["Lucas", "Vincent"],
  ["Emma", "Fournier"],
  ["Nathan", "Morel"],
  ["Juliette", "Girard"],
  ["Adam", "André"],
  ["Louise", "Mercier"],
  ["Tom", "Dupont"],
  ["Rose", "Lambert"],
  ["Théo", "Bonnet"],
  ["Anna", "François"],
  ["Noah", "Martinez"],
  ["Lina", "Legrand"],
  ["Victor", "Garnier"],
  ["Mila", "Faure"],
  ["Sacha", "Rousseau"],
  ["Margaux", "Blanc"],
  ["Éthan", "Guérin"],
  ["Agathe", "Muller"],
  ["Maël", "Henry"],
  ["Lucie", "Roussel"],
  ["Marcel", "Nicolas"],
  ["Yvette", "Perrin"],
  ["Gérard", "Morin"],
  ["Simone", "Mathieu"],
  ["Henri", "Clément"]
].map(([first, last]) => ({ first: first!, last: last! }))

const eveningQuietHours = Schema.decodeSync(QuietHours)({ start: 21 * 60, end: 8 * 60 })

const ascii = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z]/g, "")

/** ARCEP reserves 06 39 98 xx xx for fiction: no real person can receive the demo's SMS. */
const demoPhone = (n: number) => Schema.decodeSync(PhoneE164)(`+3363998${String(n).padStart(4, "0")}`)
const demoEmail = (p: DemoPerson, suffix = "") =>
  Schema.decodeSync(Email)(`${ascii(p.first)}.${ascii(p.last)}${suffix}@example.org`)

/**
 * A month of past alerts, all resolved: the feed is not empty on first start, the mairie has figures,
 * and their authors are members in good standing (a member's first alerts are held for review).
 * [resident index, days ago, category, text, place, shared with the mairie and the police]
 */
const pastAlerts: ReadonlyArray<readonly [number, number, ResidentCategory, string, string | undefined, boolean]> = [
  [0, 29, "suspicious_vehicle",
    "Camionnette blanche sans plaque arrêtée longtemps, le conducteur photographie les maisons.", "Rue de l'Église",
    true],
  [0, 12, "lost_or_found_animal", "Chat tigré trouvé devant la boulangerie, très gentil, collier rouge.",
    "Place de la Mairie", false],
  [1, 27, "road_danger", "Branche tombée en travers du chemin après le coup de vent, passage difficile.",
    "Chemin des Vignes", true],
  [1, 9, "open_door_or_window",
    "Portail grand ouvert chez les voisins partis en vacances, je l'ai signalé à leur fils.", "Allée des Graves",
    false],
  [2, 25, "fire_or_smoke", "Fumée noire au bord de la Garonne, les pompiers sont prévenus.", "Chemin de Halage", true],
  [2, 6, "vulnerable_person_without_news", "Pas de nouvelles de Mme Perrin depuis deux jours, volets fermés.",
    "Rue du Port", false],
  [3, 22, "burglary", "Tentative de cambriolage cette nuit, porte-fenêtre forcée, rien de volé.",
    "Avenue de la Libération", true],
  [3, 4, "suspicious_person", "Deux personnes sonnent aux portes en se disant du service des eaux, sans badge.",
    "Rue du 8 Mai 1945", true],
  [4, 20, "lost_or_found_animal", "Chienne beagle perdue, répond au nom de Praline.", "Route de Martillac", false],
  [4, 3, "road_danger", "Nid-de-poule profond à l'entrée du lotissement, attention aux vélos.", "Impasse des Chênes",
    false],
  [5, 18, "suspicious_vehicle", "Voiture grise qui tourne depuis une heure dans le quartier, vitres teintées.",
    "Allée des Saules", true],
  [5, 2, "other", "Coupure de courant dans toute la rue depuis 20 h, Enedis prévenu.", "Chemin de la Palu", false],
  [6, 15, "open_door_or_window", "Fenêtre du rez-de-chaussée ouverte chez les voisins absents.", "Place de la Mairie",
    false],
  [6, 1, "suspicious_vehicle", "Scooter sans plaque qui observe les garages.", "Rue de l'Église", true],
  [7, 14, "lost_or_found_animal", "Tortue trouvée sur le trottoir !", "Chemin des Vignes", false],
  [7, 5, "road_danger", "Feu tricolore en panne au carrefour.", "Route de Martillac", true],
  [8, 11, "suspicious_person", "Individu qui relève les boîtes aux lettres.", "Chemin de Halage", true],
  [8, 7, "fire_or_smoke", "Odeur de brûlé persistante, c'était un barbecue, fausse alerte.", "Rue du Port", false]
]

/** The demo Gazette: [author (resident index), days ago, details, title, text]. */
const demoGazette = (now: DateTime.Utc): ReadonlyArray<readonly [number, number, ResidentDetails, string, string]> => [
  [0, 12, { _tag: "annonce", offer: "donne" }, "Lit bébé en bois à donner",
    "Lit à barreaux avec son matelas, en bon état. À venir chercher le soir."],
  [1, 10, { _tag: "entraide", direction: "offre", help: "bricolage" }, "Coup de main pour petits travaux",
    "Retraité bricoleur, je peux aider à monter un meuble ou changer un robinet, le samedi matin."],
  [2, 9, { _tag: "covoiturage", direction: "offre", from: "Place de l'Église", to: "Bordeaux, gare Saint-Jean",
    departsAt: DateTime.add(now, { days: 4, hours: 2 }), seats: 3 }, "Bordeaux jeudi matin",
    "Je pars vers 8 h, retour vers 18 h. Participation aux frais bienvenue."],
  [3, 8, { _tag: "vie_du_quartier", topic: "bienvenue" }, "Bienvenue aux nouveaux voisins du chemin du Halage",
    "Une famille vient d'emménager au bout du chemin : n'hésitez pas à leur dire bonjour !"],
  [4, 7, { _tag: "annonce", offer: "prete" }, "Je prête une tondeuse",
    "Tondeuse électrique, à rendre le soir même. Demandez-moi la veille."],
  [5, 6, { _tag: "entraide", direction: "demande", help: "courses" }, "Courses pour une voisine âgée",
    "Quelqu'un pourrait-il faire les courses de Mme Perrin le mardi ? Elle ne conduit plus."],
  [6, 5, { _tag: "perdu_trouve", situation: "trouve", subject: "objet", where: "Arrêt de bus de la mairie",
    seenAt: DateTime.subtract(now, { days: 5 }) }, "Trousseau de clés trouvé",
    "Trois clés et un porte-clés rouge. Je le garde, décrivez-le-moi pour le récupérer."],
  [7, 4, { _tag: "annonce", offer: "vends", priceCents: 4000 }, "Vélo enfant 16 pouces",
    "Vélo rouge avec petites roues, très peu servi."],
  [8, 3, { _tag: "evenement", startsAt: DateTime.add(now, { days: 9, hours: 3 }), place: "Salle des fêtes",
    capacity: 40 }, "Repas partagé des voisins", "Chacun apporte un plat ; la mairie prête la salle et les tables."],
  [0, 2, { _tag: "vie_du_quartier", topic: "nouvelle" }, "Le lavoir a été nettoyé",
    "Merci aux bénévoles de samedi : le lavoir de la rue du Port a retrouvé ses couleurs."],
  [1, 2, { _tag: "perdu_trouve", situation: "perdu", subject: "animal", where: "Rue des Écoles",
    seenAt: DateTime.subtract(now, { days: 2 }) }, "Chat tigré perdu",
    "Il s'appelle Pirate, collier vert. Il ne s'éloigne jamais, prévenez-moi si vous le voyez."],
  [2, 1, { _tag: "annonce", offer: "cherche" }, "Cherche une échelle",
    "Pour nettoyer mes gouttières ce week-end, je la rends dimanche soir."],
  [3, 1, { _tag: "entraide", direction: "offre", help: "jardinage" }, "Graines et boutures à partager",
    "Tomates anciennes, aromatiques : servez-vous, j'en ai trop."],
  [4, 1, { _tag: "vie_du_quartier", topic: "anecdote" }, "Les hérons sont revenus",
    "Deux hérons pêchent chaque matin au bord de la Garonne, derrière le stade."],
  [5, 0, { _tag: "annonce", offer: "donne" }, "Cartons de déménagement",
    "Une vingtaine de cartons solides, à prendre devant le 12."],
  [6, 0, { _tag: "vie_du_quartier", topic: "nouvelle" }, "Boîte à livres installée",
    "Une boîte à livres est installée près de l'abribus : déposez, empruntez."],
  [7, 0, { _tag: "entraide", direction: "demande", help: "accompagnement" }, "Accompagnement chez le médecin",
    "Je cherche quelqu'un pour m'accompagner à Bordeaux mercredi après-midi."],
  [8, 0, { _tag: "covoiturage", direction: "demande", from: "Cadaujac", to: "Léognan",
    departsAt: DateTime.add(now, { days: 2, hours: 1 }), seats: 1 }, "Cherche une place pour Léognan",
    "Pour aller au marché samedi matin, je partage les frais."]
]

/** What the seed created, for printing the demo logins. */
export interface DemoLogin {
  readonly role: string
  readonly name: string
  readonly email: string
  readonly phone: string
  readonly community: string
}

export interface DemoTownReport {
  readonly created: boolean
  readonly communities: number
  readonly residents: number
  readonly pending: number
  readonly logins: ReadonlyArray<DemoLogin>
}

/**
 * Seeds Cadaujac once: three communities with perimeters, 40 residents spread over them (a few in
 * two communities, a few still waiting for their letter), a référent per community, a mairie agent,
 * a municipal police account, two moderators (an appeal goes to the one who did not hide the alert),
 * an administrator, and a month of resolved alerts from nine residents. Idempotent: when the commune already has communities,
 * it changes nothing and reports the logins of what is there. The commune and perimeters are checked
 * like any other (official list, enclosing perimeters). Run it inside a transaction.
 */
export const seedDemoTown = Effect.gen(function*() {
  const communities = yield* Communities
  const accounts = yield* AccountRepo
  const memberships = yield* MembershipRepo
  const preferences = yield* PreferencesRepo
  const hasher = yield* PasswordHasher

  const existing = yield* communities.listByCommune(DEMO_INSEE)
  if (existing.length > 0) return yield* reportExisting(existing)

  const passwordHash = yield* hasher.hash(Redacted.make(DEMO_PASSWORD))
  const created: Array<Community> = []
  for (const c of demoCommunities) {
    created.push(yield* communities.create({ insee: DEMO_INSEE, name: c.name, perimeter: c.perimeter }))
  }

  const logins: Array<DemoLogin> = []
  const residentIds: Array<AccountId> = []
  let pending = 0
  for (const [i, person] of residents.entries()) {
    const home = i % demoCommunities.length
    const demo = demoCommunities[home]!
    const community = created[home]!
    // Every 13th resident has no phone yet, every 9th has not verified it: the demo shows both.
    const phone = i % 13 === 12 ? Option.none() : Option.some(demoPhone(i + 1))
    const account = yield* accounts.insert({
      firstName: person.first,
      lastName: person.last,
      email: Option.some(demoEmail(person)),
      phone,
      phoneVerified: Option.isSome(phone) && i % 9 !== 8,
      passwordHash: Option.some(passwordHash),
      staffRoles: []
    })
    residentIds.push(account.id)
    const role: MembershipRole = i < demoCommunities.length ? "referent" : "resident"
    const status: MembershipStatus = i >= 36 ? "pending_verification" : "verified"
    if (status === "pending_verification") pending++
    const address = new HomeAddress({
      line1: `${(i * 7) % 60 + 1} ${demo.streets[i % demo.streets.length]}`,
      line2: Option.none(),
      postcode: DEMO_POSTCODE,
      city: DEMO_COMMUNE_NAME,
      location: Option.some(
        [
          demo.centre[0] + ((i % 5) - 2) * 0.0012,
          demo.centre[1] + ((i % 3) - 1) * 0.0010
        ] as const
      )
    })
    yield* memberships.insert({ accountId: account.id, communityId: community.id, role, status, address })
    // A few residents also belong to the next community (a référent helping there, a second home).
    if (i % 10 === 5) {
      const other = created[(home + 1) % created.length]!
      yield* memberships.insert({ accountId: account.id, communityId: other.id, role: "resident", status: "verified",
        address })
    }
    // The elderly among them chose SMS for urgent alerts only and quiet nights; the oldest also a voice
    // call for urgent alerts (the dev inbox shows it as « Appel vocal »).
    if (i >= 35) {
      yield* preferences.put(
        new NotificationPreferences({
          accountId: account.id,
          sms: "urgent_only",
          email: "all",
          quietHours: Option.some(eveningQuietHours),
          voiceUrgent: i >= 38
        })
      )
    }
    if (role === "referent" || i < 6) {
      logins.push({
        role: role === "referent" ? "référent" : "voisin",
        name: `${person.first} ${person.last}`,
        email: demoEmail(person),
        phone: Option.getOrElse(phone, () => "—"),
        community: demo.name
      })
    }
  }

  const alerts = yield* AlertRepo
  const publisher = yield* AlertPublisher
  const seededAt = yield* DateTime.now
  for (const [author, daysAgo, category, text, place, shared] of pastAlerts) {
    const at = DateTime.subtractDuration(
      seededAt,
      Duration.sum(Duration.days(daysAgo), Duration.hours((author * 5) % 11))
    )
    const home = created[author % created.length]!
    // Posted as held so that no delivery is planned for the past, then closed as resolved.
    const { alert } = yield* publisher.post({
      scope: { _tag: "Community", communityId: home.id },
      authorId: residentIds[author]!,
      origin: "web",
      category,
      urgency: category === "fire_or_smoke" || category === "burglary" ? "urgent" : "info",
      text,
      place: Option.fromNullable(place),
      sharedWithAuthorities: shared,
      status: "held_for_review"
    }, at)
    yield* alerts.setStatus(alert.id, "resolved", DateTime.add(at, { hours: 3 }))
  }

  // A living Gazette: two posts from each author of the past alerts (members in good standing: their
  // posts are not held), an event to come, and the mairie's pinned news.
  const gazette = yield* GazetteRepo
  for (const [author, daysAgo, details, title, body] of demoGazette(seededAt)) {
    const home = created[author % created.length]!
    const createdAt = DateTime.subtract(seededAt, { days: daysAgo, hours: (author * 3) % 7 })
    yield* gazette.insert({
      kind: details._tag,
      communityId: home.id,
      insee: DEMO_INSEE,
      authorId: residentIds[author]!,
      title,
      body,
      photos: [],
      attachment: null,
      details,
      status: "published",
      holdReasons: [],
      createdAt,
      expiresAt: expiryFrom(details._tag, createdAt)
    })
  }

  // Members verified over the past months, two of Le Bourg this week (« nouveaux membres de la semaine »).
  const sql = yield* SqlClient.SqlClient
  for (const [i, id] of residentIds.entries()) {
    const daysAgo = i === 30 || i === 33 ? 2 + (i % 3) : 20 + ((i * 37) % 300)
    const at = DateTime.subtract(seededAt, { days: daysAgo })
    yield* sql`UPDATE memberships SET verified_at = ${DateTime.toDateUtc(at)}
WHERE account_id = ${id} AND status = 'verified'`.pipe(Effect.orDie)
  }

  // A living annuaire: a few residents filled their profile (the others are listed with their name only).
  const profiles = yield* ProfileRepo
  for (const [resident, profile, shown] of demoProfiles) {
    yield* profiles.save(
      new MemberProfile({ ...profile, accountId: residentIds[resident]!,
        visibility: { ...DEFAULT_VISIBILITY, ...shown }, updatedAt: seededAt })
    )
  }

  const staff: ReadonlyArray<readonly [DemoPerson, string, StaffRole]> = [
    [{ first: "Sophie", last: "Lacoste" }, "agent mairie", { _tag: "MairieAgent", insee: DEMO_INSEE }],
    [{ first: "Marc", last: "Dufour" }, "police municipale", { _tag: "MunicipalPolice", insee: DEMO_INSEE }],
    [{ first: "Nadia", last: "Benali" }, "modératrice", { _tag: "Moderator" }],
    [{ first: "Admin", last: "Vigie" }, "administrateur", { _tag: "Admin" }],
    // A second moderator: an appeal goes to another moderator than the one who hid the alert.
    [{ first: "Julien", last: "Marchand" }, "modérateur", { _tag: "Moderator" }]
  ]
  let staffAdmin: AccountId | undefined
  for (const [n, [person, label, role]] of staff.entries()) {
    const email = demoEmail(person, ".staff")
    const account = yield* accounts.insert({
      firstName: person.first,
      lastName: person.last,
      email: Option.some(email),
      phone: Option.some(demoPhone(9000 + n)),
      phoneVerified: true,
      passwordHash: Option.some(passwordHash),
      staffRoles: [role]
    })
    yield* enrolWithSecret(account, DEMO_TOTP_SECRET)
    if (role._tag === "Admin") staffAdmin = account.id
    logins.push({ role: label, name: `${person.first} ${person.last}`, email, phone: demoPhone(9000 + n),
      community: DEMO_COMMUNE_NAME })
  }

  // The demo commune is a Mairie Vigilante (activated by the demo admin), its police contact entered.
  const vigilant = yield* VigilantCommuneRepo
  const openedAt = yield* DateTime.now
  yield* vigilant.activate(DEMO_INSEE, staffAdmin!, openedAt)
  yield* vigilant.setPoliceContact(
    DEMO_INSEE,
    new PoliceContact({
      phone: Option.some("05 56 30 94 50"),
      details: Option.some(
        "Police municipale, place de la Mairie.\nDu lundi au vendredi, 8 h 30 – 12 h et 14 h – 17 h 30."
      )
    }),
    staffAdmin!,
    openedAt
  )

  // A mairie agent invited but not signed up yet: her invitation e-mail waits in the dev inbox.
  const invitedEmail = demoEmail(INVITED_STAFF, ".staff")
  const invited = yield* accounts.insert({
    firstName: INVITED_STAFF.first,
    lastName: INVITED_STAFF.last,
    email: Option.some(invitedEmail),
    phone: Option.none(),
    phoneVerified: false,
    passwordHash: Option.none(),
    staffRoles: [{ _tag: "MairieAgent", insee: DEMO_INSEE }]
  })
  const link = `${yield* demoSiteUrl}/invitation#${Redacted.value(yield* issueInvitation(invited.id))}`
  yield* (yield* EmailSender).send([{
    to: invitedEmail,
    subject: "Vigie : votre invitation",
    text:
      `Bonjour ${INVITED_STAFF.first},\n\nVous êtes invitée à rejoindre Vigie comme agent de la mairie de ${DEMO_COMMUNE_NAME}.\n` +
      `Choisissez votre mot de passe en ouvrant ce lien (valable 7 jours, une seule fois) :\n${link}\n`,
    html: `<p>Bonjour ${INVITED_STAFF.first},</p><p>Vous êtes invitée à rejoindre Vigie comme agent de la mairie de ` +
      `${DEMO_COMMUNE_NAME}.</p><p><a href="${link}">Choisir mon mot de passe</a> (lien valable 7 jours, une seule fois)</p>`
  }]).pipe(Effect.orDie)
  logins.push({ role: INVITED_ROLE, name: `${INVITED_STAFF.first} ${INVITED_STAFF.last}`, email: invitedEmail,
    phone: "—", community: DEMO_COMMUNE_NAME })

  return {
    created: true,
    communities: created.length,
    residents: residents.length,
    pending,
    logins
  } satisfies DemoTownReport
})

const reportExisting = (communities: ReadonlyArray<Community>) =>
  Effect.gen(function*() {
    const accounts = yield* AccountRepo
    const logins: Array<DemoLogin> = []
    const wanted: ReadonlyArray<readonly [DemoPerson, string, string]> = [
      ...residents.slice(0, 6).map((p, i) =>
        [p, i < demoCommunities.length ? "référent" : "voisin",
          demoCommunities[i % demoCommunities.length]!.name] as const
      ),
      [{ first: "Sophie", last: "Lacoste" }, "agent mairie", DEMO_COMMUNE_NAME],
      [{ first: "Marc", last: "Dufour" }, "police municipale", DEMO_COMMUNE_NAME],
      [{ first: "Nadia", last: "Benali" }, "modératrice", DEMO_COMMUNE_NAME],
      [{ first: "Admin", last: "Vigie" }, "administrateur", DEMO_COMMUNE_NAME],
      [{ first: "Julien", last: "Marchand" }, "modérateur", DEMO_COMMUNE_NAME],
      [INVITED_STAFF, INVITED_ROLE, DEMO_COMMUNE_NAME]
    ]
    for (const [person, role, community] of wanted) {
      const email = demoEmail(person, role === "référent" || role === "voisin" ? "" : ".staff")
      const found = yield* accounts.findByEmail(email)
      if (Option.isSome(found)) {
        logins.push({
          role,
          name: `${person.first} ${person.last}`,
          email,
          phone: Option.getOrElse(found.value.phone, () => "—"),
          community
        })
      }
    }
    return { created: false, communities: communities.length, residents: 0, pending: 0,
      logins } satisfies DemoTownReport
  })
