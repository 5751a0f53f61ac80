import { Schema } from "effect"

/*
 * Why this check exists: neighbourhood safety posts drift into profiling ("un homme de type
 * maghrébin", "deux jeunes noirs") that tells neighbours nothing they can act on and points them
 * at whole groups. Nextdoor answered with a form that asks for behaviour and clothing instead of
 * origin. Vigie does the same in French: before posting, the author is warned about the words below
 * and shown what helps instead (what the person does, clothing, vehicle, direction); posted anyway,
 * the alert waits for a moderator.
 *
 * The word lists are data. Words are compared in lower case without accents ("Maghrébine" →
 * "maghrebine"); a form written with an accent matches only with its accent (so "typé" is not
 * "type"). Each list says in which context its words describe a person:
 *   - always:        whatever the context ("maghrébin", "métisse", "gens du voyage");
 *   - unless object: except when they qualify a thing, a vehicle or a place ("voiture allemande",
 *                    "plaques roumaines", "restaurant chinois", "roue voilée", "place handicapés");
 *   - of person:     only next to a person noun or used as a noun ("homme noir", "deux blacks",
 *                    "un grand noir"), never next to a thing ("voiture noire", "portail blanc"),
 *                    as clothing ("habillé en noir", "vêtu de blanc") or darkness ("dans le noir");
 *   - as noun:       only used as a noun ("un barbu", "les barbus").
 * Words inside a street name are never flagged ("rue des Juifs", "place Noire").
 *
 * Decisions:
 *   - "barbu": a beard is a physical trait like a moustache, useful to recognise someone, so
 *     "un homme barbu" passes; "un barbu" / "des barbus" used as a noun is the usual coded way to
 *     say "a Muslim man" and is flagged as religion.
 *   - Nationalities next to a vehicle or its plates ("camionnette immatriculée en Roumanie",
 *     "plaques bulgares", "une voiture allemande") describe the vehicle, not a person: not flagged.
 *     "Une roumaine" alone is read as a person (nobody calls a Dacia that).
 *   - A language spoken ("parlait arabe") or an accent ("accent de l'Est") is an origin proxy: flagged.
 *   - Health: a state seen now ("ivre", "blessé", "allongé par terre") is behaviour and passes; a
 *     condition or a label ("handicapé", "malade mental", "drogué", "un fou") is flagged.
 *   - "Person without behaviour": a text that mentions a person ("un homme", "deux jeunes",
 *     "quelqu'un") and no behaviour at all (no verb from BEHAVIOUR_*, no act like "cambriolage").
 *     Clothing alone is not behaviour ("un homme en capuche" is flagged, "un homme en capuche essaie
 *     d'ouvrir les portières" is not). The check is per text, not per sentence: short reports
 *     often put the act in another sentence.
 */

const stripAccents = (word: string) => word.normalize("NFD").replace(/\p{M}/gu, "")

/**
 * Masculine singular → its four forms, accent-free; the feminine is guessed unless given. Write a
 * final "é" ("handicapé") so that the feminine gets its "e" ("handicapee").
 */
const adjective = (masculine: string, feminine?: string): ReadonlyArray<string> =>
  guessed(stripAccents(masculine), feminine ?? (masculine.endsWith("é") ? stripAccents(masculine) + "e" : undefined))
const guessed = (masculine: string, feminine?: string): ReadonlyArray<string> => {
  const f = feminine ??
    (masculine.endsWith("e")
      ? masculine
      : masculine.endsWith("ien")
      ? masculine + "ne"
      : masculine.endsWith("if")
      ? masculine.slice(0, -1) + "ve"
      : masculine + "e")
  const plural = (w: string) => (/[sxz]$/.test(w) ? w : w + "s")
  return [masculine, plural(masculine), f, plural(f)]
}
const adjectives = (...words: ReadonlyArray<string>) => words.flatMap((w) => adjective(w))
const nouns = (...words: ReadonlyArray<string>) => words.flatMap((w) => (/[sxz]$/.test(w) ? [w] : [w, w + "s"]))

/** Origin, always: regions, peoples and slurs that only ever describe where a person comes from. */
// dprint-ignore
const ORIGIN_ALWAYS = [
  ...adjectives("maghrebin", "subsaharien", "gitan", "tzigane", "tsigane", "manouche", "bohemien", "beur", "rebeu"),
  ...adjective("romanichel", "romanichelle"),
  "maghreb", "rom", "roms", "rrom", "rroms", "romano", "romanos", "beurette", "beurettes",
  ...nouns("bougnoule", "bicot", "crouille", "chinetoque", "niakoue", "rital", "polak", "asiat"),
  "typé", "typée", "typés", "typées", "typee", "typees"
]

/** Origin, unless the word qualifies a thing: nationalities and origin adjectives. */
// dprint-ignore
const ORIGIN_UNLESS_OBJECT = [
  ...adjectives(
    "arabe", "africain", "asiatique", "chinois", "japonais", "vietnamien", "coreen", "indien", "pakistanais",
    "kurde", "roumain", "bulgare", "albanais", "yougoslave", "serbe", "kosovar", "tchetchene", "georgien",
    "russe", "ukrainien", "polonais", "moldave", "lituanien", "algerien", "marocain", "tunisien", "libyen",
    "egyptien", "syrien", "irakien", "iranien", "afghan", "senegalais", "malien", "ivoirien", "camerounais",
    "congolais", "guineen", "comorien", "mahorais", "antillais", "haitien", "europeen", "caucasien",
    "mediterraneen", "oriental", "slave", "latino", "hispanique", "americain", "portugais", "espagnol",
    "italien", "anglais", "allemand", "belge", "immigré", "migrant"
  ),
  "orientaux",
  ...adjective("turc", "turque"),
  ...adjective("grec", "grecque")
]

/** Countries and regions, flagged after "d'origine" / "originaire de". */
// dprint-ignore
const ORIGIN_PLACES = [
  "afrique", "asie", "europe", "orient", "maghreb", "roumanie", "bulgarie", "albanie", "algerie", "maroc",
  "tunisie", "turquie", "chine", "inde", "pakistan", "syrie", "afghanistan", "russie", "ukraine", "pologne",
  "kosovo", "tchetchenie", "georgie", "senegal", "mali", "congo", "cameroun", "antilles", "comores", "haiti",
  "portugal", "espagne", "italie", "etranger"
]

/** Skin colour, always. */
// dprint-ignore
const SKIN_ALWAYS = [
  ...adjectives("basané", "mulatre"),
  ...adjective("metis", "metisse"), ...adjective("negre", "negresse"),
  "renoi", "renois", "noich", "negro", "negros", "bamboula", "bamboulas"
]

/** Colour words that describe skin only next to a person (or used as a noun: "un noir"). */
const SKIN_OF_PERSON = [...adjective("noir"), ...adjective("blanc", "blanche"), "black", "blacks", "jaune", "jaunes"]

/** Words that describe skin after "peau" / "teint" or before "de peau". */
// dprint-ignore
const SKIN_TONES = [
  ...SKIN_OF_PERSON, ...adjectives("mat", "foncé", "clair", "brun", "basané", "bronzé", "hâlé", "cuivré", "sombre"),
  "chocolat", "café", "cafe"
]

/** Religion, unless the word qualifies a thing ("école catholique", "roue voilée"). */
// dprint-ignore
const RELIGION_UNLESS_OBJECT = [
  ...adjectives(
    "musulman", "juif", "israelite", "catholique", "chretien", "protestant", "evangelique", "bouddhiste", "hindou",
    "sikh", "islamiste", "salafiste", "integriste", "jihadiste", "djihadiste"
  ),
  "voilee", "voilees", "voilé", "voilés"
]

/** Religion, always: religious garments and slurs. */
// dprint-ignore
const RELIGION_ALWAYS = [
  ...adjectives("islamique"),
  ...nouns("hijab", "niqab", "burqa", "burka", "burkini", "tchador", "kippa", "qamis", "kamis", "djellaba", "feuj", "youpin")
]

/** Religion, only used as a noun (see "barbu" above). */
const RELIGION_AS_NOUN = ["barbu", "barbus"]

/** Health and disability, always: conditions, diagnoses and labels. */
// dprint-ignore
const HEALTH_ALWAYS = [
  ...adjectives(
    "toxicomane", "schizophrene", "psychopathe", "psychotique", "debile", "attardé", "trisomique", "mongolien",
    "autiste", "alcoolique", "infirme"
  ),
  ...nouns("toxico", "junkie", "alcoolo", "ivrogne", "schizo", "psychiatrique"),
  "drogué", "droguée", "drogués", "droguées", "droguee", "droguees",
  "camé", "camée", "camés", "camées", "taré", "tarée", "tarés", "tarées", "aliéné", "aliénée", "aliénés", "aliénées"
]

/** Health, unless the word qualifies a thing ("place réservée aux handicapés", "meuble déséquilibré"). */
const HEALTH_UNLESS_OBJECT = [...adjectives("handicapé", "déséquilibré", "paralysé"),
  ...adjective("boiteux", "boiteuse")]

/** Health words that describe a person only next to one or as a noun ("bruit sourd", "mur aveugle" pass). */
const HEALTH_OF_PERSON = [...adjective("fou", "folle"), "fous", ...adjective("sourd"), ...adjective("muet", "muette"),
  ...adjectives("aveugle")]

/** Nouns for a person seen by the author. */
// dprint-ignore
const PERSON_NOUNS_ANY = [
  ...nouns(
    "homme", "femme", "individu", "jeune", "gars", "mec", "garcon", "fille", "ado", "gamin", "gamine", "enfant",
    "dame", "quidam", "nana", "meuf", "keum", "bonhomme", "adolescent", "adolescente", "jeunot"
  ),
  "monsieur", "messieurs", "mesdames", "madame"
]

/** Person nouns that mean a person only after a determiner ("personne ne répond", "de type", "suspect"). */
// dprint-ignore
const PERSON_NOUNS_AFTER_DETERMINER = [
  ...nouns("personne", "type", "inconnu", "inconnue", "suspect", "suspecte", "couple", "silhouette", "passant", "passante"),
  "gens"
]

/**
 * Nouns for people: a colour or a trait right after them describes a person ("suspect" is left out:
 * "véhicule suspect noir" is about the vehicle).
 */
// dprint-ignore
const PEOPLE_NOUNS = [
  ...PERSON_NOUNS_ANY, ...nouns("personne", "type", "inconnu", "inconnue", "couple", "silhouette", "passant", "passante"), "gens",
  ...nouns(
    "voisin", "voisine", "voleur", "voleuse", "cambrioleur", "rodeur", "livreur", "ouvrier", "vendeur", "vendeuse",
    "demarcheur", "agent", "conducteur", "conductrice", "chauffeur", "pieton", "cycliste", "client", "cliente",
    "mendiant", "mendiante", "epicier", "gardien", "locataire", "proprietaire", "occupant", "occupants"
  )
]

/** Things, vehicles and places: a nationality, religion or health word next to them is not about a person. */
// dprint-ignore
const OBJECT_NOUNS = nouns(
  "voiture", "vehicule", "camion", "camionnette", "fourgon", "fourgonnette", "utilitaire", "van", "moto", "scooter",
  "velo", "trottinette", "auto", "berline", "break", "4x4", "suv", "taxi", "remorque", "caravane", "plaque",
  "immatriculation", "immatricule", "immatriculee", "marque", "modele", "pneu", "roue", "jante", "ciel", "soleil",
  "image", "photo", "voix", "restaurant", "resto", "epicerie", "boutique", "magasin", "commerce", "supermarche",
  "quartier", "cuisine", "plat", "produit", "drapeau", "musique", "chanson", "chaine", "television", "journal",
  "ecole", "eglise", "cimetiere", "boucherie", "fete", "an", "calendrier", "union", "permis", "carte", "passeport",
  "place", "parking", "stationnement", "toilette", "wc", "acces", "rampe", "meuble", "mur", "porte", "portail",
  "fenetre", "volet", "chien", "chat", "cheval", "sac", "colis", "facture", "document", "papier", "billet", "piece",
  "objet", "langue", "mot", "texte", "tag", "graffiti", "inscription", "ecriture", "lettre", "nom", "numero",
  "telephone", "paquet", "clio", "golf", "megane", "transporteur", "societe", "entreprise", "style", "architecture",
  "berger", "cle", "frite", "football", "salade", "cafe", "the", "bain", "tapis", "lampe", "vin", "biere", "fromage",
  "temple", "mosquee", "synagogue", "communaute", "association", "centre", "festival", "marche", "jardin"
)

/** Adjectives and links that may stand between a noun and the word that qualifies it. */
// dprint-ignore
const SKIPPABLE = new Set([
  ...adjectives("grand", "petit", "gros", "mince", "costaud", "maigre", "vieux", "fin", "trapu", "sombre", "foncé", "clair", "neuf", "ancien"),
  ...adjective("vieux", "vieille"), ...adjective("gros", "grosse"), ...adjective("neuf", "neuve"),
  ...adjective("blanc", "blanche"), ...adjectives("noir", "gris", "bleu", "rouge", "vert", "jaune", "beige", "marron", "argenté", "doré"),
  "et", "pour", "aux", "au", "reserve", "reservee", "reserves", "reservees", "immatricule", "immatriculee", "tres"
])

/** Determiners before a word used as a noun ("un noir", "deux blacks", "les barbus"). Not "le": "dans le noir". */
// dprint-ignore
const DETERMINERS = new Set([
  "un", "une", "des", "les", "ces", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
  "plusieurs", "quelques", "certains", "certaines", "autre", "autres"
])
/** Determiners before a person noun that needs one ("une personne", "la personne", "l'inconnu"). */
const PERSON_DETERMINERS = new Set([...DETERMINERS, "le", "la", "l", "ce", "cet", "cette", "mon", "ma", "son", "sa"])

/** Words that start a street or place name: what follows is a name, not a description. */
// dprint-ignore
const STREET_WORDS = new Set(nouns(
  "rue", "avenue", "av", "bd", "boulevard", "place", "impasse", "allee", "chemin", "quai", "route", "square",
  "passage", "residence", "cite", "lotissement", "parc", "hameau", "lieudit", "college", "lycee", "chapelle",
  "pont", "carrefour", "sentier", "villa", "zac", "faubourg", "ruelle", "venelle", "esplanade", "promenade"
))
const NAME_LINKS = new Set(["de", "du", "des", "la", "le", "les", "l", "d", "saint", "sainte", "st", "ste", "aux",
  "au"])

/**
 * Behaviour: stems of first-group verbs (any ending: "rôde", "regardaient", "forcé", "sonnant"),
 * other verb forms, and nouns of acts or situations. One of them anywhere in the text means the
 * author described what happened, not only who was there.
 */
// dprint-ignore
const BEHAVIOUR_STEMS = [
  "regard", "rod", "sonn", "forc", "escalad", "essai", "essay", "tent", "photographi", "photograph", "film", "frapp",
  "cass", "vol", "observ", "surveill", "guett", "fouill", "tourn", "pass", "travers", "march", "arriv", "repass",
  "stationn", "gar", "cach", "dissimul", "approch", "demand", "propos", "toqu", "touch", "tir", "pouss", "penetr",
  "saut", "grimp", "enjamb", "cri", "hurl", "insult", "menac", "agress", "bouscul", "jet", "jett", "lanc", "crach",
  "degrad", "tagu", "tagg", "vandalis", "brul", "incendi", "relev", "reper", "parl", "discut", "telephon", "appel",
  "appell", "cherch", "train", "squatt", "dirig", "recul", "manoeuvr", "circul", "roul", "acceler", "demarr", "fonc",
  "deambul", "err", "insist", "refus", "present", "arrach", "derob", "emport", "transport", "charg", "decharg",
  "depos", "tomb", "boug", "pleur", "cogn", "abim", "endommag", "siphonn", "crochet", "fractur", "bris", "defonc",
  "montr", "mont", "entr", "rentr", "quitt", "install", "visit", "inspect", "examin", "enregistr", "mendi",
  "echapp", "sauv", "demont", "deviss", "ramass", "klaxonn", "tambourin", "arret", "fum", "bless", "chut",
  "titub", "bloqu", "ferm", "pench", "colport", "arnaqu", "dealer", "deal", "braqu", "menott", "press",
  "bricol", "jou", "tap", "secou", "grill", "harcel", "sifl", "accost",
  "interpell", "agripp", "empar", "maltrait", "nettoy", "balad", "promen", "long", "trouv", "retrouv"
]
// dprint-ignore
const BEHAVIOUR_ENDINGS = [
  "e", "es", "ent", "er", "ee", "ees", "ant", "ait", "aient", "ais", "ai", "ons", "ez", "era", "eront", "erait",
  "eraient", "erai", "ions", "iez", "a", "erent", "aient"
]
// dprint-ignore
const BEHAVIOUR_FORMS = [
  "suit", "suivent", "suivre", "suivi", "suivie", "suivis", "suivant", "suivait", "suivaient", "poursuit", "poursuivent", "poursuivi",
  "prend", "prennent", "prendre", "pris", "prise", "prises", "prenant", "prenait", "prenaient",
  "fait", "font", "faire", "faisant", "faisait", "faisaient",
  "met", "mettent", "mettre", "mis", "mise", "mettant", "mettait",
  "court", "courent", "courir", "couru", "courant", "courait", "couraient",
  "fuit", "fuient", "fuir", "fui", "fuyant", "fuyait", "enfui", "enfuie", "enfuis", "enfuit", "enfuient",
  "part", "partent", "partir", "parti", "partie", "partis", "parties", "partant", "partait", "repart", "repartent", "repartir", "reparti", "repartis",
  "sort", "sortent", "sortir", "sorti", "sortie", "sortis", "sortant", "sortait", "ressort", "ressortent", "ressorti",
  "vient", "viennent", "venir", "venu", "venue", "venus", "venant", "venait", "venaient", "revient", "reviennent", "revenir", "revenu", "revenus",
  "va", "vont", "aller", "allait", "allaient", "allant", "alle", "allee", "alles",
  "ouvre", "ouvrent", "ouvrir", "ouvert", "ouverte", "ouverts", "ouvertes", "ouvrant", "ouvrait",
  "descend", "descendent", "descendre", "descendu", "descendus", "descendant", "descendait",
  "attend", "attendent", "attendre", "attendu", "attendant", "attendait", "attendaient",
  "vend", "vendent", "vendre", "vendu", "vendant", "vendait",
  "tient", "tiennent", "tenir", "tenu", "tenant", "tenait",
  "pretend", "pretendent", "pretendant", "pretendait", "dit", "disent", "disant", "disait", "dire",
  "dort", "dorment", "dormir", "dormant", "dormait",
  "repond", "repondent", "repondre", "repondu", "repondait",
  "bat", "battent", "battre", "battu", "battant", "battait",
  "introduit", "introduisent", "introduire", "introduisant", "detruit", "detruisent", "detruire",
  "conduit", "conduisent", "conduire", "conduisant", "conduisait", "boit", "boivent", "boire", "buvant", "buvait",
  "franchit", "franchissent", "franchir", "franchi", "franchissant", "saisit", "saisi", "saisir",
  "agit", "agissent", "agir", "agissant", "ecrit", "ecrivent", "ecrire", "ecrivant", "remplit", "demolit",
  "disparu", "disparue", "disparus", "disparait", "disparaissent", "disparaitre",
  "ivre", "ivres", "allonge", "allongee", "allonges", "couche", "couchee", "assis", "assise", "immobile", "inconscient",
  "inconsciente", "perdu", "perdue", "perdus", "perdues"
]
// dprint-ignore
const BEHAVIOUR_NOUNS = nouns(
  "vol", "cambriolage", "tentative", "effraction", "agression", "demarchage", "demarcheur", "rodeur", "voleur",
  "voleuse", "cambrioleur", "reperage", "degradation", "bagarre", "rixe", "squat", "intrusion", "arnaque",
  "arnaqueur", "escroc", "escroquerie", "menace", "insulte", "cris", "tapage", "bruit", "nouvelle", "malaise",
  "chute", "incendie", "accident", "deal", "trafic", "vandalisme", "tag", "intrus", "manege", "allees", "venues",
  "aller-retour", "coups", "coup"
)
/** Words in -ez that are no verb ("devant chez moi"); any other is a "vous" form: advice or a call to act. */
const NOT_VERBS_IN_EZ = new Set(["chez", "assez", "nez", "rez", "rezdechaussee", "suez", "velez", "rodez", "cortez"])
/** Forms that look like a verb of the stems above but are something else ("entre 14 h et 15 h"). */
const NOT_BEHAVIOUR = new Set(["entre", "gare", "montant", "passant", "volant", "ferme", "presente", "presentes"])

// ---------------------------------------------------------------------------------------------------

export const SensitiveKind = Schema.Literal("origin", "skin_colour", "religion", "health", "person_without_behaviour")
export type SensitiveKind = typeof SensitiveKind.Type

/** A stretch of an alert's text that trips the check: UTF-16 offsets into the text, and why. */
export interface FlaggedSpan {
  readonly start: number
  readonly end: number
  readonly kind: SensitiveKind
  readonly excerpt: string
}

/** A flagged span on the wire (moderation queue, post warnings). */
export const FlaggedSpanSchema = Schema.Struct({
  start: Schema.Int.pipe(Schema.nonNegative()),
  end: Schema.Int.pipe(Schema.nonNegative()),
  kind: SensitiveKind,
  excerpt: Schema.String
})

/** A span of an alert's text that tripped the sensitive-descriptor check, as an alert stores it. */
export const AlertFlaggedSpan = FlaggedSpanSchema
export type AlertFlaggedSpan = typeof FlaggedSpanSchema.Type

/** The kinds, in the order moderators and authors read them. */
export const SENSITIVE_KINDS: ReadonlyArray<SensitiveKind> = SensitiveKind.literals

interface Token {
  readonly start: number
  readonly end: number
  /** lower case, accents removed */
  readonly norm: string
  /** lower case, accents kept */
  readonly lower: string
  readonly capital: boolean
}

type When = "always" | "unless_object" | "of_person" | "as_noun" | "after_person"
type TraitKind = Exclude<SensitiveKind, "person_without_behaviour">
interface Rule {
  readonly sequence: ReadonlyArray<ReadonlySet<string>>
  readonly kind: TraitKind
  readonly when: When
  readonly notBefore?: ReadonlySet<string>
  /** Not flagged after these words ("roule comme un fou"). */
  readonly notAfter?: ReadonlySet<string>
}

const set = (...words: ReadonlyArray<string>): ReadonlySet<string> => new Set(words)
const word = (
  words: ReadonlyArray<string>,
  kind: TraitKind,
  when: When,
  options: { readonly notBefore?: ReadonlyArray<string>; readonly notAfter?: ReadonlyArray<string> } = {}
): Rule => ({
  sequence: [new Set(words)],
  kind,
  when,
  ...(options.notBefore ? { notBefore: new Set(options.notBefore) } : {}),
  ...(options.notAfter ? { notAfter: new Set(options.notAfter) } : {})
})
const phrase = (kind: TraitKind, when: When, ...parts: ReadonlyArray<ReadonlyArray<string>>): Rule => ({
  sequence: parts.map((p) => new Set(p)),
  kind,
  when
})

const MENTAL = adjective("mental", "mentale").concat("mentaux")
const RULES: ReadonlyArray<Rule> = [
  phrase("origin", "always", ["nord", "sud", "afro"], [...adjectives("africain", "americain", "asiatique")]),
  phrase("origin", "always", ["pays"], ["de"], ["l"], ["est"]),
  phrase("origin", "after_person", ["de"], ["l"], ["est"]),
  phrase("origin", "always", ["origine", "origines", "originaire", "originaires"], ["de"], ["l"], ["est", "europe",
    "afrique", "asie", "orient"]),
  phrase("origin", "always", ["gens"], ["du"], ["voyage"]),
  phrase("origin", "always", ["origine", "origines"], [...ORIGIN_PLACES, ...ORIGIN_UNLESS_OBJECT, ...ORIGIN_ALWAYS]),
  phrase("origin", "always", ["origine", "origines"], ["d", "de", "du"], ORIGIN_PLACES),
  phrase("origin", "always", ["originaire", "originaires"], ["d", "de", "du", "des"], ORIGIN_PLACES),
  phrase("origin", "always", ["originaire", "originaires"]),
  phrase("origin", "always", ["accent"], ["etranger", "slave", "oriental", "africain", "arabe", "asiatique"]),
  phrase("origin", "always", ["accent"], ["de", "du"], ["l", "maghreb", "sud"], ["est"]),
  phrase("origin", "always", ["yeux"], [...adjective("bridé")]),
  phrase("skin_colour", "always", ["peau", "teint"], SKIN_TONES),
  phrase("skin_colour", "always", SKIN_TONES, ["de"], ["peau"]),
  phrase("skin_colour", "always", ["couleur"], ["de"], ["peau"]),
  phrase("skin_colour", "after_person", ["de"], ["couleur"]),
  phrase(
    "religion",
    "always",
    ["porte", "portant", "portait", "portent", "avec", "sous"],
    ["un", "le", "son", "leur"],
    ["voile"]
  ),
  phrase("health", "always", nouns("malade"), MENTAL),
  word(ORIGIN_ALWAYS, "origin", "always"),
  word(ORIGIN_UNLESS_OBJECT, "origin", "unless_object"),
  word(SKIN_ALWAYS, "skin_colour", "always"),
  word(SKIN_OF_PERSON, "skin_colour", "of_person"),
  word(RELIGION_ALWAYS, "religion", "always"),
  word(RELIGION_UNLESS_OBJECT, "religion", "unless_object"),
  word(RELIGION_AS_NOUN, "religion", "as_noun"),
  word(HEALTH_ALWAYS, "health", "always"),
  word(HEALTH_UNLESS_OBJECT, "health", "unless_object"),
  word(HEALTH_OF_PERSON, "health", "of_person", { notBefore: ["rire", "rires"], notAfter: ["comme"] })
].sort((a, b) => b.sequence.length - a.sequence.length)

const PERSON_ANY = set(...PERSON_NOUNS_ANY)
const PERSON_AFTER_DETERMINER = set(...PERSON_NOUNS_AFTER_DETERMINER)
const PEOPLE = set(...PEOPLE_NOUNS)
const OBJECTS = set(...OBJECT_NOUNS)
const BEHAVIOUR_WORDS = set(...BEHAVIOUR_FORMS, ...BEHAVIOUR_NOUNS)
const BEHAVIOUR_VERB = new RegExp(`^(?:${BEHAVIOUR_STEMS.join("|")})(?:${BEHAVIOUR_ENDINGS.join("|")})$`)

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu
/** What may stand between the words of one phrase: spaces, a hyphen, an apostrophe. */
const JOINED = /^[\s'’ʼ\-‐‑]{1,3}$/u
/** What ends a clause: a qualifier never reaches across it. */
const CLAUSE_END = /[.!?;:\n()]/

const tokenize = (text: string): ReadonlyArray<Token> => {
  const tokens: Array<Token> = []
  for (const m of text.matchAll(WORD)) {
    const raw = m[0]
    const lower = raw.normalize("NFC").toLowerCase()
    const norm = lower.normalize("NFD").replace(/\p{M}/gu, "").replace(/œ/g, "oe").replace(/æ/g, "ae")
    tokens.push({ start: m.index, end: m.index + raw.length, norm, lower, capital: /^\p{Lu}/u.test(raw) })
  }
  return tokens
}

const has = (words: ReadonlySet<string>, t: Token | undefined) =>
  t !== undefined && (words.has(t.norm) || words.has(t.lower))

/**
 * Spans (UTF-16 offsets into `text`, non-overlapping, in order) of the French text that describe a
 * person by a sensitive trait, or describe a person without any behaviour.
 */
export const sensitiveSpans = (text: string): ReadonlyArray<FlaggedSpan> => {
  const tokens = tokenize(text)
  const joined = (i: number) =>
    i > 0 && i < tokens.length && JOINED.test(text.slice(tokens[i - 1]!.end, tokens[i]!.start))
  const sameClause = (i: number) =>
    i > 0 && i < tokens.length && !CLAUSE_END.test(text.slice(tokens[i - 1]!.end, tokens[i]!.start))

  /** The word before `i` in the same clause, skipping up to two adjectives or links. */
  const qualified = (i: number): Token | undefined => {
    let j = i - 1
    for (let skipped = 0; j >= 0 && sameClause(j + 1); j--) {
      if (!SKIPPABLE.has(tokens[j]!.norm) || skipped === 2) return tokens[j]
      skipped++
    }
    return undefined
  }
  const inStreetName = (i: number) => {
    for (let j = i - 1, steps = 0; j >= 0 && steps < 5 && joined(j + 1); j--, steps++) {
      const t = tokens[j]!
      if (STREET_WORDS.has(t.norm)) return true
      if (!NAME_LINKS.has(t.norm) && !t.capital) return false
    }
    return false
  }
  /** "un noir", "deux grands blacks", "les barbus": the word is used as a noun. */
  const asNoun = (i: number) => {
    let j = i - 1
    if (j >= 0 && sameClause(j + 1) && SKIPPABLE.has(tokens[j]!.norm) && tokens[j]!.norm !== "et") j--
    return j >= 0 && sameClause(j + 1) && (DETERMINERS.has(tokens[j]!.norm) || /^\d+$/.test(tokens[j]!.norm))
  }
  /** "deux voitures, une noire et une grise", "un véhicule noir, un autre blanc": a thing named before. */
  const standsForThing = (i: number) => {
    if (!["un", "une", "autre", "autres"].includes(tokens[i - 1]?.norm ?? "")) return false
    for (let j = i - 2; j >= 0 && !CLAUSE_END.test(text.slice(tokens[j]!.end, tokens[j + 1]!.start)); j--) {
      if (has(PEOPLE, tokens[j])) return false
      if (has(OBJECTS, tokens[j])) return true
    }
    return false
  }
  const ofPerson = (i: number) => {
    const before = tokens[i - 1]
    if (before !== undefined && sameClause(i) && ["en", "de", "d", "du", "au", "le", "la", "l"].includes(before.norm)) {
      return false
    }
    return has(PEOPLE, qualified(i)) || (asNoun(i) && !standsForThing(i))
  }
  const applies = (rule: Rule, i: number, last: number) => {
    if (inStreetName(i)) return false
    if (rule.notBefore && joined(last + 1) && has(rule.notBefore, tokens[last + 1])) return false
    if (
      rule.notAfter && [1, 2].some((k) => i - k >= 0 && sameClause(i - k + 1) && has(rule.notAfter!, tokens[i - k]))
    ) return false
    switch (rule.when) {
      case "always":
        return true
      case "unless_object":
        return !has(OBJECTS, qualified(i))
      case "of_person":
        return ofPerson(i)
      case "as_noun":
        return asNoun(i)
      case "after_person":
        return sameClause(i) && has(PEOPLE, tokens[i - 1])
    }
  }
  const matchAt = (rule: Rule, i: number): number | undefined => {
    const n = rule.sequence.length
    if (i + n > tokens.length) return undefined
    for (let k = 0; k < n; k++) {
      if (!has(rule.sequence[k]!, tokens[i + k])) return undefined
      if (k > 0 && !joined(i + k)) return undefined
    }
    return i + n - 1
  }
  /** "de type", "d'origine", "type" before an origin word belong to the span. */
  const originStart = (i: number) => {
    let j = i
    while (j > 0 && joined(j) && ["type", "types", "origine", "origines"].includes(tokens[j - 1]!.norm)) j--
    if (
      j > 0 && joined(j) && ["type", "types", "origine", "origines"].includes(tokens[j]!.norm) &&
      ["de", "d"].includes(tokens[j - 1]!.norm)
    ) j--
    return j
  }

  const candidates: Array<Candidate> = []
  tokens.forEach((_, i) => {
    for (const rule of RULES) {
      const last = matchAt(rule, i)
      if (last === undefined || !applies(rule, i, last)) continue
      const first = rule.kind === "origin" ? originStart(i) : i
      candidates.push({ start: tokens[first]!.start, end: tokens[last]!.end, kind: rule.kind })
      break
    }
  })

  const traits = adjoined(text, disjoint(candidates))

  const behaviour = tokens.some((t) =>
    BEHAVIOUR_WORDS.has(t.norm) || (!NOT_BEHAVIOUR.has(t.norm) && BEHAVIOUR_VERB.test(t.norm)) ||
    (t.norm.length > 4 && t.norm.endsWith("ez") && !NOT_VERBS_IN_EZ.has(t.norm))
  )
  /** "Personne suspecte près de l'école": a telegraphic report, not "personne ne répond". */
  const headline = (i: number) =>
    tokens[i]!.norm === "personne" && (i === 0 || !sameClause(i)) &&
    !["ne", "n", "d"].includes(tokens[i + 1]?.norm ?? "")
  const persons: Array<Candidate> = []
  if (!behaviour) {
    tokens.forEach((t, i) => {
      const before = joined(i) ? tokens[i - 1] : undefined
      const determined = before !== undefined && (PERSON_DETERMINERS.has(before.norm) || /^\d+$/.test(before.norm))
      if (t.norm === "un" && before?.norm === "quelqu") {
        persons.push({ start: before.start, end: t.end, kind: "person_without_behaviour" })
      } else if (PERSON_ANY.has(t.norm) || (determined && PERSON_AFTER_DETERMINER.has(t.norm)) || headline(i)) {
        persons.push({ start: determined ? before.start : t.start, end: t.end, kind: "person_without_behaviour" })
      }
    })
  }
  const merged = adjoined(
    text,
    disjoint(persons.filter((p) => traits.every((t) => p.end <= t.start || t.end <= p.start)))
  )
  return [...traits, ...merged]
    .sort((a, b) => a.start - b.start)
    .map((s) => ({ start: s.start, end: s.end, kind: s.kind, excerpt: text.slice(s.start, s.end) }))
}

interface Candidate {
  readonly start: number
  readonly end: number
  readonly kind: SensitiveKind
}

/** Joins spans of one kind separated by spaces only: "un jeune" + "homme", "porte le voile" + "islamique". */
const adjoined = (text: string, spans: ReadonlyArray<Candidate>): Array<Candidate> => {
  const out: Array<Candidate> = []
  for (const c of spans) {
    const previous = out[out.length - 1]
    if (previous !== undefined && previous.kind === c.kind && /^\s+$/.test(text.slice(previous.end, c.start))) {
      out[out.length - 1] = { ...previous, end: c.end }
    } else {
      out.push(c)
    }
  }
  return out
}

/** Keeps, from left to right, the longest candidate at each place and drops those that overlap it. */
const disjoint = (candidates: ReadonlyArray<Candidate>): Array<Candidate> => {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: Array<Candidate> = []
  for (const c of sorted) {
    const previous = kept[kept.length - 1]
    if (previous === undefined || c.start >= previous.end) kept.push(c)
  }
  return kept
}

/** Whether a text trips the check at all. */
export const hasSensitiveDescriptors = (text: string): boolean => sensitiveSpans(text).length > 0
