import { describe, expect, it } from "@effect/vitest"
import type { AlertCategory, AlertScope } from "@vigie/domain/alerts/Alert"
import { normalizedWords, originalOf, similarTexts } from "@vigie/domain/alerts/DuplicatePolicy"
import type { DuplicateCandidate } from "@vigie/domain/alerts/DuplicatePolicy"
import type { InseeCode } from "@vigie/domain/communities/Commune"
import type { CommunityId } from "@vigie/domain/communities/Community"
import { DateTime, Option } from "effect"
import fc from "fast-check"

const lilas = { _tag: "Community", communityId: "11111111-1111-4111-8111-111111111111" as CommunityId } as const
const other = { _tag: "Community", communityId: "22222222-2222-4222-8222-222222222222" as CommunityId } as const
const t0 = DateTime.unsafeMake("2026-06-12T08:00:00Z")

const prior = (overrides: Partial<DuplicateCandidate> = {}): DuplicateCandidate => ({
  id: "first",
  scope: lilas,
  category: "suspicious_vehicle",
  text: "Voiture suspecte rue des Lilas",
  status: "published",
  createdAt: t0,
  ...overrides
})

const incoming = (
  minutesLater: number,
  overrides: { text?: string; category?: AlertCategory; scope?: AlertScope } = {}
) => ({
  scope: overrides.scope ?? lilas,
  category: overrides.category ?? "suspicious_vehicle" as AlertCategory,
  text: overrides.text ?? "voiture suspecte, rue des lilas !",
  createdAt: DateTime.add(t0, { minutes: minutesLater })
})

describe("DuplicatePolicy", () => {
  it("normalizes accents, case and punctuation", () => {
    expect(normalizedWords("Véhicule SUSPECT, rue des Lilas !")).toEqual(["vehicule", "suspect", "rue", "lilas"])
  })

  it("a similar alert of the same category and community within 10 minutes follows the first", () => {
    expect(Option.map(originalOf(incoming(3), [prior()]), (p) => p.id)).toEqual(Option.some("first"))
    expect(Option.isSome(originalOf(incoming(10), [prior()]))).toBe(true)
  })

  it("a different category, another community, 11 minutes later, or a different text is a new alert", () => {
    expect(originalOf(incoming(3, { category: "suspicious_person" }), [prior()])).toEqual(Option.none())
    expect(originalOf(incoming(3, { scope: other }), [prior()])).toEqual(Option.none())
    expect(originalOf(incoming(11), [prior()])).toEqual(Option.none())
    expect(originalOf(incoming(3, { text: "Voiture suspecte avenue Foch" }), [prior()])).toEqual(Option.none())
    expect(originalOf(incoming(-1), [prior()])).toEqual(Option.none())
  })

  it("retracted, resolved or hidden alerts are not confirmed", () => {
    for (const status of ["retracted", "resolved", "hidden"] as const) {
      expect(originalOf(incoming(2), [prior({ status })])).toEqual(Option.none())
    }
  })

  it("town alerts compare within the same commune", () => {
    const lyon = { _tag: "Commune", insee: "69123" as InseeCode, communityIds: Option.none() } as const
    const town = prior({ scope: lyon, category: "water_or_power_cut", text: "Coupure d'eau quartier Vaise" })
    expect(
      Option.isSome(
        originalOf(
          incoming(5, { scope: lyon, category: "water_or_power_cut", text: "coupure d’eau, quartier de Vaise" }),
          [town]
        )
      )
    ).toBe(true)
  })

  it("the earliest similar alert is the original", () => {
    const recent = [prior({ id: "second", createdAt: DateTime.add(t0, { minutes: 2 }) }), prior()]
    expect(Option.map(originalOf(incoming(4), recent), (p) => p.id)).toEqual(Option.some("first"))
  })

  const examples: ReadonlyArray<readonly [string, string, boolean]> = [
    ["Voiture suspecte rue des Lilas", "Voitures suspectes rue des lilas", true],
    ["Voiture suspecte rue des Lilas", "Une voiture suspecte tourne rue des Lilas depuis 10 min", true],
    ["Homme qui regarde dans les boîtes aux lettres rue Pasteur",
      "Homme regardant dans les boites aux lettres, rue Pasteur", true],
    ["Chien perdu", "Chat perdu", false],
    ["Voiture suspecte rue des Lilas", "Camionnette blanche garée rue des Lilas, deux hommes regardent les maisons",
      false]
  ]
  it.each(examples)("%s ~ %s: %s", (a, b, similar) => {
    expect(similarTexts(a, b)).toBe(similar)
  })

  it("properties: symmetric; case, accents and punctuation never matter; order of recent alerts does not matter", () => {
    const words = fc.array(
      fc.constantFrom(
        "voiture",
        "suspecte",
        "rue",
        "Lilas",
        "homme",
        "chien",
        "perdu",
        "fumée",
        "école",
        "porte",
        "ouverte"
      ),
      { minLength: 1, maxLength: 6 }
    ).map((w) => w.join(" "))
    fc.assert(fc.property(words, words, (a, b) => {
      expect(similarTexts(a, b)).toBe(similarTexts(b, a))
      const noisy = b.toUpperCase().normalize("NFD").replace(/\p{M}/gu, "").replaceAll(" ", " , ") + " !"
      expect(similarTexts(a, noisy)).toBe(similarTexts(a, b))
      expect(similarTexts(a, a)).toBe(true)
    }))
    fc.assert(
      fc.property(
        fc.array(fc.record({ minutes: fc.integer({ min: -15, max: 0 }), text: words }), { maxLength: 6 }),
        words,
        (rows, text) => {
          const recent = rows.map((r, i) =>
            prior({ id: `a${i}`, text: r.text, createdAt: DateTime.add(t0, { minutes: r.minutes }) })
          )
          const candidate = { scope: lilas, category: "suspicious_vehicle" as const, text, createdAt: t0 }
          expect(originalOf(candidate, [...recent].reverse())).toEqual(originalOf(candidate, recent))
        }
      )
    )
  })
})
