import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { BulletinId, ReferentBulletin } from "./ReferentBulletin.js"

/** Bulletins to référents and each référent's inbox (one row per référent, however many communities). */
export class ReferentBulletinRepo extends Context.Tag("@vigie/domain/ReferentBulletinRepo")<
  ReferentBulletinRepo,
  {
    /**
     * Writes the bulletin and one inbox entry per verified référent (active account) of the
     * communities, once each however many of them they are référent of. Returns the référents.
     */
    readonly insert: (
      bulletin: {
        readonly insee: InseeCode
        readonly authorId: AccountId
        readonly origin: "mairie" | "police"
        readonly communityIds: ReadonlyArray<CommunityId>
        readonly text: string
      },
      now: DateTime.Utc
    ) => Effect.Effect<{ readonly bulletin: ReferentBulletin; readonly referents: ReadonlyArray<AccountId> }>
    /** Records what a bulletin's SMS are billed in the commune's monthly budget: `sms` messages of `smsSegments` parts. */
    readonly bill: (id: BulletinId, smsSegments: number, sms: number) => Effect.Effect<void>
    /** The bulletins of `ids` that exist, in no particular order, in one query: what their messages say. */
    readonly findByIds: (ids: ReadonlyArray<BulletinId>) => Effect.Effect<ReadonlyArray<ReferentBulletin>>
    readonly inbox: (
      accountId: AccountId,
      before: Option.Option<DateTime.Utc>,
      limit: number
    ) => Effect.Effect<ReadonlyArray<ReferentBulletin>>
  }
>() {}
