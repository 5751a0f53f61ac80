import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { CommunityId } from "../communities/Community.js"
import type { AccountId } from "./Account.js"

/** One JSON file of a member's export: its name in the ZIP (`account.json` ...) and its content. */
export interface PersonalDataFile {
  readonly name: string
  readonly content: unknown
}

/** What an erasure did, for the log and the caller. */
export interface ErasureOutcome {
  readonly cancelledDeliveries: number
  readonly leftMemberships: number
  /** Activation letters' PDF files, to delete once the transaction has committed. */
  readonly letterFiles: ReadonlyArray<string>
  /** Quartiers where the person was the only verified référent: they have none now. */
  readonly communitiesWithoutReferent: ReadonlyArray<CommunityId>
}

/**
 * Reads everything Vigie holds about one person, and erases it. `collect` returns only that
 * person's data: other people appear by no account id, and by name nowhere. `erase` replaces the
 * personal data by a tombstone (see ErasedAccount) and must run inside the caller's transaction:
 * names, e-mail, phone, password hash, addresses, preferences, sessions, marks, verifications;
 * memberships left; pending deliveries cancelled and every delivery's destination blanked; the SMS
 * received from their phone and the dev outboxes' copies blanked. Alerts and moderation records
 * stay, pointing at the tombstone. Tables added later that hold personal data add their statement
 * to the adapter's erasure (see PgPersonalData).
 */
export class PersonalDataRepo extends Context.Tag("@vigie/domain/PersonalDataRepo")<
  PersonalDataRepo,
  {
    readonly collect: (accountId: AccountId, loginKey: Uint8Array) => Effect.Effect<ReadonlyArray<PersonalDataFile>>
    readonly erase: (accountId: AccountId, at: DateTime.Utc) => Effect.Effect<ErasureOutcome>
  }
>() {}

/** Files kept on disk that hold personal data (activation letters). Removing a missing file is no error. */
export class StoredFiles extends Context.Tag("@vigie/domain/StoredFiles")<
  StoredFiles,
  { readonly remove: (paths: ReadonlyArray<string>) => Effect.Effect<number> }
>() {}
