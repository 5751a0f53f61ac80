import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  COMMUNE_SEARCH_LIMIT,
  normalizeCommuneName,
  parseCommuneQuery,
  searchCommunes,
  type Searchable
} from "../../src/communities/CommuneSearch.js"

const communes: ReadonlyArray<Searchable> = [
  { insee: "33550", name: "Villenave-d'Ornon", postcodes: ["33140"], population: 36000 },
  { insee: "33080", name: "Cadaujac", postcodes: ["33140"], population: 6000 },
  { insee: "33063", name: "Bordeaux", postcodes: ["33000", "33100", "33200", "33300", "33800"], population: 260000 },
  { insee: "42218", name: "Saint-Étienne", postcodes: ["42000", "42100"], population: 170000 },
  { insee: "2A004", name: "Ajaccio", postcodes: ["20000"], population: 70000 },
  { insee: "33522", name: "Talence", postcodes: ["33400"], population: 43000 },
  { insee: "59350", name: "Lille", postcodes: ["59000"], population: 236000 },
  { insee: "33039", name: "Bègles", postcodes: ["33130"], population: 30000 },
  { insee: "76540", name: "Rouen", postcodes: ["76000"], population: 110000 },
  { insee: "76498", name: "Petit-Couronne", postcodes: ["76650"], population: 8000 },
  { insee: "45234", name: "Orléans", postcodes: ["45000"], population: 116000 }
]

const names = (typed: string, limit?: number) => searchCommunes(communes, typed, limit).map((c) => c.name)

describe("CommuneSearch", () => {
  it("ignores accents, case, hyphens and apostrophes in names", () => {
    expect(normalizeCommuneName("Villenave-d'Ornon")).toBe("villenave d ornon")
    expect(normalizeCommuneName("  SAINT-ÉTIENNE ")).toBe("saint etienne")
    expect(names("villenave d ornon")).toStrictEqual(["Villenave-d'Ornon"])
    expect(names("VILLENAVE-D’ORNON")).toStrictEqual(["Villenave-d'Ornon"])
    expect(names("saint etienne")).toStrictEqual(["Saint-Étienne"])
    expect(names("begles")).toStrictEqual(["Bègles"])
  })

  it("finds by postcode (every commune it serves) and by INSEE code, the exact INSEE code first", () => {
    expect(names("33140")).toStrictEqual(["Villenave-d'Ornon", "Cadaujac"])
    expect(names("33080")).toStrictEqual(["Cadaujac"])
    expect(names("2a004")).toStrictEqual(["Ajaccio"])
    expect(names("33 550")).toStrictEqual(["Villenave-d'Ornon"])
    // A prefix of codes: the département's communes, most populated first.
    expect(names("33")).toStrictEqual(["Bordeaux", "Talence", "Villenave-d'Ornon", "Bègles", "Cadaujac"])
  })

  it("ranks the exact name, then names starting with it, then a word starting with it, then anywhere", () => {
    expect(names("ro")).toStrictEqual(["Rouen", "Petit-Couronne"])
    expect(names("cour")).toStrictEqual(["Petit-Couronne"])
    expect(names("lille")).toStrictEqual(["Lille"])
    expect(names("orn")).toStrictEqual(["Villenave-d'Ornon"])
    expect(names("or")).toStrictEqual(["Orléans", "Villenave-d'Ornon", "Bordeaux"])
  })

  it("finds nothing for fewer than two letters, and never more than the limit", () => {
    expect(parseCommuneQuery(" é ")._tag).toBe("Nothing")
    expect(names("")).toStrictEqual([])
    expect(names("-'")).toStrictEqual([])
    expect(names("33", 2)).toHaveLength(2)
  })

  it("property: at most the limit, each result really matches, and the exact name or code is always first", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.integer({ min: 0, max: 30 }), (typed, limit) => {
        const found = searchCommunes(communes, typed, limit)
        expect(found.length).toBeLessThanOrEqual(Math.min(limit, COMMUNE_SEARCH_LIMIT + 10))
        const query = parseCommuneQuery(typed)
        for (const c of found) {
          if (query._tag === "Code") {
            expect([c.insee, ...c.postcodes].some((code) => code.startsWith(query.code))).toBe(true)
          } else if (query._tag === "Name") expect(normalizeCommuneName(c.name)).toContain(query.name)
          else expect.unreachable()
        }
      })
    )
    fc.assert(
      fc.property(fc.constantFrom(...communes), fc.boolean(), (commune, byCode) => {
        const typed = byCode ? commune.insee : commune.name.toUpperCase()
        expect(searchCommunes(communes, typed)[0]).toBe(commune)
      })
    )
  })
})
