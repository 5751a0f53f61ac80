import { Schema } from "effect"
import { AccountId } from "../shared/Ids.js"

/**
 * What a member can be told about, one choice each: the kinds of Gazette post, events, and the
 * mairie's communications.
 */
export const GazetteTopic = Schema.Literal(
  "communication",
  "perdu_trouve",
  "entraide",
  "annonce",
  "covoiturage",
  "evenement",
  "vie_du_quartier",
  "compte_rendu"
)
export type GazetteTopic = typeof GazetteTopic.Type

/** Every topic, in the order a member reads them (the mairie's news first). */
export const gazetteTopics: ReadonlyArray<GazetteTopic> = GazetteTopic.literals

/** Per topic: nothing, the Monday digest, or an e-mail at once. Never an SMS (see `mairieSms`). */
export const GazetteDelivery = Schema.Literal("none", "weekly", "immediate")
export type GazetteDelivery = typeof GazetteDelivery.Type

/** One choice per topic. */
export const GazetteChoices = Schema.Struct({
  communication: GazetteDelivery,
  perdu_trouve: GazetteDelivery,
  entraide: GazetteDelivery,
  annonce: GazetteDelivery,
  covoiturage: GazetteDelivery,
  evenement: GazetteDelivery,
  vie_du_quartier: GazetteDelivery,
  compte_rendu: GazetteDelivery
})
export type GazetteChoices = typeof GazetteChoices.Type

/**
 * A member's Gazette notifications: one choice per topic, and whether the mairie's communications
 * also come by SMS (the only Gazette item that ever does, and only when asked for).
 */
export class GazettePreferences extends Schema.Class<GazettePreferences>("GazettePreferences")({
  accountId: AccountId,
  choices: GazetteChoices,
  mairieSms: Schema.Boolean
}) {}

/**
 * Before a member chooses: the mairie's news and lost animals or objects at once by e-mail (both are
 * time-sensitive), everything else in the Monday digest; no SMS.
 */
export const defaultGazetteChoices: GazetteChoices = {
  communication: "immediate",
  perdu_trouve: "immediate",
  entraide: "weekly",
  annonce: "weekly",
  covoiturage: "weekly",
  evenement: "weekly",
  vie_du_quartier: "weekly",
  compte_rendu: "weekly"
}

export const defaultGazettePreferences = (accountId: AccountId): GazettePreferences =>
  new GazettePreferences({ accountId, choices: defaultGazetteChoices, mairieSms: false })

/** Whether a new item of `topic` is e-mailed at once to this member. */
export const wantsAtOnce = (preferences: GazettePreferences, topic: GazetteTopic): boolean =>
  preferences.choices[topic] === "immediate"

/** The topics that go into this member's Monday digest, in reading order. */
export const digestTopics = (preferences: GazettePreferences): ReadonlyArray<GazetteTopic> =>
  gazetteTopics.filter((topic) => preferences.choices[topic] === "weekly")

/** Whether the mairie's communications also reach this member by SMS. */
export const wantsMairieSms = (preferences: GazettePreferences): boolean => preferences.mairieSms
