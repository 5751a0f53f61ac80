import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { AlertId } from "../alerts/Alert.js"
import type { AppealId, AppealStatus, AppealView } from "./ModeratedAlert.js"
import type { AlreadyAppealed } from "./ModerationErrors.js"

/** An appeal with the ids the use case checks (its author, who hid the alert). */
export interface AppealRecord {
  readonly view: AppealView
  readonly authorId: AccountId
  readonly hiddenById: Option.Option<AccountId>
}

/** Persistence of authors' appeals against a hiding: one per alert, pending until a moderator decides. */
export class AppealRepo extends Context.Tag("@vigie/domain/AppealRepo")<
  AppealRepo,
  {
    readonly appealsOf: (alertIds: ReadonlyArray<AlertId>) => Effect.Effect<ReadonlyArray<AppealView>>
    readonly appeal: (id: AppealId) => Effect.Effect<Option.Option<AppealRecord>>
    readonly insertAppeal: (appeal: {
      readonly alertId: AlertId
      readonly authorId: AccountId
      readonly text: string
      readonly hiddenBy: Option.Option<AccountId>
      readonly at: DateTime.Utc
    }) => Effect.Effect<AppealView, AlreadyAppealed>
    /** Decides a pending appeal; false when it was no longer pending. */
    readonly decideAppeal: (
      id: AppealId,
      decision: {
        readonly status: Exclude<AppealStatus, "pending">
        readonly by: AccountId
        readonly reason: string
        readonly at: DateTime.Utc
      }
    ) => Effect.Effect<boolean>
  }
>() {}
