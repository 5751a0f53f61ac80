import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { AccountId } from "../accounts/Account.js"

/** How many alerts an author posted: ever, and since a moment (for the hold and rate rules). */
export class AlertHistory extends Context.Tag("@vigie/domain/AlertHistory")<
  AlertHistory,
  {
    readonly countByAuthor: (
      authorId: AccountId,
      since: DateTime.Utc
    ) => Effect.Effect<{ readonly total: number; readonly recent: number }>
  }
>() {}
