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
     * Writes, in one transaction, the bulletin, one inbox entry per verified référent (active account)
     * of the communities, its message and the deliveries to those référents (SMS and e-mail as their
     * preferences allow; a bulletin counts as urgent), and what its SMS are billed (`smsSegments`
     * parts each) in the commune's monthly budget. Returns how many deliveries per channel.
     */
    readonly send: (
      bulletin: { readonly insee: InseeCode; readonly authorId: AccountId; readonly origin: "mairie" | "police"; readonly communityIds: ReadonlyArray<CommunityId>; readonly text: string; readonly smsSegments: number },
      now: DateTime.Utc
    ) => Effect.Effect<{ readonly bulletin: ReferentBulletin; readonly referents: number; readonly sms: number; readonly email: number }>
    /** The bulletins of `ids` that exist, in no particular order, in one query: what their messages say. */
    readonly findByIds: (ids: ReadonlyArray<BulletinId>) => Effect.Effect<ReadonlyArray<ReferentBulletin>>
    readonly inbox: (accountId: AccountId, before: Option.Option<DateTime.Utc>, limit: number) => Effect.Effect<ReadonlyArray<ReferentBulletin>>
  }
>() {}
