import { Commune } from "@vigie/domain/communities/Commune"
import { CommuneDirectory } from "@vigie/domain/communities/CommuneDirectory"
import { normalizeCommuneName, searchCommunes } from "@vigie/domain/communities/CommuneSearch"
import { Effect, Layer, Option, Schema } from "effect"
import { type CommuneRecord, communeIndex } from "./EtalabCommunes"

const decodeCommune = Schema.decodeSync(Commune)

const toCommune = (record: CommuneRecord): Commune =>
  decodeCommune({
    insee: record.insee,
    name: record.name,
    postcodes: record.postcodes,
    population: record.population
  })

/**
 * The CommuneDirectory port over the official list shipped by @etalab/decoupage-administratif. The
 * list is read and indexed once when the layer is built (about 150 ms); look-ups are map reads.
 */
export const layer = Layer.sync(CommuneDirectory, () => {
  const index = communeIndex()
  const communes = new Map<string, Commune>()
  const commune = (record: CommuneRecord) => {
    let found = communes.get(record.insee)
    if (found === undefined) {
      found = toCommune(record)
      communes.set(record.insee, found)
    }
    return found
  }
  // Normalised names, computed on the first search (about 35,000 of them) and kept.
  let names: Map<CommuneRecord, string> | undefined
  const normalizedNames = () => (names ??= new Map(index.all.map((r) => [r, normalizeCommuneName(r.name)])))
  return CommuneDirectory.of({
    findByInsee: (insee) => Effect.sync(() => Option.map(Option.fromNullable(index.byInsee.get(insee)), commune)),
    findByPostcode: (postcode) => Effect.sync(() => (index.byPostcode.get(postcode) ?? []).map(commune)),
    search: (typed, limit) =>
      Effect.sync(() => {
        const known = normalizedNames()
        return searchCommunes(index.all, typed, limit, (r) => known.get(r) ?? normalizeCommuneName(r.name)).map(commune)
      })
  })
})
