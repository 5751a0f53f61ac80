import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { PoliceContact, PublicFigures } from "./VigilantCommune.js"

/** A vigilant commune as stored (its name comes from the official list). */
export interface VigilantCommuneRow {
  readonly insee: InseeCode
  readonly activatedAt: DateTime.Utc
  readonly policeContact: PoliceContact
}

/** The communes opened as "Mairie Vigilante", and their figures. */
export class VigilantCommuneRepo extends Context.Tag("@vigie/domain/VigilantCommuneRepo")<
  VigilantCommuneRepo,
  {
    /** Opens the commune; opening it again (even at the same moment) changes nothing. Returns whether it is new. */
    readonly activate: (insee: InseeCode, by: AccountId, at: DateTime.Utc) => Effect.Effect<boolean>
    readonly find: (insee: InseeCode) => Effect.Effect<Option.Option<VigilantCommuneRow>>
    readonly list: Effect.Effect<ReadonlyArray<VigilantCommuneRow>>
    /** Of the given codes, those that are vigilant. */
    readonly vigilantAmong: (insees: ReadonlyArray<InseeCode>) => Effect.Effect<ReadonlySet<InseeCode>>
    /** Replaces the police contact of a vigilant commune; false (nothing written) when it is not one. */
    readonly setPoliceContact: (
      insee: InseeCode,
      contact: PoliceContact,
      by: AccountId,
      at: DateTime.Utc
    ) => Effect.Effect<boolean>
    /**
     * Per commune: its active quartiers, its verified members (distinct active accounts) and its
     * alerts of the 30 days before `now` (published or resolved, residents' and town ones). Communes
     * without any are counted as zeros.
     */
    readonly figures: (
      insees: ReadonlyArray<InseeCode>,
      now: DateTime.Utc
    ) => Effect.Effect<ReadonlyMap<InseeCode, PublicFigures & { readonly alertsLast30Days: number }>>
  }
>() {}
