import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { AlertId } from "./Alert.js"
import type { ReactionKind } from "./AlertReaction.js"

/** One stored mark with its member's names (the use case shortens them before they leave). */
export interface ReactionRow {
  readonly accountId: AccountId
  readonly firstName: string
  readonly lastName: string
  readonly kind: ReactionKind
  readonly at: DateTime.Utc
}

/**
 * Persistence of the marks on alerts, one row per (alert, account, kind). `mark` and `unmark` are
 * idempotent and tell whether they changed anything. Marks of erased accounts are never read.
 */
export class AlertReactionRepo extends Context.Tag("@vigie/domain/AlertReactionRepo")<
  AlertReactionRepo,
  {
    readonly mark: (
      alertId: AlertId,
      accountId: AccountId,
      kind: ReactionKind,
      now: DateTime.Utc
    ) => Effect.Effect<boolean>
    readonly unmark: (alertId: AlertId, accountId: AccountId, kind: ReactionKind) => Effect.Effect<boolean>
    /** The marks of one alert, oldest first. */
    readonly list: (alertId: AlertId) => Effect.Effect<ReadonlyArray<ReactionRow>>
    /** The number of marks per kind of each alert that has any (alerts without marks are absent), in one query. */
    readonly counts: (
      alertIds: ReadonlyArray<AlertId>
    ) => Effect.Effect<ReadonlyArray<{ readonly alertId: AlertId; readonly going: number; readonly seen: number }>>
  }
>() {}
