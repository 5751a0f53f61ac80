import { Context, DateTime, Effect, Either, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { CommunityId } from "../communities/Community.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import type { Community } from "../communities/Community.js"
import type { Membership, MembershipId } from "../membership/Membership.js"
import { MembershipNotFound } from "../membership/MembershipErrors.js"
import { verifyMembership, verifyMembershipById } from "../membership/VerifiedMembership.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { type PendingMember, PendingMembers } from "../membership/PendingMember.js"
import { Secrets } from "../shared/Secrets.js"
import { Transactor } from "../shared/Transactor.js"
import { ACTIVATION_CODE_BYTES, activationCodeFromBytes, normalizeActivationCode } from "./ActivationCode.js"
import { MembershipNotPending } from "./ActivationErrors.js"
import type { LetterSent } from "./ActivationCode.js"
import { LetterSent as Sent } from "./ActivationCode.js"
import type { VerificationMethod } from "./AddressVerification.js"
import { PostalMailer, type PostalUnavailable } from "./PostalMailer.js"
import { activationLetterRules, codeExpiry, judgeCodeAttempt, mayIssueCode } from "../channels/OneTimeCodes.js"
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

/** Whether `account` may vouch for members of `community`: one of its verified référents, or a mairie agent of its commune. */
export const vouchMethod = (
  account: Account,
  actorMemberships: ReadonlyArray<Membership>,
  community: Community
): VerificationMethod | undefined => {
  if (account.staffRoles.some((r) => r._tag === "MairieAgent" && r.insee === community.insee)) return "mairie_vouch"
  const referent = actorMemberships.some((m) =>
    m.communityId === community.id && m.role === "referent" && m.status === "verified"
  )
  return referent ? "referent_vouch" : undefined
}

/**
 * Proving a home address: an activation letter with a one-time code (at most 3 per 30 days, valid
 * 30 days, 5 tries, stored only as a keyed hash), or a vouch by a référent or the mairie.
 */
export class Activation extends Context.Tag("@vigie/domain/Activation")<
  Activation,
  {
    readonly requestLetter: (
      actor: Actor,
      membershipId: MembershipId
    ) => Effect.Effect<
      LetterSent,
      Acting | MembershipNotFound | MembershipNotPending | TooManyCodeRequests | PostalUnavailable
    >
    readonly confirmCode: (
      actor: Actor,
      membershipId: MembershipId,
      typed: string
    ) => Effect.Effect<
      Membership,
      | Acting
      | MembershipNotFound
      | MembershipNotPending
      | NoPendingCode
      | WrongCode
      | CodeLocked
      | CodeExpired
      | CodeAlreadyUsed
    >
    readonly listPending: (
      actor: Actor,
      communityId: CommunityId
    ) => Effect.Effect<ReadonlyArray<PendingMember>, Acting | Forbidden | CommunityNotFound>
    readonly vouch: (
      actor: Actor,
      membershipId: MembershipId
    ) => Effect.Effect<Membership, Acting | Forbidden | MembershipNotFound | MembershipNotPending>
  }
>() {}

export const make = Effect.gen(function*() {
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const directory = yield* CommuneDirectory
  const verifications = yield* VerificationRepo
  const pending = yield* PendingMembers
  const mailer = yield* PostalMailer
  const secrets = yield* Secrets
  const tx = yield* Transactor

  const now = DateTime.now

  /** One of the actor's own memberships, still pending. Others' memberships are "not found". */
  const ownPending = (account: Account, membershipId: MembershipId) =>
    Effect.gen(function*() {
      const found = yield* memberships.findById(membershipId)
      if (Option.isNone(found) || found.value.accountId !== account.id) {
        return yield* new MembershipNotFound({ membershipId })
      }
      if (found.value.status !== "pending_verification") {
        return yield* new MembershipNotPending({ membershipId, status: found.value.status })
      }
      return found.value
    })

  const requestLetter: Activation["Type"]["requestLetter"] = (actor, membershipId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const membership = yield* ownPending(account, membershipId)
      const community = yield* Effect.flatMap(communities.findById(membership.communityId), Effect.orDie)
      const commune = yield* directory.findByInsee(community.insee)
      const code = activationCodeFromBytes(yield* secrets.randomBytes(ACTIVATION_CODE_BYTES))
      const codeHash = yield* secrets.keyedHash("activation_code", code)
      // The count, the decision and the insert under the membership's lock: concurrent requests are
      // counted one after the other. The letter is written in the same transaction (a local file):
      // one that cannot be written does not count.
      const expiresAt = yield* tx.transaction(Effect.gen(function*() {
        yield* tx.lock("activation_letters", membershipId)
        // Read under the lock: an earlier holder's letter is never "in the future" of this one.
        const at = yield* now
        const expiresAt = codeExpiry(activationLetterRules, at)
        const sends = yield* verifications.addressSends(
          membershipId,
          DateTime.subtractDuration(at, activationLetterRules.sendWindow)
        )
        yield* Either.match(mayIssueCode(activationLetterRules, sends, at), { onLeft: Effect.fail, onRight: () =>
          Effect.void })
        yield* verifications.insertAddress({
          membershipId,
          method: "letter",
          codeHash: Option.some(codeHash),
          status: "pending",
          createdAt: at,
          expiresAt,
          vouchedBy: Option.none()
        })
        yield* mailer.send({
          recipientName: `${account.firstName} ${account.lastName}`,
          address: membership.address,
          communityName: community.name,
          communeName: Option.match(commune, { onNone: () => membership.address.city, onSome: (c) => c.name }),
          code,
          expiresAt
        })
        return expiresAt
      }))
      return new Sent({ membershipId, expiresAt })
    }).pipe(Effect.withSpan("Activation.requestLetter"))

  const confirmCode: Activation["Type"]["confirmCode"] = (actor, membershipId, typed) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* ownPending(account, membershipId)
      // One transaction with the letter's row locked: concurrent tries are counted one after the other.
      const result = yield* tx.transaction(Effect.gen(function*() {
        const latest = yield* verifications.latestAddress(membershipId)
        if (
          Option.isNone(latest) || latest.value.verification.method !== "letter" || Option.isNone(latest.value.codeHash)
        ) {
          return yield* new NoPendingCode()
        }
        const { codeHash, verification } = latest.value
        const normalized = normalizeActivationCode(typed)
        const matches = normalized === undefined
          ? false
          : secrets.equal(yield* secrets.keyedHash("activation_code", normalized), codeHash.value)
        const at = yield* now
        const outcome = judgeCodeAttempt(activationLetterRules, verification, matches, at)
        if (outcome._tag === "Rejected") {
          if (outcome.attempts !== verification.attempts || outcome.status !== verification.status) {
            yield* verifications.recordAddressAttempt(verification.id, outcome.attempts, outcome.status)
          }
          // Returned, not failed: the counted try must commit.
          return Either.left(outcome.error)
        }
        yield* verifications.recordAddressAttempt(verification.id, outcome.attempts, outcome.status)
        const verified = yield* verifyMembershipById(membershipId).pipe(
          Effect.flatMap(Effect.orDie),
          Effect.provideService(MembershipRepo, memberships)
        )
        return Either.right(verified)
      }))
      return yield* result
    }).pipe(Effect.withSpan("Activation.confirmCode"))

  const voucherFor = (account: Account, community: Community) =>
    Effect.gen(function*() {
      const mine = yield* memberships.listByAccount(account.id)
      const method = vouchMethod(account, mine, community)
      return method === undefined ? yield* new Forbidden({ action: "vouch" }) : method
    })

  const listPending: Activation["Type"]["listPending"] = (actor, communityId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const community = yield* communities.findById(communityId)
      if (Option.isNone(community)) return yield* new CommunityNotFound({ communityId })
      yield* voucherFor(account, community.value)
      return yield* pending.ofCommunity(communityId)
    })

  const vouch: Activation["Type"]["vouch"] = (actor, membershipId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const found = yield* memberships.findById(membershipId)
      if (Option.isNone(found)) return yield* new MembershipNotFound({ membershipId })
      const community = yield* Effect.flatMap(communities.findById(found.value.communityId), Effect.orDie)
      const method = yield* voucherFor(account, community)
      if (found.value.accountId === account.id) return yield* new Forbidden({ action: "vouch_for_self" })
      if (found.value.status !== "pending_verification") {
        return yield* new MembershipNotPending({ membershipId, status: found.value.status })
      }
      const at = yield* now
      return yield* tx.transaction(Effect.gen(function*() {
        yield* verifications.insertAddress({
          membershipId,
          method,
          codeHash: Option.none(),
          status: "used",
          createdAt: at,
          expiresAt: at,
          vouchedBy: Option.some(account.id)
        })
        return yield* verifyMembership(found.value).pipe(Effect.provideService(MembershipRepo, memberships))
      }))
    }).pipe(Effect.withSpan("Activation.vouch"))

  return Activation.of({ requestLetter, confirmCode, listPending, vouch })
})

export const layer = Layer.effect(Activation, make)
