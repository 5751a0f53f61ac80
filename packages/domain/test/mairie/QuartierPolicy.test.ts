import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck as fc, Schema } from "effect"
import type { MembershipId } from "../../src/membership/Membership.js"
import { departementOf, extentOf, nameKey, samePreview, streetOf } from "../../src/mairie/QuartierPolicy.js"
import { Polygon } from "../../src/communities/GeoJson.js"
import { quartierNoticeBody, quartierNoticeEmailText } from "../../src/mairie/QuartierTexts.js"
import { managesQuartiers } from "../../src/mairie/StaffAccess.js"
import type { InseeCode } from "../../src/communities/Commune.js"

describe("streetOf", () => {
  it.each(
    [
      ["12 rue des Lilas", "rue des Lilas"],
      ["12 bis rue des Lilas", "rue des Lilas"],
      ["12bis, rue des Lilas", "rue des Lilas"],
      ["3 ter avenue de la Gare", "avenue de la Gare"],
      ["4 B chemin du Port", "chemin du Port"],
      ["10-12 allée des Pins", "allée des Pins"],
      ["rue Sans Numéro", "rue Sans Numéro"],
      ["7 avenue de Bordeaux", "avenue de Bordeaux"],
      ["2 bordeaux street", "bordeaux street"],
      ["  5 impasse Perdue ", "impasse Perdue"],
      ["42", "42"]
    ] as const
  )("%s → %s", (line, street) => {
    expect(streetOf(line)).toBe(street)
  })

  it.prop("never shows a house number in front, never returns nothing", [
    fc.integer({ min: 1, max: 9999 }),
    fc.constantFrom("", " bis", " ter", "B", " A"),
    fc.constantFrom("rue des Lilas", "avenue du Général de Gaulle", "chemin de la Lande", "place de l'Église")
  ], ([n, suffix, street]) => {
    expect(streetOf(`${n}${suffix} ${street}`)).toBe(street)
  })
})

describe("samePreview", () => {
  const id = fc.uuid().map((u) => u as MembershipId)
  it.prop("the same members in any order, repeated or not, are the same preview", [
    fc.uniqueArray(id, { maxLength: 8 })
  ], ([ids]) => {
    expect(samePreview([...ids].reverse(), ids)).toBe(true)
    expect(samePreview([...ids, ...ids], ids)).toBe(true)
  })
  it.prop(
    "one member more or fewer is another preview",
    [fc.uniqueArray(id, { minLength: 1, maxLength: 8 }), id],
    ([ids, extra]) => {
      fc.pre(!ids.includes(extra))
      expect(samePreview(ids.slice(1), ids)).toBe(false)
      expect(samePreview([...ids, extra], ids)).toBe(false)
      expect(samePreview(ids, [...ids, extra])).toBe(false)
    }
  )
})

describe("nameKey", () => {
  it("ignores case, accents and extra spaces", () => {
    expect(nameKey("  Le   Bourg ")).toBe(nameKey("le bourg"))
    expect(nameKey("Génicart")).toBe(nameKey("GENICART"))
    expect(nameKey("Le Bourg")).not.toBe(nameKey("Le Bourg Nord"))
  })
})

describe("managesQuartiers", () => {
  const cadaujac = "33080" as InseeCode
  it.each(
    [
      ["the commune's mairie agent", [{ _tag: "MairieAgent", insee: "33080" }], true],
      ["an admin", [{ _tag: "Admin" }], true],
      ["another commune's mairie agent", [{ _tag: "MairieAgent", insee: "33063" }], false],
      ["the commune's municipal police", [{ _tag: "MunicipalPolice", insee: "33080" }], false],
      ["a moderator", [{ _tag: "Moderator" }], false],
      ["a resident", [], false]
    ] as const
  )("%s → %s", (_, roles, expected) => {
    expect(managesQuartiers(roles as never, cadaujac)).toBe(expected)
  })
})

describe("quartier notices", () => {
  it("name the quartier and the commune, in French, and fit a stored notice", () => {
    for (const kind of ["redrawn", "archived"] as const) {
      const body = quartierNoticeBody({ kind, quartier: "Les Vignes", commune: "Cadaujac" })
      expect(body).toContain("« Les Vignes »")
      expect(body).toContain("mairie de Cadaujac")
      expect(body.length).toBeLessThanOrEqual(1600)
      const mail = quartierNoticeEmailText(body, "https://vigie.example")
      expect(mail.subject).toBe("Vigie – votre quartier change")
      expect(mail.text).toContain(body)
      expect(mail.html).toContain("« Les Vignes »")
    }
    expect(quartierNoticeBody({ kind: "redrawn", quartier: "Q", commune: "C" })).toContain("n'en fait plus partie")
    expect(quartierNoticeBody({ kind: "archived", quartier: "Q", commune: "C" })).toContain("a fermé le quartier")
  })
})

describe("departementOf", () => {
  it.each([["33550", "33"], ["33080", "33"], ["2A004", "2A"], ["2B033", "2B"], ["97411", "974"], ["01001", "01"]])(
    "%s → %s",
    (insee, departement) => {
      expect(departementOf(insee)).toBe(departement)
    }
  )

  it.prop("is the start of the code: three characters overseas, two elsewhere", [
    fc.stringMatching(/^(?:[0-9]{2}|2[AB])[0-9]{3}$/)
  ], ([insee]) => {
    const d = departementOf(insee)
    expect(insee.startsWith(d)).toBe(true)
    expect(d).toHaveLength(insee.startsWith("97") ? 3 : 2)
  })
})

describe("extentOf", () => {
  it("is none without perimeters", () => {
    expect(extentOf([])).toBeUndefined()
  })

  it.prop("holds every outer point of every perimeter, and touches the extreme ones", [
    fc.array(Arbitrary.make(Polygon), { minLength: 1, maxLength: 5 })
  ], ([perimeters]) => {
    const extent = extentOf(perimeters)!
    expect(Schema.is(Polygon)(perimeters[0])).toBe(true)
    const points = perimeters.flatMap((p) => p.coordinates[0])
    for (const [lon, lat] of points) {
      expect(lon).toBeGreaterThanOrEqual(extent.west)
      expect(lon).toBeLessThanOrEqual(extent.east)
      expect(lat).toBeGreaterThanOrEqual(extent.south)
      expect(lat).toBeLessThanOrEqual(extent.north)
    }
    expect(points.some(([lon]) => lon === extent.west)).toBe(true)
    expect(points.some(([lon]) => lon === extent.east)).toBe(true)
    expect(points.some(([, lat]) => lat === extent.south)).toBe(true)
    expect(points.some(([, lat]) => lat === extent.north)).toBe(true)
  })
})
