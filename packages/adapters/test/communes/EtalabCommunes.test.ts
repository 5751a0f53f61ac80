import { assert, describe, it } from "@effect/vitest"
import {
  findByInsee,
  findByPostcode,
  isKnownInsee,
  isKnownPostcode,
  loadCommunes
} from "@vigie/adapters/communes/EtalabCommunes"

describe("EtalabCommunes", () => {
  it("finds Cadaujac by its INSEE code and by its postcode", () => {
    const cadaujac = findByInsee("33080")
    assert.strictEqual(cadaujac?.name, "Cadaujac")
    assert.deepStrictEqual(cadaujac?.postcodes, ["33140"])
    assert.isAbove(cadaujac?.population ?? 0, 5_000)
    assert.include(findByPostcode("33140").map((commune) => commune.insee), "33080")
  })

  it("gives Paris, Lyon and Marseille as one commune for each arrondissement's postcode", () => {
    assert.deepStrictEqual(findByPostcode("75001").map((commune) => commune.insee), ["75056"])
    assert.deepStrictEqual(findByPostcode("75116").map((commune) => commune.name), ["Paris"])
    assert.deepStrictEqual(findByPostcode("69003").map((commune) => commune.name), ["Lyon"])
    assert.deepStrictEqual(findByPostcode("13008").map((commune) => commune.name), ["Marseille"])
  })

  it("keeps current communes only: no municipal arrondissements, no delegated communes", () => {
    assert.isFalse(isKnownInsee("75101"))
    const communes = loadCommunes()
    assert.isAbove(communes.length, 34_000)
    assert.strictEqual(new Set(communes.map((commune) => commune.insee)).size, communes.length)
  })

  it("knows Corsican and overseas codes", () => {
    assert.strictEqual(findByInsee("2A004")?.name, "Ajaccio")
    assert.isTrue(isKnownPostcode("97400"))
  })

  it("answers nothing for an unknown postcode or code", () => {
    assert.deepStrictEqual(findByPostcode("00000"), [])
    assert.isFalse(isKnownPostcode("99999"))
    assert.isUndefined(findByInsee("00000"))
  })
})
