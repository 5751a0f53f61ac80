import { Context, DateTime, Duration, Effect, Either, Encoding, Layer, Option } from "effect"
import type { Redacted } from "effect"
import { EmailSender } from "../channels/EmailSender.js"
import { SmsSender } from "../channels/SmsSender.js"
import { Secrets } from "../shared/Secrets.js"
import type { Email, PhoneE164 } from "../shared/Text.js"
import { Transactor } from "../shared/Transactor.js"
import { InvalidPhoneNumber } from "../channels/PhoneErrors.js"
import { PhoneNumbers } from "../channels/PhoneNumbers.js"
import { phoneCodeFromRandom } from "../channels/OneTimeCodes.js"
import { judgeVerificationSms, VerificationSmsSettings } from "../channels/VerificationSms.js"
import { VerificationSmsRepo } from "../channels/VerificationSmsRepo.js"
import type { AccountId } from "./Account.js"
import { AccountRepo } from "./AccountRepo.js"
import { LinkNotFound, WrongResetCode } from "./LifecycleErrors.js"
import type { LinkAlreadyUsed, LinkExpired, ResetCodeExpired } from "./LifecycleErrors.js"
import {
  judgeLink,
  judgeResetCode,
  LINK_TOKEN_BYTES,
  RESET_CODE_VALIDITY,
  RESET_LINK_VALIDITY,
  resetRequestQuota
} from "./LifecyclePolicy.js"
import { LifecycleRepo, type ResetChannel } from "./LifecycleRepo.js"
import { PublicUrl } from "../shared/PublicUrl.js"
import { passwordChangedEmail, resetCodeSms, resetLink, resetLinkEmail } from "./LifecycleTexts.js"
import { LoginAttemptRepo } from "./LoginAttemptRepo.js"
import { PasswordChoice } from "./PasswordChoice.js"
import type { CommonPassword } from "./PasswordErrors.js"
import type { WeakPassword } from "./SessionErrors.js"

/**
 * A forgotten password: a link by e-mail (1 hour, single use) or a 6-digit code by SMS to the
 * account's verified phone (15 minutes, 5 tries). Asking answers the same way and does the same
 * work whether the account exists or not (the same keyed hashes and statements), and the message
 * leaves after the answer. An SMS code spends the daily budgets of verification SMS (per account, per
 * address, platform-wide, under their one lock); over a budget nothing is sent, an error is logged and
 * the answer is still the same. Completing sets the new password, ends every session of the account and clears
 * its failed log-ins.
 */
/** Counted against when a number is nobody's, so that both answers do the same reads. */
const NO_ACCOUNT = "00000000-0000-0000-0000-000000000000" as AccountId

export class PasswordResets extends Context.Tag("@vigie/domain/PasswordResets")<
  PasswordResets,
  {
    readonly requestByEmail: (email: Email) => Effect.Effect<void>
    /**
     * `clientAddress`: the caller's address as the server trusts it. The code spends the budgets of
     * verification SMS (per account, per address, platform-wide); over one, nothing is sent and the
     * answer is the same.
     */
    readonly requestBySms: (typedPhone: string, clientAddress: string) => Effect.Effect<void, InvalidPhoneNumber>
    readonly completeWithLink: (
      token: string,
      password: Redacted.Redacted<string>
    ) => Effect.Effect<void, WeakPassword | CommonPassword | LinkNotFound | LinkExpired | LinkAlreadyUsed>
    readonly completeWithCode: (
      typedPhone: string,
      code: string,
      password: Redacted.Redacted<string>
    ) => Effect.Effect<void, InvalidPhoneNumber | WeakPassword | CommonPassword | WrongResetCode | ResetCodeExpired>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* LifecycleRepo
  const accounts = yield* AccountRepo
  const attempts = yield* LoginAttemptRepo
  const choice = yield* PasswordChoice
  const phones = yield* PhoneNumbers
  const secrets = yield* Secrets
  const email = yield* EmailSender
  const sms = yield* SmsSender
  const tx = yield* Transactor
  const publicUrl = yield* PublicUrl
  const ledger = yield* VerificationSmsRepo
  const smsLimits = yield* VerificationSmsSettings

  const now = DateTime.now

  /** Sent after the answer, so that its time (the provider's) says nothing about the account. */
  const inBackground = (send: Effect.Effect<unknown, unknown>, what: string) =>
    Effect.asVoid(Effect.forkDaemon(send.pipe(
      Effect.catchAllCause((cause) => Effect.logWarning(`${what} not sent`, cause)),
      Effect.withSpan(`PasswordResets.${what}`)
    )))

  const tellOwner = (accountId: AccountId) =>
    inBackground(
      Effect.gen(function*() {
        const account = yield* accounts.findById(accountId)
        if (Option.isNone(account) || Option.isNone(account.value.email)) return
        const text = passwordChangedEmail(account.value.firstName, publicUrl)
        yield* email.send([{ to: account.value.email.value, ...text }])
      }),
      "passwordChangedNotice"
    )

  const issue = (channel: ResetChannel, hashInput: string, validity: typeof RESET_LINK_VALIDITY) =>
    Effect.gen(function*() {
      const at = yield* now
      const secretHash = yield* secrets.keyedHash("password_reset", hashInput)
      return yield* repo.issueReset({
        channel,
        secretHash,
        createdAt: at,
        expiresAt: DateTime.addDuration(at, validity),
        quota: resetRequestQuota
      })
    })

  const requestByEmail: PasswordResets["Type"]["requestByEmail"] = (address) =>
    Effect.gen(function*() {
      const token = Encoding.encodeBase64Url(yield* secrets.randomBytes(LINK_TOKEN_BYTES))
      const issued = yield* issue({ _tag: "Email", email: address }, token, RESET_LINK_VALIDITY)
      if (Option.isNone(issued)) return
      const text = resetLinkEmail(issued.value.firstName, resetLink(publicUrl, token))
      yield* inBackground(email.send([{ to: address, ...text }]), "resetLink")
    }).pipe(Effect.withSpan("PasswordResets.requestByEmail"))

  const normalize = (typed: string) =>
    Effect.flatMap(
      phones.normalize(typed),
      Option.match({
        onNone: () => Effect.fail(new InvalidPhoneNumber()),
        onSome: (phone: PhoneE164) => Effect.succeed(phone)
      })
    )

  const requestBySms: PasswordResets["Type"]["requestBySms"] = (typed, clientAddress) =>
    Effect.gen(function*() {
      const phone = yield* normalize(typed)
      const bytes = yield* secrets.randomBytes(4)
      const code = phoneCodeFromRandom(new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0))
      const secretHash = yield* secrets.keyedHash("password_reset", `${phone}:${code}`)
      const clientKey = yield* secrets.keyedHash("sms_client", clientAddress)
      // Under the lock of the verification SMS budgets (shared with phone codes): the budgets are
      // read, the reset stored and the SMS counted in one transaction. The same reads whether the
      // number is an account's or not; only an SMS that will leave is counted.
      const issued = yield* tx.transaction(Effect.gen(function*() {
        yield* tx.lock("verification_sms", "platform")
        const at = yield* now
        const owner = Option.filter(yield* accounts.findByPhone(phone), (a) => a.phoneVerified && a.status !== "erased")
        const accountId = Option.match(owner, { onNone: () => NO_ACCOUNT, onSome: (a) => a.id })
        const counts = yield* ledger.counts({ accountId, clientKey,
          since: DateTime.subtractDuration(at, Duration.days(1)) })
        const judged = judgeVerificationSms(counts, smsLimits, true)
        if (Either.isLeft(judged)) {
          if (judged.left._tag === "SmsBudgetReached") {
            yield* Effect.logError("verification SMS budget reached").pipe(
              Effect.annotateLogs({ budget: judged.left.budget, limit: judged.left.limit, purpose: "password_reset" })
            )
          }
          return Option.none()
        }
        const issued = yield* repo.issueReset({
          channel: { _tag: "Sms", phone },
          secretHash,
          createdAt: at,
          expiresAt: DateTime.addDuration(at, RESET_CODE_VALIDITY),
          quota: resetRequestQuota
        })
        if (Option.isSome(issued)) {
          yield* ledger.record({ accountId: issued.value.accountId, clientKey, purpose: "password_reset", at })
        }
        return issued
      }))
      if (Option.isNone(issued)) return
      yield* inBackground(sms.send({ text: resetCodeSms(code), destinations: [phone] }), "resetCode")
    }).pipe(Effect.withSpan("PasswordResets.requestBySms"))

  /** The new password in place: every session ended, failed log-ins forgotten. Inside the transaction. */
  const setPassword = (accountId: AccountId, passwordHash: string) =>
    Effect.gen(function*() {
      yield* repo.setPasswordHash(accountId, passwordHash)
      yield* repo.endSessions(accountId, Option.none())
      const account = yield* accounts.findById(accountId)
      if (Option.isSome(account) && Option.isSome(account.value.email)) {
        yield* attempts.clear(yield* secrets.keyedHash("login_key", account.value.email.value))
      }
    })

  const completeWithLink: PasswordResets["Type"]["completeWithLink"] = (token, password) =>
    Effect.gen(function*() {
      const hash = yield* secrets.keyedHash("password_reset", token)
      const judge = (
        found: Option.Option<
          { readonly status: "pending" | "used" | "superseded" | "locked"; readonly expiresAt: DateTime.Utc }
        >,
        at: DateTime.Utc
      ) =>
        Option.isNone(found)
          ? Effect.fail(new LinkNotFound())
          : Either.match(
            judgeLink({ ...found.value, status: found.value.status === "locked" ? "used" : found.value.status }, at),
            {
              onLeft: Effect.fail,
              onRight: () => Effect.void
            }
          )
      // A first look without a lock, so that a dead link costs no Argon2 hash.
      yield* judge(yield* repo.findLinkReset(hash, false), yield* now)
      const passwordHash = yield* choice.accept(password)
      const accountId = yield* tx.transaction(Effect.gen(function*() {
        const found = yield* repo.findLinkReset(hash, true)
        const at = yield* now
        yield* judge(found, at)
        const reset = Option.getOrThrow(found)
        yield* repo.useReset(reset.id, reset.accountId, at)
        yield* setPassword(reset.accountId, passwordHash)
        return reset.accountId
      }))
      yield* tellOwner(accountId)
    }).pipe(Effect.withSpan("PasswordResets.completeWithLink"))

  const completeWithCode: PasswordResets["Type"]["completeWithCode"] = (typedPhone, code, password) =>
    Effect.gen(function*() {
      const phone = yield* normalize(typedPhone)
      const cleaned = code.replace(/\s/g, "")
      const hash = yield* secrets.keyedHash("password_reset", `${phone}:${cleaned}`)
      // Hashed whether the number is known or not: both answers cost one Argon2 hash.
      const passwordHash = yield* choice.accept(password)
      const result = yield* tx.transaction(Effect.gen(function*() {
        const latest = yield* repo.latestCodeReset(phone)
        if (Option.isNone(latest)) return Either.left(new WrongResetCode())
        const reset = latest.value
        const matches = /^[0-9]{6}$/.test(cleaned) && secrets.equal(hash, reset.secretHash)
        const at = yield* now
        const outcome = judgeResetCode(reset, matches, at)
        if (outcome._tag === "Rejected") {
          if (outcome.attempts !== reset.attempts || outcome.status !== reset.status) {
            yield* repo.recordResetAttempt(reset.id, outcome.attempts, outcome.status)
          }
          // Returned, not failed: the counted try must commit.
          return Either.left(outcome.error)
        }
        yield* repo.useReset(reset.id, reset.accountId, at)
        yield* setPassword(reset.accountId, passwordHash)
        return Either.right(reset.accountId)
      }))
      const accountId = yield* result
      yield* tellOwner(accountId)
    }).pipe(Effect.withSpan("PasswordResets.completeWithCode"))

  return PasswordResets.of({ requestByEmail, requestBySms, completeWithLink, completeWithCode })
})

export const layer = Layer.effect(PasswordResets, make)
