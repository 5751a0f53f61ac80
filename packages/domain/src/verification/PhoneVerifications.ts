import { Context, DateTime, Duration, Effect, Either, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import { PhoneAlreadyUsed, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { EmailSender } from "../channels/EmailSender.js"
import { SmsSender } from "../channels/SmsSender.js"
import { maskPhone } from "../accounts/LifecyclePolicy.js"
import { phoneChangedEmail } from "../accounts/LifecycleTexts.js"
import { Secrets } from "../shared/Secrets.js"
import { Transactor } from "../shared/Transactor.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import {
  AddressNotVerifiedYet,
  InvalidPhoneNumber,
  PhoneCountryNotAllowed,
  SmsBudgetReached,
  SmsNotSent
} from "../channels/PhoneErrors.js"
import { judgeVerificationSms, smsCountryAllowed, VerificationSmsSettings } from "../channels/VerificationSms.js"
import { VerificationSmsRepo } from "../channels/VerificationSmsRepo.js"
import { PhoneNumbers } from "../channels/PhoneNumbers.js"
import { PhoneCodeSent } from "./PhoneVerification.js"
import {
  codeExpiry,
  judgeCodeAttempt,
  mayIssueCode,
  phoneCodeFromRandom,
  phoneCodeRules
} from "../channels/OneTimeCodes.js"
import {
  type CodeAlreadyUsed,
  type CodeExpired,
  type CodeLocked,
  NoPendingCode,
  type TooManyCodeRequests,
  type WrongCode
} from "../channels/CodeErrors.js"
import { VerificationRepo } from "./VerificationRepo.js"

type Acting = Unauthenticated | AccountSuspended

/**
 * Verifying the actor's phone by a 6-digit SMS code (10 minutes, 5 tries, single use, rate-limited).
 * Codes go only to French mobiles (or SMS_ALLOWED_COUNTRIES), within daily budgets per account, per
 * client address and for the platform, and at most 2 before the account has a verified address.
 */
export class PhoneVerifications extends Context.Tag("@vigie/domain/PhoneVerifications")<
  PhoneVerifications,
  {
    /** `clientAddress`: the caller's address as the server trusts it (for the per-address budget). */
    readonly requestCode: (
      actor: Actor,
      typed: string,
      clientAddress: string
    ) => Effect.Effect<
      PhoneCodeSent,
      | Acting
      | InvalidPhoneNumber
      | PhoneCountryNotAllowed
      | PhoneAlreadyUsed
      | TooManyCodeRequests
      | SmsBudgetReached
      | AddressNotVerifiedYet
      | SmsNotSent
    >
    readonly confirmCode: (
      actor: Actor,
      typed: string
    ) => Effect.Effect<
      Account,
      Acting | NoPendingCode | WrongCode | CodeLocked | CodeExpired | CodeAlreadyUsed | PhoneAlreadyUsed
    >
  }
>() {}

export const make = Effect.gen(function*() {
  const accounts = yield* AccountRepo
  const verifications = yield* VerificationRepo
  const phones = yield* PhoneNumbers
  const sms = yield* SmsSender
  const email = yield* EmailSender
  const secrets = yield* Secrets
  const tx = yield* Transactor
  const memberships = yield* MembershipRepo
  const ledger = yield* VerificationSmsRepo
  const limits = yield* VerificationSmsSettings

  const now = DateTime.now

  const requestCode: PhoneVerifications["Type"]["requestCode"] = (actor, typed, clientAddress) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const phone = yield* Effect.flatMap(
        phones.normalize(typed),
        Option.match({
          onNone: () => Effect.fail(new InvalidPhoneNumber()),
          onSome: Effect.succeed
        })
      )
      const country = Option.getOrUndefined(yield* phones.country(phone))
      if (!smsCountryAllowed(country, limits)) return yield* new PhoneCountryNotAllowed({ country: country ?? "" })
      const owner = yield* accounts.findByPhone(phone)
      if (Option.isSome(owner) && owner.value.id !== account.id) return yield* new PhoneAlreadyUsed()
      const addressVerified = (yield* memberships.listByAccount(account.id)).some((m) => m.status === "verified")
      const clientKey = yield* secrets.keyedHash("sms_client", clientAddress)
      const bytes = yield* secrets.randomBytes(4)
      const code = phoneCodeFromRandom(new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0))
      const codeHash = yield* secrets.keyedHash("phone_code", `${phone}:${code}`)
      // Every limit is checked and the code stored under one lock (the platform's budget is shared by
      // all), committed before the SMS leaves: no connection waits on the provider. A send that fails
      // leaves a code nobody received; it still counts against the limits.
      const expiresAt = yield* tx.transaction(Effect.gen(function*() {
        yield* tx.lock("verification_sms", "platform")
        const at = yield* now
        const sends = yield* verifications.phoneSends(
          account.id,
          DateTime.subtractDuration(at, phoneCodeRules.sendWindow)
        )
        yield* Either.match(mayIssueCode(phoneCodeRules, sends, at), { onLeft: Effect.fail, onRight: () =>
          Effect.void })
        const counts = yield* ledger.counts({ accountId: account.id, clientKey,
          since: DateTime.subtractDuration(at, Duration.days(1)) })
        const judged = judgeVerificationSms(counts, limits, addressVerified)
        if (Either.isLeft(judged)) {
          if (judged.left._tag === "SmsBudgetReached") {
            yield* Effect.logError("verification SMS budget reached").pipe(
              Effect.annotateLogs({ budget: judged.left.budget, limit: judged.left.limit, accountId: account.id })
            )
          }
          return yield* judged.left
        }
        const expiresAt = codeExpiry(phoneCodeRules, at)
        yield* verifications.insertPhone({ accountId: account.id, phone, codeHash, createdAt: at, expiresAt })
        yield* ledger.record({ accountId: account.id, clientKey, purpose: "phone_code", at })
        return expiresAt
      }))
      yield* sms.send({
        text:
          `Vigie : votre code de vérification est ${code}. Il expire dans 10 minutes. Ne le communiquez à personne.`,
        destinations: [phone]
      }).pipe(
        Effect.catchTags({
          SmsRejected: () => Effect.fail(new InvalidPhoneNumber()),
          SmsUnavailable: () => Effect.fail(new SmsNotSent())
        })
      )
      return new PhoneCodeSent({ phone, expiresAt })
    }).pipe(Effect.withSpan("PhoneVerifications.requestCode"))

  const confirmCode: PhoneVerifications["Type"]["confirmCode"] = (actor, typed) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      // One transaction with the code's row locked: concurrent tries are counted one after the other.
      const result = yield* tx.transaction(Effect.gen(function*() {
        const latest = yield* verifications.latestPhone(account.id)
        if (Option.isNone(latest)) return yield* new NoPendingCode()
        const { codeHash, verification } = latest.value
        const cleaned = typed.replace(/\s/g, "")
        const matches = /^[0-9]{6}$/.test(cleaned) &&
          secrets.equal(yield* secrets.keyedHash("phone_code", `${verification.phone}:${cleaned}`), codeHash)
        const at = yield* now
        const outcome = judgeCodeAttempt(phoneCodeRules, verification, matches, at)
        if (outcome._tag === "Rejected") {
          if (outcome.attempts !== verification.attempts || outcome.status !== verification.status) {
            yield* verifications.recordPhoneAttempt(verification.id, outcome.attempts, outcome.status)
          }
          // Returned, not failed: the counted try must commit.
          return Either.left(outcome.error)
        }
        yield* verifications.recordPhoneAttempt(verification.id, outcome.attempts, outcome.status)
        yield* accounts.setPhoneVerified(account.id, verification.phone)
        return Either.right(yield* Effect.flatMap(accounts.findById(account.id), Effect.orDie))
      }))
      const confirmed = yield* result
      // A verified number replaced by another: the owner is told by e-mail (after the commit), so that
      // a change they did not make does not go unnoticed. A failed e-mail changes nothing.
      const previous = account.phoneVerified ? account.phone : Option.none()
      if (
        Option.isSome(previous) && Option.isSome(account.email) && Option.isSome(confirmed.phone) &&
        confirmed.phone.value !== previous.value
      ) {
        yield* email.send([{ to: account.email.value,
          ...phoneChangedEmail(account.firstName, maskPhone(confirmed.phone.value)) }]).pipe(
            Effect.catchAll((error) => Effect.logWarning("phone change notice not sent", error))
          )
      }
      return confirmed
    }).pipe(Effect.withSpan("PhoneVerifications.confirmCode"))

  return PhoneVerifications.of({ requestCode, confirmCode })
})

export const layer = Layer.effect(PhoneVerifications, make)
