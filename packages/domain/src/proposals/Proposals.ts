import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { Redacted } from "effect"
import type { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { Forbidden } from "../accounts/AccountErrors.js"
import { type Actor, requireAccount } from "../accounts/CurrentActor.js"
import { displayName } from "../accounts/DisplayName.js"
import { VigilantCommuneRepo } from "../administration/VigilantCommuneRepo.js"
import { perimeterProblem } from "../communities/Communities.js"
import type { InseeCode } from "../communities/Commune.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import {
  CommunityNameTaken,
  InvalidPerimeter,
  PerimeterOverlap,
  UnknownCommune
} from "../communities/CommunityErrors.js"
import type { Community } from "../communities/Community.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { Notices } from "../delivery/Notices.js"
import type { Polygon } from "../communities/GeoJson.js"
import { overlapping, sameName, streetOf } from "../mairie/QuartierPolicy.js"
import { PERIMETERS_LOCK } from "../mairie/Quartiers.js"
import type { HomeAddress } from "../membership/Membership.js"
import { TooManyCommunities } from "../membership/MembershipErrors.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { atMembershipCap, MAX_ACTIVE_MEMBERSHIPS } from "../membership/Moves.js"
import { Registration } from "../registration/Registration.js"
import { AddressOutsideCommune } from "../registration/RegistrationErrors.js"
import { Transactor } from "../shared/Transactor.js"
import type { Email } from "../shared/Text.js"
import {
  MyProposal,
  ProposalAlreadyDecided,
  type ProposalId,
  ProposalNotFound,
  ProposalForDecision,
  RequesterUnavailable,
  TooManyPendingProposals
} from "./CommunityProposal.js"
import { decidesProposals, mayDecideSome, nextStatus, PENDING_PROPOSALS_LIMIT } from "./ProposalPolicy.js"
import { type NewProposal, ProposalRepo, type StoredProposal } from "./ProposalRepo.js"
import { proposalDecisionBody, type ProposalDecisionSpec } from "./ProposalTexts.js"

type Acting = Unauthenticated | AccountSuspended | Forbidden

/** What a resident proposes: the commune, the quartier's name, why, its perimeter and their home. */
export interface ProposalInput {
  readonly insee: InseeCode
  readonly name: string
  readonly reason: string
  readonly perimeter: Polygon
  readonly address: HomeAddress
}

/** Sign-up with a proposal instead of a quartier to join (Register's fields but the community). */
export interface RegistrationWithProposal extends ProposalInput {
  readonly firstName: string
  readonly lastName: string
  readonly email: Email
  readonly phone: Option.Option<string>
  readonly password: Redacted.Redacted<string>
}

type ProposalProblem = UnknownCommune | AddressOutsideCommune | InvalidPerimeter | PerimeterOverlap

/** The lock under which an account's pending proposals are counted and a new one written. */
const PROPOSALS_LOCK = "community_proposals"

/**
 * Quartier proposals: a resident whose street has no quartier proposes one (its perimeter drawn, why,
 * the name suggested, their home), signed in or while signing up; the mairie agents of the commune
 * decide when it is a Mairie Vigilante, the platform admins otherwise (and always may). Accepting
 * opens the quartier as CreateCommunity does (valid perimeter, no overlap with an active quartier, a
 * free name, under the commune's lock) and makes the requester its référent, pending the verification
 * of their address as every member; refusing gives a reason. The requester is told by e-mail through
 * the delivery engine, the message written in the decision's transaction. A proposal moves only while
 * pending (ProposalPolicy).
 */
export class Proposals extends Context.Tag("@vigie/domain/Proposals")<
  Proposals,
  {
    readonly propose: (
      actor: Actor,
      input: ProposalInput
    ) => Effect.Effect<
      MyProposal,
      Unauthenticated | AccountSuspended | ProposalProblem | TooManyPendingProposals | TooManyCommunities
    >
    readonly registerWithProposal: (
      input: RegistrationWithProposal
    ) => Effect.Effect<void, Effect.Effect.Error<ReturnType<Registration["Type"]["registerWith"]>> | ProposalProblem>
    readonly listMine: (
      actor: Actor
    ) => Effect.Effect<ReadonlyArray<MyProposal>, Unauthenticated | AccountSuspended>
    readonly withdraw: (
      actor: Actor,
      proposalId: ProposalId
    ) => Effect.Effect<void, Unauthenticated | AccountSuspended | ProposalNotFound | ProposalAlreadyDecided>
    readonly list: (
      actor: Actor,
      insee: Option.Option<InseeCode>
    ) => Effect.Effect<ReadonlyArray<ProposalForDecision>, Acting | UnknownCommune>
    readonly accept: (
      actor: Actor,
      proposalId: ProposalId,
      adjust: { readonly name: Option.Option<string>; readonly perimeter: Option.Option<Polygon> }
    ) => Effect.Effect<
      Community,
      | Acting
      | ProposalNotFound
      | ProposalAlreadyDecided
      | InvalidPerimeter
      | PerimeterOverlap
      | CommunityNameTaken
      | RequesterUnavailable
    >
    readonly refuse: (
      actor: Actor,
      proposalId: ProposalId,
      reason: string
    ) => Effect.Effect<void, Acting | ProposalNotFound | ProposalAlreadyDecided>
  }
>() {}

export const make = Effect.gen(function*() {
  const registration = yield* Registration
  const repo = yield* ProposalRepo
  const directory = yield* CommuneDirectory
  const communities = yield* CommunityRepo
  const memberships = yield* MembershipRepo
  const vigilant = yield* VigilantCommuneRepo
  const transactor = yield* Transactor
  const notices = yield* Notices
  const wakeup = yield* DeliveryWakeup

  const communeName = (insee: InseeCode) =>
    Effect.map(directory.findByInsee(insee), Option.match({ onNone: () => insee as string, onSome: (c) => c.name }))

  /** The checks of a proposal before anything is written: commune, address in it, perimeter, overlap. */
  const checkProposal = (input: ProposalInput) =>
    Effect.gen(function*() {
      const commune = yield* directory.findByInsee(input.insee)
      if (Option.isNone(commune)) return yield* new UnknownCommune({ insee: input.insee })
      if (!commune.value.postcodes.includes(input.address.postcode)) {
        return yield* new AddressOutsideCommune({ postcode: input.address.postcode, insee: input.insee })
      }
      const problem = perimeterProblem(input.perimeter)
      if (problem !== undefined) return yield* new InvalidPerimeter({ insee: input.insee, reason: problem })
      const other = overlapping(yield* communities.listByCommune(input.insee), input.perimeter)
      if (other !== undefined) {
        return yield* new PerimeterOverlap({ otherCommunityId: other.id, otherName: other.name })
      }
    })

  const newProposal = (input: ProposalInput, requesterId: NewProposal["requesterId"], at: DateTime.Utc) => ({
    requesterId,
    insee: input.insee,
    name: input.name,
    reason: input.reason,
    perimeter: input.perimeter,
    address: input.address,
    at
  })

  const mine = (p: StoredProposal) =>
    Effect.map(
      communeName(p.insee),
      (name) =>
        new MyProposal({ id: p.id, insee: p.insee, communeName: name, name: p.name, reason: p.reason,
          perimeter: p.perimeter, status: p.status, createdAt: p.createdAt, decidedAt: p.decidedAt,
          refusalReason: p.refusalReason, communityId: p.communityId })
    )

  const forDecision = (p: StoredProposal) =>
    Effect.map(
      communeName(p.insee),
      (name) =>
        new ProposalForDecision({ id: p.id, insee: p.insee, communeName: name, name: p.name, reason: p.reason,
          perimeter: p.perimeter, status: p.status, createdAt: p.createdAt, decidedAt: p.decidedAt,
          refusalReason: p.refusalReason, communityId: p.communityId,
          requesterName: displayName({ firstName: p.requesterFirstName, lastName: p.requesterLastName,
            status: p.requesterStatus }), street: streetOf(p.address.line1), postcode: p.address.postcode,
          city: p.address.city })
    )

  const found = (proposalId: ProposalId) =>
    Effect.flatMap(
      repo.find(proposalId),
      Option.match({ onNone: () => Effect.fail(new ProposalNotFound({ proposalId })), onSome: Effect.succeed })
    )

  /** The proposal, when the acting account decides the proposals of its commune. */
  const decidable = (actor: Actor, proposalId: ProposalId, action: string) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      // Residents, référents, the police and moderators learn nothing of the proposal.
      if (!mayDecideSome(account.staffRoles)) return yield* new Forbidden({ action })
      const proposal = yield* found(proposalId)
      const isVigilant = Option.isSome(yield* vigilant.find(proposal.insee))
      if (!decidesProposals(account.staffRoles, proposal.insee, isVigilant)) return yield* new Forbidden({ action })
      return { account, proposal }
    })

  const stillPending = (p: StoredProposal, event: "accept" | "refuse" | "withdraw") =>
    nextStatus(p.status, event) === undefined
      ? Effect.fail(new ProposalAlreadyDecided({ proposalId: p.id, status: p.status }))
      : Effect.void

  /** The requester's e-mail of the decision, in the decision's transaction; the workers are woken after the commit. */
  const tell = (
    p: StoredProposal,
    spec: (firstName: string, commune: string) => ProposalDecisionSpec,
    at: DateTime.Utc
  ) =>
    Effect.gen(function*() {
      const commune = yield* communeName(p.insee)
      const counts = yield* notices.notify({
        decisionId: p.id,
        decision: "community_proposal",
        accountIds: [p.requesterId],
        body: proposalDecisionBody(spec(p.requesterFirstName, commune)),
        channels: ["email"]
      }, at)
      return counts.email
    })

  /** Whether the account is in (or asks to join) as many quartiers as one may be. */
  const atCap = (accountId: StoredProposal["requesterId"]) =>
    Effect.map(memberships.listByAccount(accountId), atMembershipCap)

  const wakeEmail = (count: number) => count > 0 ? wakeup.wake({ channels: ["email"] }) : Effect.void

  return Proposals.of({
    propose: (actor, input) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        yield* checkProposal(input)
        // Already in as many quartiers as one may be: the quartier opened could not take them in.
        if (yield* atCap(account.id)) {
          return yield* new TooManyCommunities({ max: MAX_ACTIVE_MEMBERSHIPS })
        }
        const at = yield* DateTime.now
        const id = yield* transactor.transaction(Effect.gen(function*() {
          yield* transactor.lock(PROPOSALS_LOCK, account.id)
          if ((yield* repo.countPending(account.id)) >= PENDING_PROPOSALS_LIMIT) {
            return yield* new TooManyPendingProposals({ limit: PENDING_PROPOSALS_LIMIT })
          }
          return yield* repo.insert(newProposal(input, account.id, at))
        }))
        return yield* mine(Option.getOrThrow(yield* repo.find(id)))
      }).pipe(Effect.withSpan("Proposals.propose")),

    registerWithProposal: (input) =>
      Effect.gen(function*() {
        yield* checkProposal(input)
        const at = yield* DateTime.now
        yield* registration.registerWith(
          input,
          input.insee,
          (accountId) => Effect.asVoid(repo.insert(newProposal(input, accountId, at)))
        )
      }).pipe(Effect.withSpan("Proposals.registerWithProposal")),

    listMine: (actor) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        return yield* Effect.forEach(yield* repo.listByRequester(account.id), mine)
      }).pipe(Effect.withSpan("Proposals.listMine")),

    withdraw: (actor, proposalId) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        const proposal = yield* found(proposalId)
        if (proposal.requesterId !== account.id) return yield* new ProposalNotFound({ proposalId })
        yield* stillPending(proposal, "withdraw")
        if (!(yield* repo.decide(proposalId, { status: "withdrawn" }, account.id, yield* DateTime.now))) {
          const now = yield* found(proposalId)
          return yield* new ProposalAlreadyDecided({ proposalId, status: now.status })
        }
      }).pipe(Effect.withSpan("Proposals.withdraw")),

    list: (actor, insee) =>
      Effect.gen(function*() {
        const account = yield* requireAccount(actor)
        if (Option.isNone(insee)) {
          if (!account.staffRoles.some((r) => r._tag === "Admin")) {
            return yield* new Forbidden({ action: "list_proposals" })
          }
          return yield* Effect.forEach(yield* repo.list({ _tag: "NotVigilant" }), forDecision)
        }
        const isVigilant = Option.isSome(yield* vigilant.find(insee.value))
        if (!decidesProposals(account.staffRoles, insee.value, isVigilant)) {
          return yield* new Forbidden({ action: "list_proposals" })
        }
        if (Option.isNone(yield* directory.findByInsee(insee.value))) {
          return yield* new UnknownCommune({ insee: insee.value })
        }
        return yield* Effect.forEach(yield* repo.list({ _tag: "Commune", insee: insee.value }), forDecision)
      }).pipe(Effect.withSpan("Proposals.list")),

    accept: (actor, proposalId, adjust) =>
      Effect.gen(function*() {
        const { account, proposal } = yield* decidable(actor, proposalId, "accept_proposal")
        yield* stillPending(proposal, "accept")
        const name = Option.getOrElse(adjust.name, () => proposal.name)
        const perimeter = Option.getOrElse(adjust.perimeter, () => proposal.perimeter)
        const problem = perimeterProblem(perimeter)
        if (problem !== undefined) return yield* new InvalidPerimeter({ insee: proposal.insee, reason: problem })
        const at = yield* DateTime.now
        const opened = yield* transactor.transaction(Effect.gen(function*() {
          // The commune's lock first, as CreateCommunity takes it: two acceptances run one after the other.
          yield* transactor.lock(PERIMETERS_LOCK, proposal.insee)
          // Then the requester's memberships (as joining takes it): their count cannot change under us.
          yield* memberships.lockAccount(proposal.requesterId)
          const current = yield* found(proposalId)
          yield* stillPending(current, "accept")
          // They become the référent: not when suspended (or erased) since, nor beyond the quartiers'
          // cap, which they may have reached by joining others while the proposal waited.
          if (current.requesterStatus !== "active") {
            return yield* new RequesterUnavailable({ proposalId, reason: current.requesterStatus,
              max: MAX_ACTIVE_MEMBERSHIPS })
          }
          if (yield* atCap(current.requesterId)) {
            return yield* new RequesterUnavailable({ proposalId, reason: "too_many_communities",
              max: MAX_ACTIVE_MEMBERSHIPS })
          }
          const others = yield* communities.listByCommune(proposal.insee)
          const other = overlapping(others, perimeter)
          if (other !== undefined) {
            return yield* new PerimeterOverlap({ otherCommunityId: other.id, otherName: other.name })
          }
          const taken = sameName(others, name)
          if (taken !== undefined) return yield* new CommunityNameTaken({ name: taken.name })
          const community = yield* communities.insert({ insee: proposal.insee, name, perimeter })
          yield* memberships.insert({
            accountId: proposal.requesterId,
            communityId: community.id,
            role: "referent",
            status: "pending_verification",
            address: proposal.address
          }).pipe(Effect.orDie)
          if (!(yield* repo.decide(proposalId, { status: "accepted", communityId: community.id }, account.id, at))) {
            return yield* new ProposalAlreadyDecided({ proposalId, status: current.status })
          }
          const emails = yield* tell(
            current,
            (firstName, commune) => ({ kind: "accepted", firstName, quartier: community.name, commune }),
            at
          )
          return { community, emails }
        }))
        yield* wakeEmail(opened.emails)
        return opened.community
      }).pipe(Effect.withSpan("Proposals.accept")),

    refuse: (actor, proposalId, reason) =>
      Effect.gen(function*() {
        const { account, proposal } = yield* decidable(actor, proposalId, "refuse_proposal")
        yield* stillPending(proposal, "refuse")
        const at = yield* DateTime.now
        const emails = yield* transactor.transaction(Effect.gen(function*() {
          if (!(yield* repo.decide(proposalId, { status: "refused", reason }, account.id, at))) {
            const now = yield* found(proposalId)
            return yield* new ProposalAlreadyDecided({ proposalId, status: now.status })
          }
          return yield* tell(
            proposal,
            (firstName, commune) => ({ kind: "refused", firstName, quartier: proposal.name, commune, reason }),
            at
          )
        }))
        yield* wakeEmail(emails)
      }).pipe(Effect.withSpan("Proposals.refuse"))
  })
})

export const layer = Layer.effect(Proposals, make)
