import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { Email, PhoneE164 } from "../shared/Text.js"
import type { AccountId } from "./Account.js"
import type { EmailAlreadyUsed } from "./AccountErrors.js"
import type { LinkStatus, RequestQuota, ResetCodeStatus } from "./LifecyclePolicy.js"
import type { SessionId } from "./Session.js"

/** Where a reset goes: the account's e-mail address, or its verified phone. */
export type ResetChannel =
  | { readonly _tag: "Email"; readonly email: Email }
  | { readonly _tag: "Sms"; readonly phone: PhoneE164 }

/** A reset that was issued: to whom the message goes. */
export interface IssuedReset {
  readonly accountId: AccountId
  readonly firstName: string
}

export interface StoredReset {
  readonly id: string
  readonly accountId: AccountId
  readonly status: ResetCodeStatus
  readonly attempts: number
  readonly expiresAt: DateTime.Utc
  /** The keyed hash of the link's token, or of "phone:code" for an SMS code. */
  readonly secretHash: Uint8Array
}

export interface StoredEmailChange {
  readonly id: string
  readonly accountId: AccountId
  readonly newEmail: Email
  readonly status: LinkStatus
  readonly expiresAt: DateTime.Utc
}

/**
 * Persistence of the account lifecycle: password resets (links and SMS codes, kept as keyed
 * hashes), e-mail changes, and the account writes they end with. Methods that take a row "locked"
 * hold it until the surrounding transaction ends.
 */
export class LifecycleRepo extends Context.Tag("@vigie/domain/LifecycleRepo")<
  LifecycleRepo,
  {
    /**
     * In one statement, whether the account exists or not: finds the account behind the channel
     * (the e-mail address, or the verified phone; never an erased account), takes one request from
     * its quota (atomically: concurrent requests count one after the other), replaces its pending
     * reset of the same channel and stores the new one. None when there is no such account or the
     * quota is spent.
     */
    readonly issueReset: (input: {
      readonly channel: ResetChannel
      readonly secretHash: Uint8Array
      readonly createdAt: DateTime.Utc
      readonly expiresAt: DateTime.Utc
      readonly quota: RequestQuota
    }) => Effect.Effect<Option.Option<IssuedReset>>
    /** The e-mail reset whose token has this keyed hash (locked when asked). */
    readonly findLinkReset: (secretHash: Uint8Array, lock: boolean) => Effect.Effect<Option.Option<StoredReset>>
    /** The newest SMS reset of the account whose verified phone this is, locked. */
    readonly latestCodeReset: (phone: PhoneE164) => Effect.Effect<Option.Option<StoredReset>>
    readonly recordResetAttempt: (id: string, attempts: number, status: ResetCodeStatus) => Effect.Effect<void>
    /** Marks the reset used and every other pending reset of the account replaced. */
    readonly useReset: (id: string, accountId: AccountId, at: DateTime.Utc) => Effect.Effect<void>
    /** Replaces every pending reset of the account (after a change of password). */
    readonly supersedeResets: (accountId: AccountId) => Effect.Effect<void>

    readonly setPasswordHash: (accountId: AccountId, hash: string) => Effect.Effect<void>
    /** Ends every session of the account but `keep` (when given). */
    readonly endSessions: (accountId: AccountId, keep: Option.Option<SessionId>) => Effect.Effect<void>

    /** Takes a lock on the account for one purpose until the surrounding transaction ends. */
    readonly lockAccount: (accountId: AccountId, purpose: "email_change") => Effect.Effect<void>
    /** When the e-mail changes of an account were asked (for the per-day limit). */
    readonly emailChangeSends: (accountId: AccountId, since: DateTime.Utc) => Effect.Effect<ReadonlyArray<DateTime.Utc>>
    /** Stores an e-mail change (its pending ones replaced); `tokenHash` none when no link went out. */
    readonly insertEmailChange: (change: {
      readonly accountId: AccountId
      readonly newEmail: Email
      readonly tokenHash: Option.Option<Uint8Array>
      readonly createdAt: DateTime.Utc
      readonly expiresAt: DateTime.Utc
    }) => Effect.Effect<void>
    /** The e-mail change whose token has this keyed hash, locked. */
    readonly findEmailChange: (tokenHash: Uint8Array) => Effect.Effect<Option.Option<StoredEmailChange>>
    /** Sets the account's address and marks the change used, its other pending ones replaced. */
    readonly applyEmailChange: (change: StoredEmailChange, at: DateTime.Utc) => Effect.Effect<void, EmailAlreadyUsed>
  }
>() {}
