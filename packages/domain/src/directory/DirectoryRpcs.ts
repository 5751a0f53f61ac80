import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { UploadUnavailable } from "../media/MediaErrors.js"
import { UploadId } from "../media/Upload.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { AccountId } from "../shared/Ids.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { InvalidBlock, InvalidProfile, ProfileNotFound } from "./DirectoryErrors.js"
import { Annuaire, BlockedMember, ProfileView } from "./Profile.js"

const acting = [Unauthenticated, AccountSuspended, InvalidRequest] as const
const Entries = Schema.Array(Schema.String.pipe(Schema.maxLength(200))).pipe(Schema.maxItems(100))

/** My own profile, every field and its visibility (an account that never filled one gets the defaults). */
export const GetMyProfile = Rpc.make("GetMyProfile", {
  payload: Schema.Struct({}),
  success: ProfileView,
  error: Schema.Union(...acting)
})

/**
 * Save my profile (« Mon profil »): whether I am in the annuaire (`listed`), my name as shown (short:
 * « Chloé M. », or full), a photo sent first with UploadFile (null: none), a presentation of at most
 * 500 characters, interests and skills from the list (plus free text, 200 characters each), languages
 * from the list, and for each field « me » (moi seul) or « members » (les membres de mes quartiers);
 * a field left out keeps its default (the street, the number, the phone and the e-mail hidden). A
 * rule broken: InvalidProfile, nothing written. Answers my profile as saved.
 */
export const SaveMyProfile = Rpc.make("SaveMyProfile", {
  payload: Schema.Struct({
    listed: Schema.Boolean,
    nameStyle: Schema.String.pipe(Schema.maxLength(20)),
    photoId: Schema.NullOr(UploadId),
    presentation: Schema.String.pipe(Schema.maxLength(5_000)),
    interests: Entries,
    interestsOther: Schema.String.pipe(Schema.maxLength(2_000)),
    skills: Entries,
    skillsOther: Schema.String.pipe(Schema.maxLength(2_000)),
    languages: Entries,
    visibility: Schema.Record({ key: Schema.String.pipe(Schema.maxLength(40)),
      value: Schema.String.pipe(Schema.maxLength(20)) })
  }),
  success: ProfileView,
  error: Schema.Union(...acting, InvalidProfile, UploadUnavailable)
})

/**
 * A member's profile page, with the fields they show to the members of their quartiers. Unknown,
 * erased, outside my quartiers, out of the annuaire, or one who blocked me: ProfileNotFound, the
 * same for all. Staff get ProfileNotFound for everyone but themselves.
 */
export const GetMemberProfile = Rpc.make("GetMemberProfile", {
  payload: Schema.Struct({ accountId: AccountId }),
  success: ProfileView,
  error: Schema.Union(...acting, ProfileNotFound)
})

/**
 * The annuaire of a quartier where I am a verified member: its listed members, searched by name,
 * street (only streets members chose to show) and interest or skill; référents marked; the new
 * members of the week apart. Staff never see it (Forbidden); other quartiers' members neither
 * (NotAVerifiedMember).
 */
export const ListAnnuaire = Rpc.make("ListAnnuaire", {
  payload: Schema.Struct({
    communityId: CommunityId,
    query: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
  }),
  success: Annuaire,
  error: Schema.Union(...acting, Forbidden, NotAVerifiedMember, CommunityNotFound)
})

/**
 * Block a member who shares a quartier with me: they no longer find me in the annuaire nor see my
 * profile, no longer comment or say « merci » on my Gazette posts nor mark my alerts, nor write to
 * me; they are not told. Again: nothing changes. Oneself, or a member outside my quartiers, unknown
 * or erased: InvalidBlock, nothing written. Answers my blocks.
 */
export const BlockMember = Rpc.make("BlockMember", {
  payload: Schema.Struct({ accountId: AccountId }),
  success: Schema.Array(BlockedMember),
  error: Schema.Union(...acting, InvalidBlock)
})

/** Lift my block (absent: nothing changes). Answers my blocks. */
export const UnblockMember = Rpc.make("UnblockMember", {
  payload: Schema.Struct({ accountId: AccountId }),
  success: Schema.Array(BlockedMember),
  error: Schema.Union(...acting)
})

/** The members I blocked, newest first (« Membres bloqués »). */
export const ListMyBlocks = Rpc.make("ListMyBlocks", {
  payload: Schema.Struct({}),
  success: Schema.Array(BlockedMember),
  error: Schema.Union(...acting)
})

/** Profiles, the annuaire of each quartier and blocking (issue 16). */
export class DirectoryRpcs extends RpcGroup.make(
  GetMyProfile,
  SaveMyProfile,
  GetMemberProfile,
  ListAnnuaire,
  BlockMember,
  UnblockMember,
  ListMyBlocks
).middleware(Authentication) {}
