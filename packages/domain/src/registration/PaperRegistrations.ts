import { Context, DateTime, Duration, Effect, Either, Layer, Option, Redacted } from "effect"
import { PhoneAlreadyUsed, Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import type { EmailAlreadyUsed } from "../accounts/AccountErrors.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { CommonPasswords } from "../accounts/CommonPasswords.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { Me } from "../accounts/Me.js"
import { checkNewPassword } from "../accounts/NewPassword.js"
import { openSession } from "../accounts/OpenSession.js"
import { SessionRepo } from "../accounts/SessionRepo.js"
import { Sessions } from "../accounts/Sessions.js"
import type { CommonPassword } from "../accounts/PasswordErrors.js"
import { PasswordHasher } from "../accounts/PasswordHasher.js"
import type { WeakPassword } from "../accounts/SessionErrors.js"
import {
  type CodeAlreadyUsed,
  type CodeExpired,
  type CodeLocked,
  NoPendingCode,
  type WrongCode
} from "../channels/CodeErrors.js"
import {
  activationLetterRules,
  codeExpiry,
  judgeCodeAttempt,
  mayIssueCode,
  phoneCodeFromRandom,
  phoneCodeRules
} from "../channels/OneTimeCodes.js"
import { InvalidPhoneNumber, PhoneCountryNotAllowed } from "../channels/PhoneErrors.js"
import { PhoneNumbers } from "../channels/PhoneNumbers.js"
import { SmsSender } from "../channels/SmsSender.js"
import { judgeVerificationSms, smsCountryAllowed, VerificationSmsSettings } from "../channels/VerificationSms.js"
import { VerificationSmsRepo } from "../channels/VerificationSmsRepo.js"
import type { CommunityId } from "../communities/Community.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import type { HomeAddress } from "../membership/Membership.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { verifyMembership } from "../membership/VerifiedMembership.js"
import { Secrets } from "../shared/Secrets.js"
import type { Email, PhoneE164 } from "../shared/Text.js"
import { Transactor } from "../shared/Transactor.js"
import { vouchMethod } from "../verification/Activation.js"
import {
  ACTIVATION_CODE_BYTES,
  activationCodeFromBytes,
  normalizeActivationCode
} from "../verification/ActivationCode.js"
import { PostalMailer } from "../verification/PostalMailer.js"
import { VerificationRepo } from "../verification/VerificationRepo.js"
import { AccountClaimRequested, type ClaimChannel, PaperNeighbourRegistered } from "./PaperRegistration.js"
import { PaperConsentMissing } from "./PaperRegistrationErrors.js"
import { PaperRegistrationRepo } from "./PaperRegistrationRepo.js"
import { AddressOutsideCommune } from "./RegistrationErrors.js"

type Acting = Unauthenticated | AccountSuspended

export interface PaperNeighbour {
  readonly communityId: CommunityId
  readonly firstName: string
  readonly lastName: string
  readonly address: HomeAddress
  readonly phone: string
  readonly consent: boolean
  /**
   * « Appel vocal pour les alertes urgentes », ticked on the form: the neighbour's `voiceUrgent`
   * preference, set in the registration's transaction (absent: not chosen). A landline attested by
   * the signed form may be called, never sent an SMS.
   */
  readonly voiceUrgent?: boolean | undefined
}

export interface AccountClaim {
  readonly phone: string
  readonly code: string
  readonly email: Email
  readonly password: Redacted.Redacted<string>
}

/** The hash label of claim codes: a phone-verification code of the same number never passes as one. */
const CLAIM_CODE = "account_claim" as const

/** The hash label of claim codes sent by letter: an activation letter's code never passes as one. */
const CLAIM_LETTER_CODE = "account_claim_letter" as const

/**
 * Claim letters follow the activation letters' rules: valid 30 days, 5 tries, at most 3 letters per
 * 30 days for one account (a letter costs money and a newer one supersedes the pending one).
 */
export const claimLetterRules = activationLetterRules

/**
 * Neighbours without internet. A référent of the quartier or a mairie agent of its commune registers
 * one from a signed paper form (name, address, phone, consent); the registration vouches for the
 * address in the same transaction, through the one path of every verification. The account has no
 * e-mail and no password. Later the neighbour claims it: a 6-digit code by SMS to the registered
 * mobile (the phone-code rules: 10 minutes, 5 tries, 5 a day, one a minute, within the verification
 * SMS budgets), or a 10-character code by letter to the registered home address (the activation
 * letters' rules: 30 days, 5 tries, 3 letters per 30 days), then an e-mail and a password of their choice.
 */
export class PaperRegistrations extends Context.Tag("@vigie/domain/PaperRegistrations")<
  PaperRegistrations,
  {
    readonly register: (
      actor: Actor,
      neighbour: PaperNeighbour
    ) => Effect.Effect<
      PaperNeighbourRegistered,
      | Acting
      | Forbidden
      | CommunityNotFound
      | PaperConsentMissing
      | AddressOutsideCommune
      | InvalidPhoneNumber
      | PhoneCountryNotAllowed
      | PhoneAlreadyUsed
    >
    /**
     * `clientAddress`: the caller's address as the server trusts it (for the per-address SMS budget);
     * `by`: the code by SMS to the registered mobile (the default) or by letter to the registered home.
     */
    readonly requestClaim: (
      typed: string,
      clientAddress: string,
      by?: ClaimChannel
    ) => Effect.Effect<AccountClaimRequested, InvalidPhoneNumber>
    /** The account claimed and a session opened for it (the neighbour is signed in). */
    readonly claim: (
      claim: AccountClaim
    ) => Effect.Effect<
      { readonly token: Redacted.Redacted<string>; readonly me: Me },
      | WeakPassword
      | CommonPassword
      | InvalidPhoneNumber
      | NoPendingCode
      | WrongCode
      | CodeLocked
      | CodeExpired
      | CodeAlreadyUsed
      | EmailAlreadyUsed
    >
  }
>() {}

export const make = Effect.gen(function*() {
  const accounts = yield* AccountRepo
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const directory = yield* CommuneDirectory
  const verifications = yield* VerificationRepo
  const paper = yield* PaperRegistrationRepo
  const phones = yield* PhoneNumbers
  const sms = yield* SmsSender
  const secrets = yield* Secrets
  const hasher = yield* PasswordHasher
  const commonPasswords = yield* CommonPasswords
  const ledger = yield* VerificationSmsRepo
  const limits = yield* VerificationSmsSettings
  const tx = yield* Transactor
  const sessions = yield* Sessions
  const sessionRepo = yield* SessionRepo
  const mailer = yield* PostalMailer

  const now = DateTime.now

  const register: PaperRegistrations["Type"]["register"] = (actor, neighbour) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const found = yield* communities.findById(neighbour.communityId)
      if (Option.isNone(found) || found.value.status !== "active") {
        return yield* new CommunityNotFound({ communityId: neighbour.communityId })
      }
      const community = found.value
      // The same people who may vouch for a member: a verified référent of this quartier, an agent of its commune.
      const method = vouchMethod(account, yield* memberships.listByAccount(account.id), community)
      if (method === undefined) return yield* new Forbidden({ action: "register_paper_neighbour" })
      if (!neighbour.consent) return yield* new PaperConsentMissing()
      const commune = yield* directory.findByInsee(community.insee)
      if (Option.isNone(commune) || !commune.value.postcodes.includes(neighbour.address.postcode)) {
        return yield* new AddressOutsideCommune({ postcode: neighbour.address.postcode, insee: community.insee })
      }
      const classified = yield* phones.classify(neighbour.phone)
      if (Option.isNone(classified)) return yield* new InvalidPhoneNumber()
      const { kind, phone } = classified.value
      if (kind === "mobile") {
        const country = Option.getOrUndefined(yield* phones.country(phone))
        if (!smsCountryAllowed(country, limits)) return yield* new PhoneCountryNotAllowed({ country: country ?? "" })
      }
      if (Option.isSome(yield* accounts.findByPhone(phone))) return yield* new PhoneAlreadyUsed()
      return yield* tx.transaction(Effect.gen(function*() {
        const at = yield* now
        // Trust: the signed form, taken by a référent or an agent, attests the mobile as the address.
        const created = yield* accounts.insert({
          firstName: neighbour.firstName,
          lastName: neighbour.lastName,
          email: Option.none(),
          phone: Option.some(phone),
          phoneVerified: kind === "mobile",
          passwordHash: Option.none(),
          staffRoles: []
        }).pipe(Effect.catchTag("EmailAlreadyUsed", Effect.die))
        const membership = yield* memberships.insert({
          accountId: created.id,
          communityId: community.id,
          role: "resident",
          status: "pending_verification",
          address: neighbour.address
        }).pipe(Effect.orDie)
        yield* verifications.insertAddress({
          membershipId: membership.id,
          method,
          codeHash: Option.none(),
          status: "used",
          createdAt: at,
          expiresAt: at,
          vouchedBy: Option.some(account.id)
        })
        const verified = yield* verifyMembership(membership).pipe(Effect.provideService(MembershipRepo, memberships))
        yield* paper.record({
          accountId: created.id,
          membershipId: verified.id,
          recordedBy: account.id,
          recordedAt: at,
          phoneKind: kind,
          // Recorded with the registration, in its transaction (the other choices stay the defaults).
          voiceUrgent: neighbour.voiceUrgent === true
        })
        const voiceAlerts = neighbour.voiceUrgent === true
        return new PaperNeighbourRegistered({
          accountId: created.id,
          membershipId: verified.id,
          communityId: community.id,
          phoneKind: kind,
          smsAlerts: kind === "mobile",
          voiceAlerts
        })
      }))
    }).pipe(Effect.withSpan("PaperRegistrations.register"))

  const answer = new AccountClaimRequested({
    channel: "sms",
    validMinutes: Math.round(Duration.toMinutes(phoneCodeRules.validity))
  })

  const letterAnswer = new AccountClaimRequested({
    channel: "letter",
    validMinutes: Math.round(Duration.toMinutes(claimLetterRules.validity))
  })

  /** Any valid number, a landline included (a letter's code may go with either). */
  const anyPhone = (typed: string) =>
    Effect.flatMap(
      phones.classify(typed),
      Option.match({ onNone: () => Effect.fail(new InvalidPhoneNumber()), onSome: (c) => Effect.succeed(c.phone) })
    )

  /** A letter to the registered home of the paper neighbour whose phone is `phone`, if any, within its budget. */
  const requestClaimLetter = (phone: PhoneE164) =>
    Effect.gen(function*() {
      const owner = yield* paper.unclaimedForLetter(phone)
      // An unknown number gets the same answer: nobody learns who was registered on paper.
      if (Option.isNone(owner)) return letterAnswer
      const { accountId, membershipId } = owner.value
      const account = yield* Effect.flatMap(accounts.findById(accountId), Effect.orDie)
      const membership = yield* Effect.flatMap(memberships.findById(membershipId), Effect.orDie)
      const community = yield* Effect.flatMap(communities.findById(membership.communityId), Effect.orDie)
      const commune = yield* directory.findByInsee(community.insee)
      const code = activationCodeFromBytes(yield* secrets.randomBytes(ACTIVATION_CODE_BYTES))
      const codeHash = yield* secrets.keyedHash(CLAIM_LETTER_CODE, `${accountId}:${code}`)
      // The count, the decision, the code and the letter under the account's lock: concurrent requests
      // are counted one after the other, and a letter that cannot be written does not count.
      yield* tx.transaction(Effect.gen(function*() {
        yield* tx.lock("account_claim_letters", accountId)
        const at = yield* now
        const sends = yield* paper.claimLetterSends(
          accountId,
          DateTime.subtractDuration(at, claimLetterRules.sendWindow)
        )
        const allowed = mayIssueCode(claimLetterRules, sends, at)
        if (Either.isLeft(allowed)) {
          return yield* Effect.logWarning("account claim letter refused by the letter budget").pipe(
            Effect.annotateLogs({ accountId })
          )
        }
        const expiresAt = codeExpiry(claimLetterRules, at)
        yield* paper.insertClaimLetter({ accountId, codeHash, createdAt: at, expiresAt })
        yield* mailer.send({
          kind: "account_claim",
          recipientName: `${account.firstName} ${account.lastName}`,
          address: membership.address,
          communityName: community.name,
          communeName: Option.match(commune, { onNone: () => membership.address.city, onSome: (c) => c.name }),
          code,
          expiresAt
        })
      })).pipe(
        // Told to nobody: the answer must not say that the number is registered.
        Effect.catchTag("PostalUnavailable", (error) => Effect.logWarning("account claim letter not written", error))
      )
      return letterAnswer
    })

  const requestClaim: PaperRegistrations["Type"]["requestClaim"] = (typed, clientAddress, by = "sms") =>
    Effect.gen(function*() {
      if (by === "letter") return yield* requestClaimLetter(yield* anyPhone(typed))
      const phone = yield* Effect.flatMap(
        phones.normalize(typed),
        Option.match({ onNone: () => Effect.fail(new InvalidPhoneNumber()), onSome: Effect.succeed })
      )
      const owner = yield* paper.unclaimedByPhone(phone)
      // An unknown number gets the same answer: nobody learns who was registered on paper.
      if (Option.isNone(owner)) return answer
      const accountId = owner.value
      const clientKey = yield* secrets.keyedHash("sms_client", clientAddress)
      const bytes = yield* secrets.randomBytes(4)
      const code = phoneCodeFromRandom(new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0))
      const codeHash = yield* secrets.keyedHash(CLAIM_CODE, `${phone}:${code}`)
      // The limits of phone codes, checked and the code stored under the lock of verification SMS.
      const issued = yield* tx.transaction(Effect.gen(function*() {
        yield* tx.lock("verification_sms", "platform")
        const at = yield* now
        const sends = yield* verifications.phoneSends(
          accountId,
          DateTime.subtractDuration(at, phoneCodeRules.sendWindow)
        )
        const allowed = mayIssueCode(phoneCodeRules, sends, at)
        if (Either.isLeft(allowed)) return false
        const counts = yield* ledger.counts({ accountId, clientKey,
          since: DateTime.subtractDuration(at, Duration.days(1)) })
        const judged = judgeVerificationSms(counts, limits, true)
        if (Either.isLeft(judged)) {
          yield* Effect.logWarning("account claim code refused by the verification SMS budgets").pipe(
            Effect.annotateLogs({ reason: judged.left._tag, accountId })
          )
          return false
        }
        yield* verifications.insertPhone({ accountId, phone, codeHash, createdAt: at,
          expiresAt: codeExpiry(phoneCodeRules, at) })
        yield* ledger.record({ accountId, clientKey, purpose: "phone_code", at })
        return true
      }))
      if (issued) {
        yield* sms.send({
          text: `Vigie : votre code pour créer votre accès en ligne est ${code}. Il expire dans 10 minutes. ` +
            `Ne le communiquez à personne.`,
          destinations: [phone]
        }).pipe(Effect.catchAll((error) => Effect.logWarning("account claim code not sent", error)))
      }
      return answer
    }).pipe(Effect.withSpan("PaperRegistrations.requestClaim"))

  const claim: PaperRegistrations["Type"]["claim"] = (input) =>
    Effect.gen(function*() {
      yield* checkNewPassword(input.password).pipe(Effect.provideService(CommonPasswords, commonPasswords))
      // A mobile as SMS codes read it, or else a landline (whose code came by letter).
      const phone = yield* Effect.flatMap(
        phones.normalize(input.phone),
        Option.match({ onNone: () => anyPhone(input.phone), onSome: Effect.succeed })
      )
      // A landline neighbour's phone is not verified: only a letter's code can claim their account.
      const owner = yield* Effect.flatMap(
        paper.unclaimedByPhone(phone),
        Option.match({
          onSome: (id) => Effect.succeed(Option.some(id)),
          onNone: () => Effect.map(paper.unclaimedForLetter(phone), Option.map((found) => found.accountId))
        })
      )
      if (Option.isNone(owner)) return yield* new NoPendingCode()
      const accountId = owner.value
      const cleaned = input.code.replace(/\s/g, "")
      const smsShaped = /^[0-9]{6}$/.test(cleaned)
      // Hashed before the code's row is locked: no lock waits on Argon2.
      const passwordHash = yield* hasher.hash(input.password)
      // One transaction with the code's row locked: concurrent tries are counted one after the other.
      const result = yield* tx.transaction(Effect.gen(function*() {
        // Six digits are an SMS code; anything else is read as a letter's code when a letter was sent.
        const letter = smsShaped ? Option.none() : yield* paper.latestClaimLetter(accountId)
        if (Option.isSome(letter)) {
          const stored = letter.value
          const normalized = normalizeActivationCode(input.code)
          const matches = normalized !== undefined &&
            secrets.equal(yield* secrets.keyedHash(CLAIM_LETTER_CODE, `${accountId}:${normalized}`), stored.codeHash)
          const outcome = judgeCodeAttempt(claimLetterRules, stored, matches, yield* now)
          if (outcome._tag === "Rejected") {
            if (outcome.attempts !== stored.attempts || outcome.status !== stored.status) {
              yield* paper.recordClaimLetterAttempt(stored.id, outcome.attempts, outcome.status)
            }
            // Returned, not failed: the counted try must commit.
            return Either.left(outcome.error)
          }
          yield* paper.recordClaimLetterAttempt(stored.id, outcome.attempts, outcome.status)
          const claimedByLetter = yield* paper.claim(accountId, input.email, passwordHash, yield* now)
          return claimedByLetter ? Either.right(accountId) : Either.left(new NoPendingCode())
        }
        const latest = yield* verifications.latestPhone(accountId)
        if (Option.isNone(latest)) return yield* new NoPendingCode()
        const { codeHash, verification } = latest.value
        const matches = smsShaped &&
          secrets.equal(yield* secrets.keyedHash(CLAIM_CODE, `${verification.phone}:${cleaned}`), codeHash)
        const outcome = judgeCodeAttempt(phoneCodeRules, verification, matches, yield* now)
        if (outcome._tag === "Rejected") {
          if (outcome.attempts !== verification.attempts || outcome.status !== verification.status) {
            yield* verifications.recordPhoneAttempt(verification.id, outcome.attempts, outcome.status)
          }
          // Returned, not failed: the counted try must commit.
          return Either.left(outcome.error)
        }
        yield* verifications.recordPhoneAttempt(verification.id, outcome.attempts, outcome.status)
        // A taken e-mail fails the whole transaction: the code stays usable with another address.
        const claimed = yield* paper.claim(accountId, input.email, passwordHash, yield* now)
        return claimed ? Either.right(accountId) : Either.left(new NoPendingCode())
      }))
      yield* result
      // Signed in at once, as an accepted staff invitation is: a new session, stored hashed.
      const account = yield* Effect.flatMap(accounts.findById(accountId), Effect.orDie)
      const opened = yield* openSession(accountId, yield* now).pipe(
        Effect.provideService(SessionRepo, sessionRepo),
        Effect.provideService(Secrets, secrets)
      )
      const me = yield* sessions.whoAmI({ _tag: "Authenticated", account, sessionId: opened.session.id }).pipe(
        Effect.orDie
      )
      return { token: opened.token, me }
    }).pipe(Effect.withSpan("PaperRegistrations.claim"))

  return PaperRegistrations.of({ register, requestClaim, claim })
})

export const layer = Layer.effect(PaperRegistrations, make)
