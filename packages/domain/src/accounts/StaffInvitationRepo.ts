import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "./Account.js"

/** Staff invitations, found by the keyed hash of their token (the link's secret part). */
export class StaffInvitationRepo extends Context.Tag("@vigie/domain/StaffInvitationRepo")<
  StaffInvitationRepo,
  {
    readonly insert: (invitation: {
      readonly tokenHash: Uint8Array
      readonly accountId: AccountId
      readonly createdAt: DateTime.Utc
      readonly expiresAt: DateTime.Utc
    }) => Effect.Effect<void>
    readonly find: (
      tokenHash: Uint8Array
    ) => Effect.Effect<
      Option.Option<{ readonly accountId: AccountId; readonly expiresAt: DateTime.Utc; readonly used: boolean }>
    >
    /**
     * In one statement: marks the invitation used if it is unused and not expired at `at`, and sets
     * the account's password hash. The account, or none when the invitation could not be used.
     */
    readonly accept: (
      tokenHash: Uint8Array,
      passwordHash: string,
      at: DateTime.Utc
    ) => Effect.Effect<Option.Option<AccountId>>
  }
>() {}
