import { describe, expect, it } from "@effect/vitest"
import { layer } from "@vigie/adapters/communes/EtalabCommuneDirectory"
import { InseeCode, Postcode } from "@vigie/domain/communities/Commune"
import { CommuneDirectory } from "@vigie/domain/communities/CommuneDirectory"
import { Effect, Option, Schema } from "effect"

const insee = Schema.decodeSync(InseeCode)
const postcode = Schema.decodeSync(Postcode)

describe("EtalabCommuneDirectory", () => {
  it.effect("finds Cadaujac by its INSEE code, with its postcode and population", () =>
    Effect.gen(function*() {
      const directory = yield* CommuneDirectory
      const cadaujac = Option.getOrThrow(yield* directory.findByInsee(insee("33080")))
      expect(cadaujac.name).toBe("Cadaujac")
      expect(cadaujac.postcodes).toEqual(["33140"])
      expect(cadaujac.population).toBeGreaterThan(4000)
    }).pipe(Effect.provide(layer)))

  it.effect("lists every commune of a shared postcode, and none for an unknown one", () =>
    Effect.gen(function*() {
      const directory = yield* CommuneDirectory
      const shared = yield* directory.findByPostcode(postcode("33140"))
      expect(shared.map((c) => c.name)).toEqual(expect.arrayContaining(["Cadaujac", "Villenave-d'Ornon"]))
      expect(yield* directory.findByPostcode(postcode("00000"))).toEqual([])
      expect(Option.isNone(yield* directory.findByInsee(insee("99999")))).toBe(true)
    }).pipe(Effect.provide(layer)))

  it.effect("gives back valid domain communes for Corsica (2A/2B codes)", () =>
    Effect.gen(function*() {
      const directory = yield* CommuneDirectory
      const ajaccio = Option.getOrThrow(yield* directory.findByInsee(insee("2A004")))
      expect(ajaccio.name).toBe("Ajaccio")
      expect(ajaccio.postcodes.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(layer)))
})
