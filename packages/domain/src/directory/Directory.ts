import { Context, DateTime, Effect, Either, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import { Forbidden, type AccountSuspended, type Unauthenticated } from "../accounts/AccountErrors.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import type { UploadUnavailable } from "../media/MediaErrors.js"
import type { UploadId } from "../media/Upload.js"
import { UploadRepo } from "../media/UploadRepo.js"
import { MemberBlocks } from "../membership/MemberBlocks.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import type { AccountId } from "../shared/Ids.js"
import { Transactor } from "../shared/Transactor.js"
import { type InvalidProfile, ProfileNotFound } from "./DirectoryErrors.js"
import { Annuaire, MemberProfile, type ProfileView } from "./Profile.js"
import {
  annuaireOf,
  checkProfile,
  type DirectoryMember,
  type DirectoryViewer,
  MAX_QUERY,
  profileView,
  type ProfileDraft,
  sees
} from "./ProfilePolicy.js"
import { ProfileRepo } from "./ProfileRepo.js"

type Acting = Unauthenticated | AccountSuspended

/**
 * Profiles and the annuaire (issue 16, items 1 and 2). Every read builds the viewer (their verified
 * quartiers, who blocked them, whom they blocked) and lets ProfilePolicy decide, field by field, what
 * leaves the server: a hidden field is never in an answer to anyone but its owner. Staff (moderators,
 * mairie agents, police, admins) see no annuaire and no profile but their own; whoever may not find a
 * member gets ProfileNotFound, as for an unknown one. Saving checks the profile (checkProfile), then
 * writes it and claims its new photo in one transaction (a refused claim leaves nothing behind); the
 * photo it replaces is released then (UploadRepo.release), its bytes swept with the stale uploads.
 */
export class Directory extends Context.Tag("@vigie/domain/Directory")<
  Directory,
  {
    readonly myProfile: (actor: Actor) => Effect.Effect<ProfileView, Acting>
    readonly saveProfile: (
      actor: Actor,
      draft: ProfileDraft
    ) => Effect.Effect<ProfileView, Acting | InvalidProfile | UploadUnavailable>
    readonly profile: (actor: Actor, accountId: AccountId) => Effect.Effect<ProfileView, Acting | ProfileNotFound>
    readonly annuaire: (
      actor: Actor,
      communityId: CommunityId,
      query: string
    ) => Effect.Effect<Annuaire, Acting | Forbidden | NotAVerifiedMember | CommunityNotFound>
    /** Whether the actor may see the profile photo held by this upload (GET /media/<id>). */
    readonly mayReadPhoto: (actor: Actor, uploadId: UploadId) => Effect.Effect<boolean>
    /** The facts about the actor that decide what they see of others. */
    readonly viewerOf: (account: Account) => Effect.Effect<DirectoryViewer>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* ProfileRepo
  const blocks = yield* MemberBlocks
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const uploads = yield* UploadRepo
  const tx = yield* Transactor

  const viewerOf = (account: Account) =>
    Effect.gen(function*() {
      const mine = yield* memberships.listByAccount(account.id)
      const blockedBy = yield* blocks.blockersOf(account.id)
      const blocked = yield* blocks.blockedBy(account.id)
      return {
        accountId: account.id,
        staff: account.staffRoles.length > 0,
        verifiedCommunities: new Set(mine.filter((m) => m.status === "verified").map((m) => m.communityId)),
        blockedBy: new Set(blockedBy),
        blocked: new Set(blocked.map((b) => b.blockedId))
      } satisfies DirectoryViewer
    })

  /** The actor's own member facts (an account without membership has them too: its own profile). */
  const selfOf = (account: Account) =>
    Effect.map(repo.member(account.id), (found): DirectoryMember =>
      Option.getOrElse(found, () => ({
        accountId: account.id,
        firstName: account.firstName,
        lastName: account.lastName,
        status: account.status,
        email: Option.getOrNull(account.email),
        phone: Option.getOrNull(account.phone),
        memberships: [],
        profile: null
      })))

  const ownView = (account: Account) =>
    Effect.gen(function*() {
      const viewer = yield* viewerOf(account)
      // Its owner always finds their own profile (ProfilePolicy.mayFind).
      return profileView(viewer, yield* selfOf(account))!
    })

  const myProfile: Directory["Type"]["myProfile"] = (actor) =>
    Effect.flatMap(requireAccount(actor), ownView).pipe(Effect.withSpan("Directory.myProfile"))

  const saveProfile: Directory["Type"]["saveProfile"] = (actor, draft) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const checked = checkProfile(draft)
      if (Either.isLeft(checked)) return yield* checked.left
      const before = yield* repo.get(account.id)
      const keptPhoto = Option.isSome(before) && before.value.photoId === checked.right.photoId
      const at = yield* DateTime.now
      yield* tx.transaction(Effect.gen(function*() {
        if (checked.right.photoId !== null && !keptPhoto) {
          yield* uploads.claim(account.id, [checked.right.photoId], "photo", at)
        }
        // A photo replaced or removed is let go: served to nobody, its bytes swept with the stale uploads.
        if (Option.isSome(before) && before.value.photoId !== null && !keptPhoto) {
          yield* uploads.release(account.id, [before.value.photoId])
        }
        yield* repo.save(new MemberProfile({ accountId: account.id, ...checked.right, updatedAt: at }))
      }))
      return yield* ownView(account)
    }).pipe(Effect.withSpan("Directory.saveProfile"))

  const profile: Directory["Type"]["profile"] = (actor, accountId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (accountId === account.id) return yield* ownView(account)
      const viewer = yield* viewerOf(account)
      const member = yield* repo.member(accountId)
      const view = Option.isSome(member) ? profileView(viewer, member.value) : undefined
      if (view === undefined) return yield* new ProfileNotFound({ accountId })
      return view
    }).pipe(Effect.withSpan("Directory.profile"))

  const annuaire: Directory["Type"]["annuaire"] = (actor, communityId, query) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const viewer = yield* viewerOf(account)
      if (viewer.staff) return yield* new Forbidden({ action: "read_annuaire" })
      if (!viewer.verifiedCommunities.has(communityId)) return yield* new NotAVerifiedMember({ communityId })
      const community = yield* communities.findById(communityId)
      if (Option.isNone(community)) return yield* new CommunityNotFound({ communityId })
      const members = yield* repo.membersOf(communityId)
      const now = yield* DateTime.now
      const found = annuaireOf(viewer, members, communityId, [...query].slice(0, MAX_QUERY).join(""), now)
      const me = yield* repo.get(account.id)
      return new Annuaire({
        communityId,
        communityName: community.value.name,
        entries: found.entries,
        newThisWeek: found.newThisWeek,
        viewerListed: Option.match(me, { onNone: () => true, onSome: (p) => p.listed })
      })
    }).pipe(Effect.withSpan("Directory.annuaire"))

  const mayReadPhoto: Directory["Type"]["mayReadPhoto"] = (actor, uploadId) =>
    Effect.gen(function*() {
      const account = requireAccount(actor)
      const acting = yield* Effect.option(account)
      if (Option.isNone(acting)) return false
      const owner = yield* repo.ownerOfPhoto(uploadId)
      if (Option.isNone(owner)) return false
      const member = yield* repo.member(owner.value)
      if (Option.isNone(member)) return false
      return sees(yield* viewerOf(acting.value), member.value, "photo")
    }).pipe(Effect.withSpan("Directory.mayReadPhoto"))

  return Directory.of({ myProfile, saveProfile, profile, annuaire, mayReadPhoto, viewerOf })
})

export const layer = Layer.effect(Directory, make)
