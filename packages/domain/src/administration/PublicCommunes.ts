import { Context, DateTime, Effect, Layer, Option, Schema } from "effect"
import type { Commune } from "../communities/Commune.js"
import { InseeCode } from "../communities/Commune.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import type { PublicFigures } from "./VigilantCommune.js"
import { VigilantCommuneRepo, type VigilantCommuneRow } from "./VigilantCommuneRepo.js"

/** What the public page of a commune shows: nothing private, no name of a member. */
export interface PublicCommunePage {
  readonly commune: Commune
  /** Present when the commune is a Mairie Vigilante, with its police contact. */
  readonly vigilant: Option.Option<VigilantCommuneRow>
  readonly figures: PublicFigures
}

const decodeInsee = Schema.decodeUnknownOption(InseeCode)

/** The public facts of a commune, for its page at /commune/<INSEE>, open to anybody. */
export class PublicCommunes extends Context.Tag("@vigie/domain/PublicCommunes")<
  PublicCommunes,
  {
    /** The page of the commune with this code; none for a malformed or unknown code. */
    readonly page: (code: string) => Effect.Effect<Option.Option<PublicCommunePage>>
  }
>() {}

export const make = Effect.gen(function*() {
  const directory = yield* CommuneDirectory
  const vigilant = yield* VigilantCommuneRepo

  const page: PublicCommunes["Type"]["page"] = (code) =>
    Effect.gen(function*() {
      const insee = decodeInsee(code.toUpperCase())
      if (Option.isNone(insee)) return Option.none()
      const commune = yield* directory.findByInsee(insee.value)
      if (Option.isNone(commune)) return Option.none()
      const row = yield* vigilant.find(insee.value)
      const figures = yield* vigilant.figures([insee.value], yield* DateTime.now)
      const counts = figures.get(insee.value)
      return Option.some({
        commune: commune.value,
        vigilant: row,
        figures: { quartiers: counts?.quartiers ?? 0, verifiedMembers: counts?.verifiedMembers ?? 0 }
      })
    }).pipe(Effect.withSpan("PublicCommunes.page"))

  return PublicCommunes.of({ page })
})

export const layer = Layer.effect(PublicCommunes, make)
