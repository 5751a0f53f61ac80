import { Context } from "effect"
import type { Effect, Option } from "effect"
import type { Commune, InseeCode, Postcode } from "./Commune.js"

/**
 * The official list of French communes (INSEE code, name, postcodes, population). Commune codes and
 * postcodes that enter Vigie are checked against it.
 */
export class CommuneDirectory extends Context.Tag("@vigie/domain/CommuneDirectory")<
  CommuneDirectory,
  {
    readonly findByInsee: (insee: InseeCode) => Effect.Effect<Option.Option<Commune>>
    readonly findByPostcode: (postcode: Postcode) => Effect.Effect<ReadonlyArray<Commune>>
    /** The communes whose name, postcode or INSEE code answers `typed`, best first, at most `limit` (CommuneSearch). */
    readonly search: (typed: string, limit: number) => Effect.Effect<ReadonlyArray<Commune>>
  }
>() {}
