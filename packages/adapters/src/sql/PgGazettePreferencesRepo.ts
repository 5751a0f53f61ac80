import { SqlClient, SqlSchema } from "@effect/sql"
import {
  defaultGazettePreferences,
  GazetteDelivery,
  GazettePreferences
} from "@vigie/domain/gazette/GazettePreferences"
import { GazettePreferencesRepo } from "@vigie/domain/gazette/GazettePreferencesRepo"
import { AccountId } from "@vigie/domain/shared/Ids"
import { Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const Row = Schema.Struct({
  account_id: AccountId,
  communication: GazetteDelivery,
  perdu_trouve: GazetteDelivery,
  entraide: GazetteDelivery,
  annonce: GazetteDelivery,
  covoiturage: GazetteDelivery,
  evenement: GazetteDelivery,
  vie_du_quartier: GazetteDelivery,
  compte_rendu: GazetteDelivery,
  mairie_sms: Schema.Boolean
})

export const GazettePreferencesFromRow = Schema.transform(Row, Schema.typeSchema(GazettePreferences), {
  strict: true,
  decode: ({ account_id, mairie_sms, ...choices }) =>
    new GazettePreferences({ accountId: account_id, choices, mairieSms: mairie_sms }, true),
  encode: (p) => ({ account_id: p.accountId, ...p.choices, mairie_sms: p.mairieSms })
})

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const find = SqlSchema.findOne({
    Request: AccountId,
    Result: GazettePreferencesFromRow,
    execute: (accountId) =>
      sql`SELECT account_id, communication, perdu_trouve, entraide, annonce, covoiturage, evenement,
                 vie_du_quartier, compte_rendu, mairie_sms
          FROM gazette_preferences WHERE account_id = ${accountId}`
  })

  const put = SqlSchema.void({
    Request: GazettePreferencesFromRow,
    execute: (row) =>
      sql`INSERT INTO gazette_preferences ${sql.insert(row)}
          ON CONFLICT (account_id) DO UPDATE
          SET communication = excluded.communication, perdu_trouve = excluded.perdu_trouve,
              entraide = excluded.entraide, annonce = excluded.annonce, covoiturage = excluded.covoiturage,
              evenement = excluded.evenement, vie_du_quartier = excluded.vie_du_quartier,
              compte_rendu = excluded.compte_rendu, mairie_sms = excluded.mairie_sms, updated_at = now()`
  })

  return GazettePreferencesRepo.of({
    get: (accountId) =>
      find(accountId).pipe(
        Effect.map(Option.getOrElse(() => defaultGazettePreferences(accountId))),
        mapFailures(),
        Effect.withSpan("PgGazettePreferencesRepo.get")
      ),
    put: (preferences) => put(preferences).pipe(mapFailures(), Effect.withSpan("PgGazettePreferencesRepo.put"))
  })
})

export const layer = Layer.effect(GazettePreferencesRepo, make)
