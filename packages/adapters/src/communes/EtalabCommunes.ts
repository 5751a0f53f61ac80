import { readFileSync } from "node:fs"
import { createRequire } from "node:module"

/** A current French commune (collectivité), as the official list describes it. */
export interface CommuneRecord {
  /** INSEE code (code officiel géographique), five characters: "33080", "2A004", "97411". */
  readonly insee: string
  readonly name: string
  /** Every postcode that serves the commune; empty for a few uninhabited overseas territories. */
  readonly postcodes: ReadonlyArray<string>
  /** Municipal population; 0 where the list gives none (uninhabited territories). */
  readonly population: number
}

interface EtalabCommune {
  readonly code: string
  readonly nom: string
  readonly type: string
  readonly codesPostaux?: ReadonlyArray<string>
  readonly population?: number
}

// The package's own index.js reads "./data/*.json" relative to the working directory, so read the
// file through module resolution instead.
const communesFile = createRequire(import.meta.url).resolve("@etalab/decoupage-administratif/data/communes.json")

/**
 * Reads the official list (@etalab/decoupage-administratif) and keeps current communes only
 * (type "commune-actuelle": no delegated or associated communes, no municipal arrondissements; Paris,
 * Lyon and Marseille are one commune each, holding the postcodes of all their arrondissements).
 */
export const loadCommunes = (): ReadonlyArray<CommuneRecord> => {
  const raw = JSON.parse(readFileSync(communesFile, "utf8")) as ReadonlyArray<EtalabCommune>
  const communes: Array<CommuneRecord> = []
  for (const commune of raw) {
    if (commune.type !== "commune-actuelle") continue
    communes.push({
      insee: commune.code,
      name: commune.nom,
      postcodes: commune.codesPostaux ?? [],
      population: commune.population ?? 0
    })
  }
  return communes
}

export interface CommuneIndex {
  readonly all: ReadonlyArray<CommuneRecord>
  readonly byInsee: ReadonlyMap<string, CommuneRecord>
  /** Postcode → the communes it serves, in INSEE order. */
  readonly byPostcode: ReadonlyMap<string, ReadonlyArray<CommuneRecord>>
}

const buildIndex = (all: ReadonlyArray<CommuneRecord>): CommuneIndex => {
  const byInsee = new Map<string, CommuneRecord>()
  const byPostcode = new Map<string, Array<CommuneRecord>>()
  for (const commune of all) {
    byInsee.set(commune.insee, commune)
    for (const postcode of commune.postcodes) {
      const communes = byPostcode.get(postcode)
      if (communes === undefined) byPostcode.set(postcode, [commune])
      else communes.push(commune)
    }
  }
  return { all, byInsee, byPostcode }
}

let index: CommuneIndex | undefined

/** The list and its indexes, built on first use and then kept for the life of the process. */
export const communeIndex = (): CommuneIndex => (index ??= buildIndex(loadCommunes()))

export const findByInsee = (insee: string): CommuneRecord | undefined => communeIndex().byInsee.get(insee)

export const findByPostcode = (postcode: string): ReadonlyArray<CommuneRecord> =>
  communeIndex().byPostcode.get(postcode) ?? []

export const isKnownInsee = (insee: string): boolean => communeIndex().byInsee.has(insee)

export const isKnownPostcode = (postcode: string): boolean => communeIndex().byPostcode.has(postcode)
