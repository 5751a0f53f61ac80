import { SqlClient } from "@effect/sql"
import { AccountId, AccountStatus } from "@vigie/domain/accounts/Account"
import { FieldVisibility, Language, MemberProfile, NameStyle, Topic } from "@vigie/domain/directory/Profile"
import type { DirectoryMember } from "@vigie/domain/directory/ProfilePolicy"
import { ProfileRepo } from "@vigie/domain/directory/ProfileRepo"
import { UploadId } from "@vigie/domain/media/Upload"
import { CommunityId } from "@vigie/domain/shared/Ids"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { mapFailures } from "./SqlFailure"

const At = Schema.DateTimeUtcFromDate

const ProfileColumns = {
  listed: Schema.Boolean,
  name_style: NameStyle,
  photo_id: Schema.NullOr(UploadId),
  presentation: Schema.String,
  interests: Schema.Array(Topic),
  interests_other: Schema.String,
  skills: Schema.Array(Topic),
  skills_other: Schema.String,
  languages: Schema.Array(Language),
  visibility: FieldVisibility,
  updated_at: At
}
const ProfileRow = Schema.Struct({ account_id: AccountId, ...ProfileColumns })
const toProfile = (r: typeof ProfileRow.Type) =>
  new MemberProfile({
    accountId: r.account_id,
    listed: r.listed,
    nameStyle: r.name_style,
    photoId: r.photo_id,
    presentation: r.presentation,
    interests: r.interests,
    interestsOther: r.interests_other,
    skills: r.skills,
    skillsOther: r.skills_other,
    languages: r.languages,
    visibility: r.visibility,
    updatedAt: r.updated_at
  })

const MembershipJson = Schema.Struct({
  community_id: CommunityId,
  community_name: Schema.String,
  role: Schema.Literal("resident", "referent"),
  verified_at: Schema.NullOr(Schema.DateTimeUtc),
  address_line1: Schema.String
})
const MemberRow = Schema.Struct({
  id: AccountId,
  first_name: Schema.String,
  last_name: Schema.String,
  status: AccountStatus,
  email: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  memberships: Schema.Array(MembershipJson),
  profile: Schema.NullOr(Schema.Struct({ account_id: AccountId, ...ProfileColumns, updated_at: Schema.DateTimeUtc }))
})
const decodeMembers = Schema.decodeUnknown(Schema.Array(MemberRow))
const toMember = (r: typeof MemberRow.Type): DirectoryMember => ({
  accountId: r.id,
  firstName: r.first_name,
  lastName: r.last_name,
  status: r.status,
  email: r.email,
  phone: r.phone,
  memberships: r.memberships.map((m) => ({
    communityId: m.community_id,
    communityName: m.community_name,
    role: m.role,
    verifiedAt: m.verified_at,
    addressLine1: m.address_line1
  })),
  profile: r.profile === null ? null : toProfile(r.profile)
})

const PROFILE_SELECT = `account_id, listed, name_style, photo_id, presentation, to_jsonb(interests) AS interests,
  interests_other, to_jsonb(skills) AS skills, skills_other, to_jsonb(languages) AS languages, visibility, updated_at`

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const json = (value: unknown) => JSON.stringify(value)
  const textArray = (values: ReadonlyArray<string>) =>
    sql`ARRAY(SELECT jsonb_array_elements_text(${json(values)}::jsonb))::text[]`
  const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

  /** Accounts, each with its verified memberships (`inCommunity` narrows them to one quartier) and its profile. */
  const memberSelect = (inCommunity: CommunityId | null) =>
    sql`
SELECT a.id, a.first_name, a.last_name, a.status, a.email, a.phone,
  coalesce((SELECT jsonb_agg(jsonb_build_object('community_id', m.community_id, 'community_name', c.name,
      'role', m.role, 'verified_at', ${sql.unsafe(utc("m.verified_at"))}, 'address_line1', m.address_line1)
      ORDER BY m.created_at)
    FROM memberships m JOIN communities c ON c.id = m.community_id
    WHERE m.account_id = a.id AND m.status = 'verified'
      AND (${inCommunity}::uuid IS NULL OR m.community_id = ${inCommunity}::uuid)), '[]'::jsonb) AS memberships,
  (SELECT jsonb_build_object('account_id', p.account_id, 'listed', p.listed, 'name_style', p.name_style,
      'photo_id', p.photo_id, 'presentation', p.presentation, 'interests', to_jsonb(p.interests),
      'interests_other', p.interests_other, 'skills', to_jsonb(p.skills), 'skills_other', p.skills_other,
      'languages', to_jsonb(p.languages), 'visibility', p.visibility,
      'updated_at', ${sql.unsafe(utc("p.updated_at"))})
    FROM member_profiles p WHERE p.account_id = a.id) AS profile
FROM accounts a`

  return ProfileRepo.of({
    get: (accountId) =>
      sql`SELECT ${sql.unsafe(PROFILE_SELECT)} FROM member_profiles WHERE account_id = ${accountId}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(ProfileRow))),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toProfile)),
        mapFailures(),
        Effect.withSpan("PgProfileRepo.get")
      ),
    save: (p) =>
      sql`
INSERT INTO member_profiles (account_id, listed, name_style, photo_id, presentation, interests, interests_other,
  skills, skills_other, languages, visibility, updated_at)
VALUES (${p.accountId}, ${p.listed}, ${p.nameStyle}, ${p.photoId}, ${p.presentation}, ${textArray(p.interests)},
  ${p.interestsOther}, ${textArray(p.skills)}, ${p.skillsOther}, ${textArray(p.languages)},
  ${json(p.visibility)}::jsonb, ${DateTime.toDateUtc(p.updatedAt)})
ON CONFLICT (account_id) DO UPDATE SET listed = EXCLUDED.listed, name_style = EXCLUDED.name_style,
  photo_id = EXCLUDED.photo_id, presentation = EXCLUDED.presentation, interests = EXCLUDED.interests,
  interests_other = EXCLUDED.interests_other, skills = EXCLUDED.skills, skills_other = EXCLUDED.skills_other,
  languages = EXCLUDED.languages, visibility = EXCLUDED.visibility, updated_at = EXCLUDED.updated_at`.pipe(
        Effect.asVoid,
        mapFailures(),
        Effect.withSpan("PgProfileRepo.save")
      ),
    member: (accountId) =>
      sql`${memberSelect(null)} WHERE a.id = ${accountId}`.pipe(
        Effect.flatMap(decodeMembers),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toMember)),
        mapFailures(),
        Effect.withSpan("PgProfileRepo.member")
      ),
    membersOf: (communityId) =>
      sql`${memberSelect(communityId)}
WHERE a.id IN (SELECT account_id FROM memberships WHERE community_id = ${communityId} AND status = 'verified')`.pipe(
        Effect.flatMap(decodeMembers),
        Effect.map((rows) => rows.map(toMember)),
        mapFailures(),
        Effect.withSpan("PgProfileRepo.membersOf")
      ),
    ownerOfPhoto: (uploadId) =>
      sql<{ account_id: string }>`SELECT account_id FROM member_profiles WHERE photo_id = ${uploadId}`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Array(Schema.Struct({ account_id: AccountId })))),
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (r) => r.account_id)),
        mapFailures(),
        Effect.withSpan("PgProfileRepo.ownerOfPhoto")
      )
  })
})

export const layer = Layer.effect(ProfileRepo, make)
