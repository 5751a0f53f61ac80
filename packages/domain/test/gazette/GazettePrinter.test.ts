import { describe, expect, it } from "@effect/vitest"
import {
  defaultSheetLimits,
  frenchDayAndHour,
  frenchPhone,
  frenchWeek,
  gazetteOf,
  gazetteSheet,
  truncate
} from "@vigie/domain/gazette/GazettePrinter"
import {
  CalendarDay,
  GazetteAnnonce,
  GazetteEvent,
  GazetteLostFound,
  GazetteNews,
  GazetteWeek
} from "@vigie/domain/gazette/GazetteWeek"
import { PhoneE164 } from "@vigie/domain/shared/Text"
import { DateTime, FastCheck as fc, Option, Schema } from "effect"

const at = (iso: string) => DateTime.unsafeMake(iso)
const day = (value: string) => CalendarDay.make(value)

const annonce = (n: number) =>
  new GazetteAnnonce({
    kindLabel: n % 2 === 0 ? "Donne" : "Offre d’aide : courses",
    title: `Annonce ${n}`,
    text: `Texte de l’annonce ${n}`,
    author: "Chloé M.",
    postedAt: at(`2026-12-0${1 + (n % 6)}T10:0${n % 10}:00Z`)
  })

const week = (overrides: Partial<ConstructorParameters<typeof GazetteWeek>[0]> = {}) =>
  new GazetteWeek({
    communeName: "Cadaujac",
    quartierName: "Les Graves",
    weekStart: day("2026-12-07"),
    weekEnd: day("2026-12-13"),
    news: [],
    events: [],
    annonces: [],
    lostFound: [],
    smsNumber: Option.some(PhoneE164.make("+33757591234")),
    joinUrl: "vigie.example/rejoindre",
    joinSentence: "Inscrivez-vous en ligne ou demandez à votre référent.",
    generatedAt: at("2026-12-06T09:00:00Z"),
    ...overrides
  })

describe("GazettePrinter: what the printed Gazette shows", () => {
  it("writes the title with French elision and the week in French", () => {
    expect(gazetteSheet(week()).title).toBe("La Gazette des Graves — semaine du 7 au 13 décembre 2026")
    expect(gazetteOf("Le Bourg")).toBe("La Gazette du Bourg")
    expect(gazetteOf("Ornon")).toBe("La Gazette d’Ornon")
    expect(gazetteOf("Bord de Garonne")).toBe("La Gazette de Bord de Garonne")
    expect(frenchWeek(day("2026-11-30"), day("2026-12-06"))).toBe("semaine du 30 novembre au 6 décembre 2026")
    expect(frenchWeek(day("2026-12-28"), day("2027-01-03"))).toBe("semaine du 28 décembre 2026 au 3 janvier 2027")
    expect(frenchWeek(day("2027-02-01"), day("2027-02-07"))).toBe("semaine du 1er au 7 février 2027")
  })

  it("writes times in Paris, winter and summer, with the year only when it is another one", () => {
    expect(frenchDayAndHour(at("2026-12-12T14:00:00Z"), 2026)).toBe("samedi 12 décembre à 15 h")
    expect(frenchDayAndHour(at("2026-07-14T19:30:00Z"), 2026)).toBe("mardi 14 juillet à 21 h 30")
    expect(frenchDayAndHour(at("2027-01-01T10:00:00Z"), 2026)).toBe("vendredi 1er janvier 2027 à 11 h")
    // 23:30 UTC on 31 December is already the new year in Paris.
    expect(frenchDayAndHour(at("2026-12-31T23:30:00Z"), 2027)).toBe("vendredi 1er janvier à 0 h 30")
  })

  it("shows Vigie's SMS number the French way and keeps a foreign one as it is", () => {
    expect(gazetteSheet(week()).sms).toBe("Alerter vos voisins par SMS : 07 57 59 12 34")
    expect(frenchPhone("+32470123456")).toBe("+32470123456")
  })

  it("cuts long texts at a word with an ellipsis, and leaves short ones alone", () => {
    expect(truncate("Une  fête\n des voisins", 40)).toBe("Une fête des voisins")
    expect(truncate("Perceuse à prêter le week-end, rue des Écoles", 30)).toBe("Perceuse à prêter le week-end…")
    expect(truncate("Anticonstitutionnellement", 10)).toBe("Anticonst…")
  })

  it.prop("a cut text is never longer than asked and starts like the text", [
    fc.string({ unit: "grapheme", maxLength: 400 }),
    fc.integer({ min: 2, max: 300 })
  ], ([value, max]) => {
    const cut = truncate(value, max)
    expect(Array.from(cut).length).toBeLessThanOrEqual(max)
    const flat = value.replace(/\s+/gu, " ").trim()
    if (cut.endsWith("…") && cut !== flat) expect(flat.startsWith(cut.slice(0, -1))).toBe(true)
    else expect(cut).toBe(flat)
  })

  it("shows at most so many annonces, newest first, and says how many more are on Vigie", () => {
    const sheet = gazetteSheet(week({ annonces: Array.from({ length: 11 }, (_, n) => annonce(n)) }))
    const annonces = sheet.sections[2]!
    expect(annonces.title).toBe("Annonces et entraide")
    expect(annonces.items).toHaveLength(defaultSheetLimits.annonces)
    expect(annonces.more).toEqual(Option.some("Et 3 autres annonces sur Vigie."))
    const times = annonces.items.map((item) => item.title)
    expect(times[0]).toBe("Annonce 5")
    expect(annonces.items[0]!.details).toEqual(["De la part de Chloé M."])
    const one = gazetteSheet(week({ annonces: [annonce(1), annonce(2)] }), { ...defaultSheetLimits, annonces: 1 })
    expect(one.sections[2]!.more).toEqual(Option.some("Et 1 autre annonce sur Vigie."))
  })

  it("lists the sections in their order and says so kindly when one is empty", () => {
    const sheet = gazetteSheet(week())
    expect(sheet.sections.map((s) => s.title)).toEqual([
      "Les nouvelles de la mairie",
      "Les prochains événements",
      "Annonces et entraide",
      "Perdu / trouvé"
    ])
    expect(sheet.sections.every((s) => s.items.length === 0 && Option.isNone(s.more))).toBe(true)
    expect(sheet.sections[2]!.empty).toBe("Pas d’annonce cette semaine.")
    expect(sheet.emergency).toEqual({
      lead: "En cas d’urgence :",
      numbers: "17 Police · 18 Pompiers · 15 SAMU · 112 Urgences"
    })
    expect(sheet.join).toBe("Rejoindre Vigie : vigie.example/rejoindre")
  })

  it("gives the events' time, place and places left, soonest first", () => {
    const sheet = gazetteSheet(week({
      events: [
        new GazetteEvent({
          title: "Fête des voisins",
          startsAt: at("2026-12-12T14:00:00Z"),
          place: "Salle des fêtes, rue des Écoles",
          placesLeft: Option.some(12)
        }),
        new GazetteEvent({
          title: "Réunion du quartier",
          startsAt: at("2026-12-09T17:30:00Z"),
          place: "Mairie",
          placesLeft: Option.some(0)
        }),
        new GazetteEvent({
          title: "Nettoyage des berges",
          startsAt: at("2026-12-13T09:00:00Z"),
          place: "",
          placesLeft: Option.none()
        })
      ]
    }))
    expect(sheet.sections[1]!.items.map((i) => [i.title, i.details])).toEqual([
      ["Réunion du quartier", ["mercredi 9 décembre à 18 h 30", "Mairie", "Complet"]],
      ["Fête des voisins", ["samedi 12 décembre à 15 h", "Salle des fêtes, rue des Écoles", "12 places restantes"]],
      ["Nettoyage des berges", ["dimanche 13 décembre à 10 h"]]
    ])
  })

  it("labels lost and found and the mairie's news", () => {
    const sheet = gazetteSheet(week({
      news: [new GazetteNews({ title: "Travaux", text: "Rue barrée.", publishedAt: at("2026-12-03T08:00:00Z") })],
      lostFound: [
        new GazetteLostFound({
          status: "trouve",
          subject: "animal",
          title: "Chat tigré",
          place: "rue des Écoles",
          seenAt: at("2026-12-05T17:00:00Z")
        })
      ]
    }))
    expect(sheet.sections[0]!.items[0]).toEqual({
      label: Option.some("Mairie"),
      title: "Travaux",
      details: ["Publié le 3 décembre 2026"],
      text: Option.some("Rue barrée.")
    })
    expect(sheet.sections[3]!.items[0]).toEqual({
      label: Option.some("Trouvé · animal"),
      title: "Chat tigré",
      details: ["rue des Écoles", "le samedi 5 décembre vers 18 h"],
      text: Option.none()
    })
  })

  it.prop("does not depend on the order of the week's lists", [
    fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 14 }),
    fc.integer({ min: 0, max: 10 })
  ], ([ns, limit]) => {
    const annonces = ns.map(annonce)
    const limits = { ...defaultSheetLimits, annonces: limit }
    expect(gazetteSheet(week({ annonces: [...annonces].reverse() }), limits))
      .toEqual(gazetteSheet(week({ annonces }), limits))
  })

  it("refuses a day that is not one", () => {
    expect(Schema.is(CalendarDay)("2026-02-30")).toBe(false)
    expect(Schema.is(CalendarDay)("2026-12-07")).toBe(true)
  })
})
