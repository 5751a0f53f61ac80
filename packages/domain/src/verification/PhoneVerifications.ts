import { Clock, Context, DateTime, Effect, Either, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import { PhoneAlreadyUsed, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { SmsSender } from "../delivery/SmsSender.js"
import { Secrets } from "../shared/Secrets.js"
import { Transactor } from "../shared/Transactor.js"
import { InvalidPhoneNumber, SmsNotSent } from "./PhoneErrors.js"
import { PhoneNumbers } from "./PhoneNumbers.js"
import { PhoneCodeSent } from "./PhoneRpcs.js"
import { codeExpiry, judgeCodeAttempt, mayIssueCode, phoneCodeFromRandom, phoneCodeRules } from "./VerificationPolicy.js"
import {
  type CodeAlreadyUsed,
  type CodeExpired,
  type CodeLocked,
  NoPendingCode,
  type TooManyCodeRequests,
  type WrongCode
} from "./VerificationErrors.js"
import { VerificationRepo } from "./VerificationRepo.js"

type Acting = Unauthenticated | AccountSuspended

/** Verifying the actor's phone by a 6-digit SMS code (10 minutes, 5 tries, single use, rate-limited). */
export class PhoneVerifications extends Context.Tag("@vigie/domain/PhoneVerifications")<
  PhoneVerifications,
  {
    readonly requestCode: (actor: Actor, typed: string) => Effect.Effect<PhoneCodeSent, Acting | InvalidPhoneNumber | PhoneAlreadyUsed | TooManyCodeRequests | SmsNotSent>
    readonly confirmCode: (actor: Actor, typed: string) => Effect.Effect<Account, Acting | NoPendingCode | WrongCode | CodeLocked | CodeExpired | CodeAlreadyUsed | PhoneAlreadyUsed>
  }
>() {}

export const make = Effect.gen(function*() {
  const accounts = yield* AccountRepo
  const verifications = yield* VerificationRepo
  const phones = yield* PhoneNumbers
  const sms = yield* SmsSender
  const secrets = yield* Secrets
  const tx = yield* Transactor

  const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.unsafeMake(ms))

  const requestCode: PhoneVerifications["Type"]["requestCode"] = (actor, typed) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const phone = yield* Effect.flatMap(phones.normalize(typed), Option.match({
        onNone: () => Effect.fail(new InvalidPhoneNumber()),
        onSome: Effect.succeed
      }))
      const owner = yield* accounts.findByPhone(phone)
      if (Option.isSome(owner) && owner.value.id !== account.id) return yield* new PhoneAlreadyUsed()
      const at = yield* now
      const sends = yield* verifications.phoneSends(account.id, DateTime.subtractDuration(at, phoneCodeRules.sendWindow))
      yield* Either.match(mayIssueCode(phoneCodeRules, sends, at), { onLeft: Effect.fail, onRight: () => Effect.void })
      const bytes = yield* secrets.randomBytes(4)
      const code = phoneCodeFromRandom(new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0))
      const expiresAt = codeExpiry(phoneCodeRules, at)
      // Stored (one statement, committed) before the SMS leaves: no connection waits on the provider.
      // A send that fails leaves a code nobody received; it still counts against the resend limits.
      yield* verifications.insertPhone({
        accountId: account.id,
        phone,
        codeHash: yield* secrets.keyedHash("phone_code", `${phone}:${code}`),
        createdAt: at,
        expiresAt
      })
      yield* sms.send({
        text: `Vigie : votre code de vérification est ${code}. Il expire dans 10 minutes. Ne le communiquez à personne.`,
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
      return yield* result
    }).pipe(Effect.withSpan("PhoneVerifications.confirmCode"))

  return PhoneVerifications.of({ requestCode, confirmCode })
})

export const layer = Layer.effect(PhoneVerifications, make)
