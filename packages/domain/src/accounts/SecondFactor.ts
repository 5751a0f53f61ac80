import { Context, DateTime, Effect, Either, Layer, Option, Schema } from "effect"
import { SecretBox } from "../shared/SecretBox.js"
import { Secrets } from "../shared/Secrets.js"
import { Transactor } from "../shared/Transactor.js"
import type { Account, AccountId } from "./Account.js"
import { AccountSuspended, Forbidden, type Unauthenticated } from "./AccountErrors.js"
import { AccountRepo } from "./AccountRepo.js"
import { type Actor, requireAccount } from "./CurrentActor.js"
import { openSession } from "./OpenSession.js"
import {
  isFreshStep,
  MAX_SECOND_FACTOR_FAILURES,
  mayCallBeforeEnrolment,
  normalizeRecoveryCode,
  RECOVERY_CODE_BYTES,
  RECOVERY_CODE_COUNT,
  recoveryCodeFromBytes,
  requiresSecondFactor,
  secondFactorRetryAfter,
  totpCodeOf
} from "./SecondFactorPolicy.js"
import {
  AlreadyEnrolled,
  NoEnrolmentInProgress,
  SecondFactorEnrolmentRequired,
  SecondFactorLocked,
  SignInChallengeExpired,
  WrongSecondFactorCode
} from "./SecondFactorErrors.js"
import { SecondFactorRepo, type SecondFactorState } from "./SecondFactorRepo.js"
import { SessionRepo } from "./SessionRepo.js"
import { Sessions, type LoginResult } from "./Sessions.js"
import { TotpAuthenticator } from "./TotpAuthenticator.js"

/** Where the signed-in account stands with its second factor. */
export class SecondFactorStatus extends Schema.Class<SecondFactorStatus>("SecondFactorStatus")({
  /** Staff accounts must have one; members need none. */
  required: Schema.Boolean,
  enrolled: Schema.Boolean,
  recoveryCodesLeft: Schema.NonNegativeInt
}) {}

/** What an authenticator app needs: the secret as text and as an otpauth:// address (the QR code). */
export class TotpEnrolment extends Schema.Class<TotpEnrolment>("TotpEnrolment")({
  secret: Schema.String,
  uri: Schema.String
}) {}

/** The recovery codes, shown once: only their keyed hashes are kept. */
export class RecoveryCodes extends Schema.Class<RecoveryCodes>("RecoveryCodes")({
  codes: Schema.Array(Schema.String)
}) {}

type CodeCheck =
  | { readonly _tag: "Totp"; readonly step: number }
  | { readonly _tag: "Recovery" }
  | { readonly _tag: "Wrong" }

/**
 * Two-factor authentication of staff accounts: enrolment of a TOTP app (confirmed by a first code,
 * giving 10 single-use recovery codes), the second step of signing in, and the rule that a staff
 * account does nothing before enrolling. Every code check runs under the account's row lock, with
 * its failure counted in the same transaction.
 */
export class SecondFactor extends Context.Tag("@vigie/domain/SecondFactor")<
  SecondFactor,
  {
    readonly status: (actor: Actor) => Effect.Effect<SecondFactorStatus, Unauthenticated | AccountSuspended>
    readonly beginEnrolment: (
      actor: Actor
    ) => Effect.Effect<TotpEnrolment, Unauthenticated | AccountSuspended | Forbidden | AlreadyEnrolled>
    readonly confirmEnrolment: (
      actor: Actor,
      code: string
    ) => Effect.Effect<
      RecoveryCodes,
      | Unauthenticated
      | AccountSuspended
      | Forbidden
      | AlreadyEnrolled
      | NoEnrolmentInProgress
      | WrongSecondFactorCode
      | SecondFactorLocked
    >
    readonly completeSignIn: (input: { readonly challenge: string; readonly code: string }) => Effect.Effect<
      LoginResult,
      SignInChallengeExpired | WrongSecondFactorCode | SecondFactorLocked | AccountSuspended
    >
    /** Refuses every call but the enrolment ones to a staff account that has not enrolled yet. */
    readonly requireEnrolment: (actor: Actor, rpcTag: string) => Effect.Effect<void, SecondFactorEnrolmentRequired>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* SecondFactorRepo
  const accounts = yield* AccountRepo
  const sessions = yield* Sessions
  const sessionRepo = yield* SessionRepo
  const secrets = yield* Secrets
  const box = yield* SecretBox
  const totp = yield* TotpAuthenticator
  const tx = yield* Transactor

  const now = DateTime.now
  const recoveryHash = (accountId: AccountId, code: string) =>
    secrets.keyedHash("recovery_code", `${accountId}:${code}`)

  const requireStaff = (actor: Actor, action: string) =>
    Effect.flatMap(
      requireAccount(actor),
      (account) =>
        requiresSecondFactor(account.staffRoles) ? Effect.succeed(account) : Effect.fail(new Forbidden({ action }))
    )

  /** Checks `typed` against the secret (TOTP, no replay) or, when allowed, the unused recovery codes. */
  const check = (
    accountId: AccountId,
    sealed: Uint8Array,
    state: SecondFactorState,
    typed: string,
    at: DateTime.Utc,
    recovery: boolean
  ) =>
    Effect.gen(function*() {
      const digits = totpCodeOf(typed)
      if (digits !== undefined) {
        const step = totp.matchStep(yield* box.open(sealed), digits, DateTime.toEpochMillis(at))
        return Option.isSome(step) && isFreshStep(step.value, state.lastStep)
          ? ({ _tag: "Totp", step: step.value } as const)
          : ({ _tag: "Wrong" } as const)
      }
      const code = recovery ? normalizeRecoveryCode(typed) : undefined
      if (code === undefined) return { _tag: "Wrong" } as const
      return (yield* repo.useRecoveryCode(accountId, yield* recoveryHash(accountId, code), at))
        ? ({ _tag: "Recovery" } as const)
        : ({ _tag: "Wrong" } as const)
    }) as Effect.Effect<CodeCheck>

  /** Counts a failure in the transaction, to be committed before the error is returned. */
  const failure = (accountId: AccountId, state: SecondFactorState, at: DateTime.Utc) =>
    Effect.as(
      repo.recordFailure(accountId, at),
      Either.left(
        new WrongSecondFactorCode({ triesLeft: Math.max(0, MAX_SECOND_FACTOR_FAILURES - state.failures - 1) })
      )
    )

  const newRecoveryCodes = (accountId: AccountId) =>
    Effect.gen(function*() {
      const codes: Array<string> = []
      while (codes.length < RECOVERY_CODE_COUNT) {
        const code = recoveryCodeFromBytes(yield* secrets.randomBytes(RECOVERY_CODE_BYTES))
        if (!codes.includes(code)) codes.push(code)
      }
      const hashes = yield* Effect.forEach(codes, (code) => recoveryHash(accountId, normalizeRecoveryCode(code)!))
      return { codes, hashes }
    })

  const status: SecondFactor["Type"]["status"] = (actor) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const enrolled = yield* repo.isEnrolled(account.id)
      return new SecondFactorStatus({
        required: requiresSecondFactor(account.staffRoles),
        enrolled,
        recoveryCodesLeft: enrolled ? yield* repo.unusedRecoveryCodes(account.id) : 0
      })
    })

  const beginEnrolment: SecondFactor["Type"]["beginEnrolment"] = (actor) =>
    Effect.gen(function*() {
      const account = yield* requireStaff(actor, "BeginTotpEnrolment")
      const secret = yield* totp.newSecret
      const started = yield* repo.startEnrolment(account.id, yield* box.seal(secret))
      if (!started) return yield* new AlreadyEnrolled()
      const label = Option.getOrElse(account.email, () => `${account.firstName} ${account.lastName}`)
      return new TotpEnrolment({ secret, uri: totp.uri({ secret, label }) })
    }).pipe(Effect.withSpan("SecondFactor.beginEnrolment"))

  const confirmEnrolment: SecondFactor["Type"]["confirmEnrolment"] = (actor, code) =>
    Effect.gen(function*() {
      const account = yield* requireStaff(actor, "ConfirmTotpEnrolment")
      const at = yield* now
      const outcome = yield* tx.transaction(Effect.gen(function*() {
        const locked = yield* repo.lock(account.id)
        if (Option.isNone(locked)) return Either.left(new NoEnrolmentInProgress())
        const state = locked.value
        if (state.enrolled) return Either.left(new AlreadyEnrolled())
        if (Option.isNone(state.pendingSealedSecret)) return Either.left(new NoEnrolmentInProgress())
        const wait = secondFactorRetryAfter(state.failures, state.lastFailureAt, at)
        if (wait > 0) return Either.left(new SecondFactorLocked({ retryAfterSeconds: wait }))
        const result = yield* check(account.id, state.pendingSealedSecret.value, state, code, at, false)
        if (result._tag !== "Totp") return yield* failure(account.id, state, at)
        const recovery = yield* newRecoveryCodes(account.id)
        yield* repo.completeEnrolment(account.id, { step: result.step, at, recoveryCodeHashes: recovery.hashes })
        return Either.right(new RecoveryCodes({ codes: recovery.codes }))
      }))
      return yield* outcome
    }).pipe(Effect.withSpan("SecondFactor.confirmEnrolment"))

  const completeSignIn: SecondFactor["Type"]["completeSignIn"] = ({ challenge, code }) =>
    Effect.gen(function*() {
      if (challenge.length === 0 || challenge.length > 100) return yield* new SignInChallengeExpired()
      const at = yield* now
      const tokenHash = yield* secrets.keyedHash("sign_in_challenge", challenge)
      const outcome = yield* tx.transaction(Effect.gen(function*() {
        const first = yield* repo.findChallenge(tokenHash)
        if (Option.isNone(first)) return Either.left(new SignInChallengeExpired())
        const accountId = first.value.accountId
        const locked = yield* repo.lock(accountId)
        // Read again under the lock: a concurrent call may have used it meanwhile.
        const found = yield* repo.findChallenge(tokenHash)
        const sealed = Option.flatMap(locked, (s) => (s.enrolled ? s.sealedSecret : Option.none()))
        if (Option.isNone(locked) || Option.isNone(sealed) || Option.isNone(found)) {
          return Either.left(new SignInChallengeExpired())
        }
        if (!DateTime.lessThan(at, found.value.expiresAt)) {
          yield* repo.deleteChallenge(tokenHash)
          return Either.left(new SignInChallengeExpired())
        }
        const state = locked.value
        const wait = secondFactorRetryAfter(state.failures, state.lastFailureAt, at)
        if (wait > 0) return Either.left(new SecondFactorLocked({ retryAfterSeconds: wait }))
        const result = yield* check(accountId, sealed.value, state, code, at, true)
        if (result._tag === "Wrong") return yield* failure(accountId, state, at)
        yield* repo.recordSuccess(accountId, result._tag === "Totp" ? result.step : undefined)
        yield* repo.deleteChallenge(tokenHash)
        const account = yield* accounts.findById(accountId)
        if (Option.isNone(account) || account.value.status === "erased") {
          return Either.left(new SignInChallengeExpired())
        }
        if (account.value.status === "suspended") return Either.left(new AccountSuspended({ accountId }))
        const opened = yield* openSession(accountId, at).pipe(
          Effect.provideService(SessionRepo, sessionRepo),
          Effect.provideService(Secrets, secrets)
        )
        return Either.right({ ...opened, account: account.value })
      }))
      const opened = yield* outcome
      const me = yield* sessions.whoAmI({ _tag: "Authenticated", account: opened.account,
        sessionId: opened.session.id }).pipe(Effect.orDie)
      return { token: opened.token, session: opened.session, me, device: Option.none() }
    }).pipe(Effect.withSpan("SecondFactor.completeSignIn"))

  const requireEnrolment = (actor: Actor, rpcTag: string): Effect.Effect<void, SecondFactorEnrolmentRequired> =>
    actor._tag !== "Authenticated" || !requiresSecondFactor(actor.account.staffRoles) || mayCallBeforeEnrolment(rpcTag)
      ? Effect.void
      : Effect.flatMap(
        repo.isEnrolled(actor.account.id),
        (enrolled) => enrolled ? Effect.void : Effect.fail(new SecondFactorEnrolmentRequired())
      )

  return SecondFactor.of({ status, beginEnrolment, confirmEnrolment, completeSignIn, requireEnrolment })
})

export const layer = Layer.effect(SecondFactor, make)

/** For the demo seed and tests: an account enrolled at once with a known secret, and its recovery codes. */
export const enrolWithSecret = (account: Account, secret: string) =>
  Effect.gen(function*() {
    const repo = yield* SecondFactorRepo
    const box = yield* SecretBox
    const secrets = yield* Secrets
    const at = yield* DateTime.now
    yield* repo.startEnrolment(account.id, yield* box.seal(secret))
    const codes: Array<string> = []
    while (codes.length < RECOVERY_CODE_COUNT) {
      const code = recoveryCodeFromBytes(yield* secrets.randomBytes(RECOVERY_CODE_BYTES))
      if (!codes.includes(code)) codes.push(code)
    }
    const hashes = yield* Effect.forEach(codes, (code) =>
      secrets.keyedHash("recovery_code", `${account.id}:${normalizeRecoveryCode(code)!}`))
    yield* repo.completeEnrolment(account.id, { step: 0, at, recoveryCodeHashes: hashes })
    return codes
  })
