import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck as fc, Schema } from "effect"
import { FlaggedSpanSchema, sensitiveSpans } from "../../src/trust/SensitiveDescriptors.js"
import type { FlaggedSpan, SensitiveKind } from "../../src/trust/SensitiveDescriptors.js"

const runs = { fastCheck: { numRuns: 300 } }
const kinds = (text: string) => sensitiveSpans(text).map((s) => s.kind)
const excerpts = (text: string) => sensitiveSpans(text).map((s) => s.excerpt)

/** Spans are UTF-16 slices of the text, in order, never overlapping. */
const wellFormed = (text: string, spans: ReadonlyArray<FlaggedSpan>) => {
  spans.forEach((s, i) => {
    expect(Number.isInteger(s.start) && Number.isInteger(s.end)).toBe(true)
    expect(0 <= s.start && s.start < s.end && s.end <= text.length).toBe(true)
    expect(text.slice(s.start, s.end)).toBe(s.excerpt)
    if (i > 0) expect(spans[i - 1]!.end).toBeLessThanOrEqual(s.start)
  })
}

describe("SensitiveDescriptors: French examples", () => {
  const flagged: ReadonlyArray<readonly [string, ReadonlyArray<SensitiveKind>, ReadonlyArray<string>]> = [
    ["Un homme de type maghrébin rôde rue des Lilas", ["origin"], ["de type maghrébin"]],
    ["Deux jeunes arabes regardent dans les voitures", ["origin"], ["arabes"]],
    ["Un individu d'origine africaine force la porte du garage", ["origin"], ["d'origine africaine"]],
    ["Un type nord-africain essaie les poignées", ["origin"], ["type nord-africain"]],
    ["Deux Roumains font du porte-à-porte", ["origin"], ["Roumains"]],
    ["Une ROUMAINE sonne chez les personnes âgées", ["origin"], ["ROUMAINE"]],
    ["Des Roms fouillent les poubelles", ["origin"], ["Roms"]],
    ["Des gens du voyage installés sur le stade", ["origin"], ["gens du voyage"]],
    ["Un homme asiatique prend des photos des maisons", ["origin"], ["asiatique"]],
    ["Trois gitans tournent autour des voitures", ["origin"], ["gitans"]],
    ["Un jeune basané regarde dans les jardins", ["skin_colour"], ["basané"]],
    ["Un homme typé suit une dame", ["origin"], ["typé"]],
    ["Une femme originaire des pays de l'Est demande de l'argent", ["origin", "origin"], ["originaire",
      "pays de l'Est"]],
    ["Un homme avec un accent étranger se dit agent EDF", ["origin"], ["accent étranger"]],
    ["Un homme parle arabe au téléphone devant l'école", ["origin"], ["arabe"]],
    ["Un homme noir escalade le portail", ["skin_colour"], ["noir"]],
    ["Deux jeunes noirs regardent les voitures", ["skin_colour"], ["noirs"]],
    ["Un black prend des photos des maisons", ["skin_colour"], ["black"]],
    ["Une femme blanche sonne à toutes les portes", ["skin_colour"], ["blanche"]],
    ["Un homme blanc, habillé en noir, frappe aux portes", ["skin_colour"], ["blanc"]],
    ["Un homme à la peau mate escalade le portail", ["skin_colour"], ["peau mate"]],
    ["Un homme au teint foncé suit une dame", ["skin_colour"], ["teint foncé"]],
    ["Un homme de couleur traîne vers la gare", ["skin_colour"], ["de couleur"]],
    ["Un grand noir rôde", ["skin_colour"], ["noir"]],
    ["Une métisse sonne aux portes", ["skin_colour"], ["métisse"]],
    ["Une femme voilée sonne aux portes", ["religion"], ["voilée"]],
    ["Un musulman prie dans le parc", ["religion"], ["musulman"]],
    ["Des juifs passent dans la rue", ["religion"], ["juifs"]],
    ["Un barbu regarde les maisons", ["religion"], ["barbu"]],
    ["Un homme en djellaba observe l'école", ["religion"], ["djellaba"]],
    ["Un homme qui porte le voile islamique passe", ["religion"], ["porte le voile islamique"]],
    ["Un catholique distribue des tracts", ["religion"], ["catholique"]],
    ["Un handicapé mendie devant la boulangerie", ["health"], ["handicapé"]],
    ["Un drogué traîne près de l'école", ["health"], ["drogué"]],
    ["Un malade mental crie dans la rue", ["health"], ["malade mental"]],
    ["Un fou hurle sur le parking", ["health"], ["fou"]],
    ["Une folle insulte les passants", ["health"], ["folle"]],
    ["Des toxicos squattent le hall", ["health"], ["toxicos"]],
    ["Un homme en capuche", ["person_without_behaviour"], ["Un homme"]],
    ["Homme suspect rue Pasteur", ["person_without_behaviour"], ["Homme"]],
    ["Deux jeunes près du parc", ["person_without_behaviour"], ["Deux jeunes"]],
    ["Quelqu'un devant chez moi depuis une heure", ["person_without_behaviour"], ["Quelqu'un"]],
    ["Un jeune homme au coin de la rue", ["person_without_behaviour"], ["Un jeune homme"]],
    ["Une personne bizarre sur le parking", ["person_without_behaviour"], ["Une personne"]],
    ["Un individu louche. Une femme aussi.", ["person_without_behaviour", "person_without_behaviour"], ["Un individu",
      "Une femme"]],
    ["Un homme noir devant la pharmacie", ["person_without_behaviour", "skin_colour"], ["Un homme", "noir"]],
    ["Une femme basanée sonne aux portes", ["skin_colour"], ["basanée"]],
    ["Un Noir et un Blanc se battent sur le parking", ["skin_colour", "skin_colour"], ["Noir", "Blanc"]],
    ["Un homme à l'accent de l'Est demande à voir le compteur", ["origin"], ["accent de l'Est"]],
    ["Un homme aux yeux bridés prend des photos", ["origin"], ["yeux bridés"]],
    ["Une enfant handicapée a disparu ce matin", ["health"], ["handicapée"]],
    ["Personne suspecte près de l'école", ["person_without_behaviour"], ["Personne"]]
  ]
  it.each(flagged)("%s → %j", (text, expectedKinds, expectedExcerpts) => {
    expect(kinds(text)).toEqual(expectedKinds)
    expect(excerpts(text)).toEqual(expectedExcerpts)
  })

  const neutral: ReadonlyArray<string> = [
    "Un homme en capuche essaie d'ouvrir les portières",
    "Un homme barbu en veste noire regarde dans les boîtes aux lettres",
    "Voiture noire garée devant le portail blanc depuis deux heures",
    "Un chien noir erre rue de la Paix",
    "Départ pour Noirmoutier, la maison restera vide",
    "Camionnette blanche immatriculée en Roumanie, plaques roumaines, deux hommes relèvent les numéros",
    "Une voiture allemande tourne dans le quartier",
    "Deux voitures, une noire et une grise, tournent dans le quartier",
    "Il rôdait dans le noir derrière les garages",
    "Garé sur la place handicapé, le fourgon bloque la sortie",
    "Le fourgon occupe la place réservée aux handicapés",
    "Fumée d'origine inconnue derrière l'école",
    "Un berger allemand aboie sans arrêt rue des Juifs",
    "Roue voilée sur le vélo abandonné devant l'école catholique",
    "Homme en blanc, capuche grise, qui sonne à toutes les portes",
    "Jeune en scooter noir qui passe et repasse depuis 22 h",
    "Mme Durand, 84 ans, sans nouvelles depuis hier",
    "Deux hommes en gilet jaune se disent du gaz et demandent à entrer",
    "Un bruit sourd dans le garage cette nuit",
    "Chien perdu, collier rouge, répond au nom de Rex",
    "Camionnette blanche, plaque illisible",
    "Fuite d'eau devant le 12 rue Victor Hugo",
    "Le restaurant chinois est fermé, vitrine cassée",
    "Deux individus forcent la porte d'une voiture rue Pasteur",
    "Un homme vêtu de noir prend des photos des maisons",
    "Quelqu'un a tenté d'entrer par la fenêtre de la cuisine",
    "Un groupe de jeunes fait du bruit sur le parking",
    "Personne ne répond chez ma voisine",
    "Coupure d'électricité dans tout le quartier",
    "Le vol a eu lieu entre 14 h et 15 h",
    "Il roule comme un fou dans la rue des écoles",
    "Un véhicule noir, un autre blanc, tournent depuis une heure",
    "Coupure d'eau jeudi de 8 h à 12 h. Prévenez les personnes âgées.",
    "Rue des Arabes, un homme tente d'ouvrir les voitures",
    "Le chien du voisin, un berger allemand noir, aboie toute la nuit",
    "Temple protestant fermé, un tag sur la porte",
    "Personne ne répond chez Mme Martin depuis hier"
  ]
  it.each(neutral)("%s → nothing", (text) => {
    expect(sensitiveSpans(text)).toEqual([])
  })

  it("handles accents, case and elision", () => {
    expect(kinds("UN HOMME DE TYPE MAGHREBIN ROde")).toEqual(["origin"])
    expect(kinds("un individu d’origine algérienne sonne")).toEqual(["origin"])
    expect(excerpts("il parlait l'arabe en sonnant")).toEqual(["arabe"])
    expect(excerpts("une Musulmane passe")).toEqual(["Musulmane"])
    // decomposed accents (e + U+0301) keep offsets into the original text
    const decomposed = "Un homme de type maghre\u0301bin rôde"
    expect(excerpts(decomposed)).toEqual(["de type maghre\u0301bin"])
  })
})

describe("SensitiveDescriptors: properties", () => {
  const vocabulary = fc.constantFrom(
    "voiture",
    "noire",
    "homme",
    "noir",
    "de",
    "type",
    "maghrébin",
    "d'origine",
    "rue",
    "des",
    "Juifs",
    "deux",
    "jeunes",
    "arabes",
    "rôde",
    "peau",
    "mate",
    "un",
    "une",
    "femme",
    "voilée",
    "en",
    "capuche",
    "handicapé",
    "place",
    "l'",
    "é",
    "Noirmoutier",
    "quelqu'un",
    "fou",
    "rire",
    "😀",
    "\u0301",
    "ǅ",
    "İ",
    "ß",
    "𝔘"
  )
  const separator = fc.constantFrom(" ", "  ", ", ", ". ", "-", "'", "’", "\n", "", "\u0301")
  const wordy = fc.array(fc.tuple(vocabulary, separator), { maxLength: 25 }).map((ws) =>
    ws.map(([w, s]) => w + s).join("")
  )

  it.prop("never throws, and spans always slice to their excerpt, in order, without overlap", [
    fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 200 }), wordy)
  ], ([text]) => {
    wellFormed(text, sensitiveSpans(text))
  }, { fastCheck: { numRuns: 1000 } })

  /** Everyday words, behaviour and objects included, but nothing about a person. */
  const neutralWord = fc.constantFrom(
    "une voiture noire",
    "garée",
    "devant le portail blanc",
    "rue des Lilas",
    "regarde",
    "depuis une heure",
    "une camionnette blanche",
    "tourne",
    "dans le quartier",
    "vers la gare",
    "à 22h",
    "un sac en toile",
    "un chien noir",
    "perdu",
    "plaque roumaine",
    "l'école catholique",
    "fumée d'origine inconnue",
    "place de la Paix",
    "Noirmoutier",
    "vélo forcé",
    "porte ouverte",
    "dans le noir",
    "fenêtre",
    "bruit sourd",
    "roue voilée",
    "une berline allemande",
    "habillé en noir",
    "vêtu de blanc",
    "une capuche",
    "et",
    "puis",
    "vers",
    "le",
    "la",
    "de",
    "en"
  )
  const neutralText = fc.array(neutralWord, { maxLength: 15 }).map((ws) => ws.join(" "))
  const flaggedPhrases: ReadonlyArray<readonly [string, SensitiveKind]> = [
    ["un homme de type maghrébin", "origin"],
    ["deux jeunes arabes", "origin"],
    ["des Roms", "origin"],
    ["un individu d'origine africaine", "origin"],
    ["un homme noir", "skin_colour"],
    ["deux blacks", "skin_colour"],
    ["une femme à la peau mate", "skin_colour"],
    ["un homme au teint foncé", "skin_colour"],
    ["une femme voilée", "religion"],
    ["un barbu", "religion"],
    ["des musulmans", "religion"],
    ["un handicapé", "health"],
    ["un drogué", "health"],
    ["un malade mental", "health"]
  ]

  it.prop(
    "a flagged phrase put into any neutral text is flagged, as a sentence or between words",
    [neutralText, neutralText, fc.constantFrom(...flaggedPhrases), fc.constantFrom(". ", " ", ", ")],
    ([before, after, [phrase, kind], glue]) => {
      // Between words after a street's name ("rue des Lilas de …"), the phrase may read as part of that name.
      fc.pre(glue !== " " || !/(rue|place|Paix|Lilas|Noirmoutier)( (de|la|le|en|et))*$/.test(before))
      const head = before === "" ? "" : before + glue
      const text = head + phrase + (after === "" ? "" : glue + after)
      const spans = sensitiveSpans(text)
      wellFormed(text, spans)
      const inside = spans.filter((s) => s.start >= head.length && s.end <= head.length + phrase.length)
      expect(inside.map((s) => s.kind)).toContain(kind)
    },
    runs
  )

  it.prop("a neutral text is not flagged", [neutralText], ([text]) => {
    expect(sensitiveSpans(text)).toEqual([])
  }, runs)

  const noBehaviour = fc.array(
    fc.constantFrom(
      "voiture",
      "devant",
      "le",
      "portail",
      "rue",
      "des",
      "Lilas",
      "depuis",
      "une",
      "heure",
      "dans",
      "quartier",
      "vers",
      "la",
      "à",
      "22h",
      "en",
      "capuche",
      "sac",
      "bizarre",
      "louche"
    ),
    { maxLength: 10 }
  ).map((ws) => ws.join(" "))
  const persons = fc.constantFrom(
    "un homme",
    "deux jeunes",
    "une femme",
    "un individu",
    "quelqu'un",
    "une personne",
    "Un Homme"
  )
  const behaviours = fc.constantFrom(
    "regarde",
    "essaie",
    "rôde",
    "prend des photos",
    "sonne",
    "force",
    "escalade",
    "suit",
    "rôdaient",
    "sonnant",
    "essayé",
    "regardent"
  )

  it.prop("a person without behaviour is flagged, and any behaviour clears it", [noBehaviour, persons, noBehaviour,
    behaviours], ([before, person, after, behaviour]) => {
    const text = [before, person, after].filter((s) => s !== "").join(" ")
    const start = before === "" ? 0 : before.length + 1
    expect(sensitiveSpans(text)).toContainEqual({ start, end: start + person.length, kind: "person_without_behaviour",
      excerpt: person })
    expect(sensitiveSpans(`${text} ${behaviour}`)).toEqual([])
    expect(sensitiveSpans(`${person} ${behaviour} ${after}`)).toEqual([])
  }, runs)

  it.prop("spans survive the wire: FlaggedSpanSchema round trip", [Arbitrary.make(FlaggedSpanSchema)], ([span]) => {
    const encoded = Schema.encodeSync(FlaggedSpanSchema)(span)
    expect(Schema.decodeUnknownSync(FlaggedSpanSchema)(JSON.parse(JSON.stringify(encoded)))).toEqual(span)
  })

  it("the spans of a text decode as FlaggedSpanSchema", () => {
    for (const span of sensitiveSpans("Un homme de type maghrébin, une femme voilée, un handicapé")) {
      expect(Schema.decodeUnknownSync(FlaggedSpanSchema)(span)).toEqual(span)
    }
  })
})
