import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { Alert, AlertId } from "../alerts/Alert.js"
import type { InseeCode } from "../communities/Commune.js"
import type { AuthorityRole } from "./StaffAccess.js"
import type { SharedAlert } from "./SharedAlert.js"

/** A shared alert as stored: the use case turns it into what staff receive (SharedAlert). */
export type SharedAlertRecord = Omit<SharedAlert, "alert"> & { readonly alert: Alert }

/**
 * The alerts residents shared with the authorities (`shared_with_authorities`, visible: published or
 * resolved), per commune, with the staff's acknowledgements and internal notes.
 */
export class AuthoritiesInboxRepo extends Context.Tag("@vigie/domain/AuthoritiesInboxRepo")<
  AuthoritiesInboxRepo,
  {
    readonly list: (
      insee: InseeCode,
      before: Option.Option<{ readonly createdAt: DateTime.Utc; readonly id: AlertId }>,
      limit: number
    ) => Effect.Effect<ReadonlyArray<SharedAlertRecord>>
    /** The shared alert and its commune; None when it is not a visible shared alert. */
    readonly find: (
      alertId: AlertId
    ) => Effect.Effect<Option.Option<{ readonly insee: InseeCode; readonly item: SharedAlertRecord }>>
    /** The first acknowledgement of each side stays; later ones change nothing. */
    readonly acknowledge: (
      alertId: AlertId,
      role: AuthorityRole,
      accountId: AccountId,
      now: DateTime.Utc
    ) => Effect.Effect<void>
    readonly addNote: (
      alertId: AlertId,
      role: AuthorityRole,
      accountId: AccountId,
      text: string,
      now: DateTime.Utc
    ) => Effect.Effect<void>
    readonly acknowledgements: (
      alertId: AlertId
    ) => Effect.Effect<{ readonly mairie: Option.Option<DateTime.Utc>; readonly police: Option.Option<DateTime.Utc> }>
  }
>() {}
