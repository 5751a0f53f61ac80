import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { AlertId } from "../alerts/Alert.js"
import type { CommunityId } from "../communities/Community.js"
import type { FlagReason } from "./HideReason.js"
import type { FlagStatus, FlagView } from "./ModeratedAlert.js"
import type { AlreadyFlagged } from "./ModerationErrors.js"

/** Persistence of members' flags on alerts: one per member and alert, open until a moderator closes it. */
export class FlagRepo extends Context.Tag("@vigie/domain/FlagRepo")<
  FlagRepo,
  {
    /** The flags of these alerts, oldest first; only open ones when `openOnly`. */
    readonly flagsOf: (alertIds: ReadonlyArray<AlertId>, openOnly: boolean) => Effect.Effect<ReadonlyArray<FlagView>>
    /** Alerts with flags, oldest first flag first, in these communities (every one when none). */
    readonly flaggedAlerts: (options: {
      readonly communityIds: Option.Option<ReadonlyArray<CommunityId>>
      readonly openOnly: boolean
      readonly offset: number
      readonly limit: number
    }) => Effect.Effect<ReadonlyArray<{ readonly alertId: AlertId; readonly firstFlaggedAt: DateTime.Utc }>>
    readonly insertFlag: (flag: {
      readonly alertId: AlertId
      readonly communityId: Option.Option<CommunityId>
      readonly flaggedBy: AccountId
      readonly reason: FlagReason
      readonly text: Option.Option<string>
      readonly at: DateTime.Utc
    }) => Effect.Effect<FlagView, AlreadyFlagged>
    /** Closes every open flag of the alert; returns how many. */
    readonly closeFlags: (
      alertId: AlertId,
      status: Exclude<FlagStatus, "open">,
      by: AccountId,
      at: DateTime.Utc
    ) => Effect.Effect<number>
  }
>() {}
