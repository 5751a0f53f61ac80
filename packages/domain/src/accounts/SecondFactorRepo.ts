import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "./Account.js"

/** A staff account's second factor as stored: the TOTP secret only sealed (SecretBox). */
export interface SecondFactorState {
  readonly sealedSecret: Option.Option<Uint8Array>
  /** A secret shown for enrolment and not confirmed yet. */
  readonly pendingSealedSecret: Option.Option<Uint8Array>
  readonly enrolled: boolean
  /** The last TOTP time step accepted (a code of it or earlier is a replay). */
  readonly lastStep: number
  readonly failures: number
  readonly lastFailureAt: DateTime.Utc | undefined
}

/**
 * Persistence of second factors, their recovery codes (keyed hashes) and sign-in challenges (keyed
 * hashes of the second-step tokens). `lock` takes the account's row lock for the rest of the
 * transaction, so code checks and failure counts of one account happen one at a time.
 */
export class SecondFactorRepo extends Context.Tag("@vigie/domain/SecondFactorRepo")<
  SecondFactorRepo,
  {
    readonly isEnrolled: (accountId: AccountId) => Effect.Effect<boolean>
    readonly find: (accountId: AccountId) => Effect.Effect<Option.Option<SecondFactorState>>
    readonly lock: (accountId: AccountId) => Effect.Effect<Option.Option<SecondFactorState>>
    /** Keeps a new pending secret, unless the account has enrolled already (then false). */
    readonly startEnrolment: (accountId: AccountId, sealedSecret: Uint8Array) => Effect.Effect<boolean>
    /** The pending secret becomes the secret; the recovery codes replace any earlier ones. */
    readonly completeEnrolment: (
      accountId: AccountId,
      input: {
        readonly step: number
        readonly at: DateTime.Utc
        readonly recoveryCodeHashes: ReadonlyArray<Uint8Array>
      }
    ) => Effect.Effect<void>
    readonly recordFailure: (accountId: AccountId, at: DateTime.Utc) => Effect.Effect<void>
    /** Clears the failures; `step`, when given, becomes the last TOTP step used. */
    readonly recordSuccess: (accountId: AccountId, step: number | undefined) => Effect.Effect<void>
    /** Marks the recovery code used; false when it is unknown or was used already (one statement). */
    readonly useRecoveryCode: (accountId: AccountId, codeHash: Uint8Array, at: DateTime.Utc) => Effect.Effect<boolean>
    readonly unusedRecoveryCodes: (accountId: AccountId) => Effect.Effect<number>
    readonly insertChallenge: (challenge: {
      readonly tokenHash: Uint8Array
      readonly accountId: AccountId
      readonly expiresAt: DateTime.Utc
    }) => Effect.Effect<void>
    readonly findChallenge: (
      tokenHash: Uint8Array
    ) => Effect.Effect<Option.Option<{ readonly accountId: AccountId; readonly expiresAt: DateTime.Utc }>>
    readonly deleteChallenge: (tokenHash: Uint8Array) => Effect.Effect<void>
  }
>() {}
