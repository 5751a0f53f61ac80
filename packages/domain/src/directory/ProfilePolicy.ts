import { DateTime, Duration, Either } from "effect"
import { shortName } from "../accounts/DisplayName.js"
import type { AccountStatus } from "../accounts/Account.js"
import type { UploadId } from "../media/Upload.js"
import type { AccountId, CommunityId } from "../shared/Ids.js"
import { InvalidProfile } from "./DirectoryErrors.js"
import {
  AnnuaireEntry,
  DEFAULT_VISIBILITY,
  LANGUAGE_IDS,
  type FieldVisibility,
  type Language,
  type MemberProfile,
  type NameStyle,
  PROFILE_FIELDS,
  type ProfileField,
  ProfileView,
  TOPIC_IDS,
  TOPICS,
  type Topic,
  type Visibility
} from "./Profile.js"

/** At most this many characters of presentation (« quelques mots sur vous »). */
export const MAX_PRESENTATION = 500
/** At most this many characters of free text beside the interests, and beside the skills. */
export const MAX_OTHER = 200
/** A member is « nouveau de la semaine » this long after their verification in the quartier. */
export const NEWCOMER_WINDOW = Duration.days(7)
/** At most this many characters in an annuaire search. */
export const MAX_QUERY = 100

/** A profile as the member's form sends it: free strings, checked here (checkProfile). */
export interface ProfileDraft {
  readonly listed: boolean
  readonly nameStyle: string
  readonly photoId: UploadId | null
  readonly presentation: string
  readonly interests: ReadonlyArray<string>
  readonly interestsOther: string
  readonly skills: ReadonlyArray<string>
  readonly skillsOther: string
  readonly languages: ReadonlyArray<string>
  readonly visibility: Readonly<Record<string, string>>
}

/** A draft that passed checkProfile: trimmed texts, known entries without repeats, a visibility for every field. */
export interface CheckedProfile {
  readonly listed: boolean
  readonly nameStyle: NameStyle
  readonly photoId: UploadId | null
  readonly presentation: string
  readonly interests: ReadonlyArray<Topic>
  readonly interestsOther: string
  readonly skills: ReadonlyArray<Topic>
  readonly skillsOther: string
  readonly languages: ReadonlyArray<Language>
  readonly visibility: FieldVisibility
}

const isNameStyle = (s: string): s is NameStyle => s === "short" || s === "full"
const isVisibility = (s: string): s is Visibility => s === "me" || s === "members"

const texted = (field: string, value: string, max: number): Either.Either<string, InvalidProfile> => {
  const trimmed = value.trim()
  return [...trimmed].length > max
    ? Either.left(new InvalidProfile({ field, reason: "too_long", maxLength: max }))
    : Either.right(trimmed)
}

const listed = <A extends string>(
  field: string,
  values: ReadonlyArray<string>,
  known: ReadonlyArray<A>
): Either.Either<ReadonlyArray<A>, InvalidProfile> => {
  if (values.length > known.length) {
    return Either.left(new InvalidProfile({ field, reason: "too_many", maxLength: known.length }))
  }
  const unknown = values.find((v) => !(known as ReadonlyArray<string>).includes(v))
  if (unknown !== undefined) {
    return Either.left(new InvalidProfile({ field, reason: "unknown", value: [...unknown].slice(0, 200).join("") }))
  }
  // The list's own order, each once: the same profile reads the same whatever the form sent.
  return Either.right(known.filter((k) => values.includes(k)))
}

/**
 * The rules of a profile, first failure first: a known name style; a presentation of at most
 * MAX_PRESENTATION characters and free texts of at most MAX_OTHER (trimmed); interests, skills and
 * languages from their lists; a visibility, « me » or « members », for each field, and no other key
 * (a field left out keeps the default: hidden for the street, the number, the phone and the e-mail).
 */
export const checkProfile = (draft: ProfileDraft): Either.Either<CheckedProfile, InvalidProfile> =>
  Either.gen(function*() {
    if (!isNameStyle(draft.nameStyle)) {
      return yield* Either.left(new InvalidProfile({ field: "nameStyle", reason: "invalid" }))
    }
    const presentation = yield* texted("presentation", draft.presentation, MAX_PRESENTATION)
    const interests = yield* listed("interests", draft.interests, TOPIC_IDS)
    const interestsOther = yield* texted("interestsOther", draft.interestsOther, MAX_OTHER)
    const skills = yield* listed("skills", draft.skills, TOPIC_IDS)
    const skillsOther = yield* texted("skillsOther", draft.skillsOther, MAX_OTHER)
    const languages = yield* listed("languages", draft.languages, LANGUAGE_IDS)
    const visibility: Record<string, Visibility> = { ...DEFAULT_VISIBILITY }
    for (const [field, value] of Object.entries(draft.visibility)) {
      if (!(PROFILE_FIELDS as ReadonlyArray<string>).includes(field)) {
        return yield* Either.left(
          new InvalidProfile({ field: "visibility", reason: "unknown", value: [...field].slice(0, 200).join("") })
        )
      }
      if (!isVisibility(value)) {
        return yield* Either.left(new InvalidProfile({ field: `visibility.${field}`, reason: "invalid" }))
      }
      visibility[field] = value
    }
    return {
      listed: draft.listed,
      nameStyle: draft.nameStyle,
      photoId: draft.photoId,
      presentation,
      interests,
      interestsOther,
      skills,
      skillsOther,
      languages,
      visibility: visibility as FieldVisibility
    }
  })

/**
 * A house number and a street from an address's first line: « 12 bis rue des Lilas » is number
 * « 12 bis » and street « rue des Lilas ». A line without a leading number is all street.
 */
export const splitAddress = (line1: string): { readonly houseNumber: string | null; readonly street: string } => {
  const m = /^\s*(\d+\s*(?:bis|ter|quater|[a-d](?![\p{L}]))?)[\s,]+(.+)$/iu.exec(line1)
  if (m === null) return { houseNumber: null, street: line1.trim() }
  return { houseNumber: m[1]!.replace(/\s+/g, " ").trim(), street: m[2]!.trim() }
}

/** One verified membership of a member, as the annuaire needs it. */
export interface DirectoryMembership {
  readonly communityId: CommunityId
  readonly communityName: string
  readonly role: "resident" | "referent"
  readonly verifiedAt: DateTime.Utc | null
  readonly addressLine1: string
}

/** A member as the annuaire's rules see them: the account, its verified memberships, its profile if any. */
export interface DirectoryMember {
  readonly accountId: AccountId
  readonly firstName: string
  readonly lastName: string
  readonly status: AccountStatus
  readonly email: string | null
  readonly phone: string | null
  readonly memberships: ReadonlyArray<DirectoryMembership>
  readonly profile: MemberProfile | null
}

/**
 * Who looks: their id, whether they hold any staff role (staff never see the annuaire nor a profile),
 * the quartiers where they are verified, the members who blocked them, and those they blocked.
 */
export interface DirectoryViewer {
  readonly accountId: AccountId
  readonly staff: boolean
  readonly verifiedCommunities: ReadonlySet<CommunityId>
  readonly blockedBy: ReadonlySet<AccountId>
  readonly blocked: ReadonlySet<AccountId>
}

/** The profile of a member who never filled one: listed, short name, nothing else, the default visibilities. */
export const effectiveProfile = (member: DirectoryMember) =>
  member.profile ?? {
    listed: true,
    nameStyle: "short" as NameStyle,
    photoId: null,
    presentation: "",
    interests: [] as ReadonlyArray<Topic>,
    interestsOther: "",
    skills: [] as ReadonlyArray<Topic>,
    skillsOther: "",
    languages: [] as ReadonlyArray<Language>,
    visibility: DEFAULT_VISIBILITY
  }

/** The name a member chose: « Chloé M. » by default, « Chloé Martin » if they asked for their full name. */
export const nameOf = (member: DirectoryMember): string =>
  effectiveProfile(member).nameStyle === "full"
    ? `${member.firstName.trim()} ${member.lastName.trim()}`
    : shortName(member.firstName, member.lastName)

/** The quartiers where both the viewer and the member are verified. */
export const sharedQuartiers = (viewer: DirectoryViewer, member: DirectoryMember): ReadonlyArray<DirectoryMembership> =>
  member.memberships.filter((m) => viewer.verifiedCommunities.has(m.communityId))

/**
 * Whether the viewer finds the member at all (their entry, their profile page): always themselves;
 * otherwise never staff, and only an active member, listed, verified in a quartier where the viewer
 * is verified too, who did not block the viewer.
 */
export const mayFind = (viewer: DirectoryViewer, member: DirectoryMember): boolean => {
  if (member.accountId === viewer.accountId) return true
  if (viewer.staff || member.status !== "active") return false
  if (!effectiveProfile(member).listed) return false
  if (viewer.blockedBy.has(member.accountId)) return false
  return sharedQuartiers(viewer, member).length > 0
}

/** Whether one field of the member's profile reaches the viewer: theirs, or shown to members and the member found. */
export const sees = (viewer: DirectoryViewer, member: DirectoryMember, field: ProfileField): boolean =>
  member.accountId === viewer.accountId ||
  (mayFind(viewer, member) && effectiveProfile(member).visibility[field] === "members")

/** Where a photo is served, to whoever may see it. */
export const photoUrl = (photoId: UploadId): string => `/media/${photoId}`

/** The address the annuaire uses: that of the membership in `communityId`, or of the first one shared. */
const addressFor = (member: DirectoryMember, memberships: ReadonlyArray<DirectoryMembership>) =>
  splitAddress((memberships[0] ?? member.memberships[0])?.addressLine1 ?? "")

/** Whether the membership was verified within NEWCOMER_WINDOW before `now`. */
export const isNewcomer = (membership: DirectoryMembership, now: DateTime.Utc): boolean =>
  membership.verifiedAt !== null &&
  DateTime.greaterThan(membership.verifiedAt, DateTime.subtractDuration(now, NEWCOMER_WINDOW)) &&
  DateTime.lessThanOrEqualTo(membership.verifiedAt, now)

/**
 * The member's profile page as the viewer receives it, or undefined when the viewer may not find
 * them (mayFind). Each field is there only if `sees` says so; the owner also receives every
 * visibility.
 */
export const profileView = (viewer: DirectoryViewer, member: DirectoryMember): ProfileView | undefined => {
  if (!mayFind(viewer, member)) return undefined
  const mine = member.accountId === viewer.accountId
  const p = effectiveProfile(member)
  const shared = mine ? member.memberships : sharedQuartiers(viewer, member)
  const see = (field: ProfileField) => sees(viewer, member, field)
  const address = addressFor(member, shared)
  return new ProfileView({
    accountId: member.accountId,
    name: nameOf(member),
    mine,
    referent: shared.some((m) => m.role === "referent"),
    listed: mine ? p.listed : true,
    nameStyle: mine ? p.nameStyle : null,
    photoUrl: see("photo") && p.photoId !== null ? photoUrl(p.photoId) : null,
    presentation: see("presentation") && p.presentation !== "" ? p.presentation : null,
    interests: see("interests") ? p.interests : [],
    interestsOther: see("interests") && p.interestsOther !== "" ? p.interestsOther : null,
    skills: see("skills") ? p.skills : [],
    skillsOther: see("skills") && p.skillsOther !== "" ? p.skillsOther : null,
    languages: see("languages") ? p.languages : [],
    street: see("street") && address.street !== "" ? address.street : null,
    houseNumber: see("houseNumber") ? address.houseNumber : null,
    phone: see("phone") ? member.phone : null,
    email: see("email") ? member.email : null,
    quartiers: shared.map((m) => ({ id: m.communityId, name: m.communityName })),
    visibility: mine ? p.visibility : null,
    blockedByMe: viewer.blocked.has(member.accountId)
  })
}

/** Lower case, without accents: « Éléonore » is found as « eleonore ». */
export const folded = (text: string): string =>
  text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("fr-FR").trim()

/**
 * The member's entry in `communityId`'s annuaire for the viewer, or undefined when the viewer may
 * not find them there (not a verified member of that quartier, or mayFind refuses).
 */
export const annuaireEntry = (
  viewer: DirectoryViewer,
  member: DirectoryMember,
  communityId: CommunityId,
  now: DateTime.Utc
): AnnuaireEntry | undefined => {
  const here = member.memberships.find((m) => m.communityId === communityId)
  if (here === undefined || !viewer.verifiedCommunities.has(communityId) || !mayFind(viewer, member)) return undefined
  const p = effectiveProfile(member)
  const see = (field: ProfileField) => sees(viewer, member, field)
  const street = splitAddress(here.addressLine1).street
  return new AnnuaireEntry({
    accountId: member.accountId,
    name: nameOf(member),
    mine: member.accountId === viewer.accountId,
    referent: here.role === "referent",
    newThisWeek: isNewcomer(here, now),
    photoUrl: see("photo") && p.photoId !== null ? photoUrl(p.photoId) : null,
    street: see("street") && street !== "" ? street : null,
    interests: see("interests") ? p.interests : [],
    skills: see("skills") ? p.skills : [],
    blockedByMe: viewer.blocked.has(member.accountId)
  })
}

/**
 * Whether an entry answers a search: every word of it is found in the name, the street shown, or an
 * interest or a skill shown (their French labels). Only what the viewer sees is searched, so that a
 * search never reveals a hidden street.
 */
export const matches = (entry: AnnuaireEntry, query: string): boolean => {
  const words = folded(query).split(/\s+/).filter((w) => w.length > 0)
  if (words.length === 0) return true
  const haystack = folded([
    entry.name,
    entry.street ?? "",
    ...entry.interests.map((t) => TOPICS[t]),
    ...entry.skills.map((t) => TOPICS[t])
  ].join(" "))
  return words.every((w) => haystack.includes(w))
}

/**
 * A quartier's annuaire for the viewer: the entries they may find that answer the search, by name
 * (French order), and the newcomers of the week among them.
 */
export const annuaireOf = (
  viewer: DirectoryViewer,
  members: ReadonlyArray<DirectoryMember>,
  communityId: CommunityId,
  query: string,
  now: DateTime.Utc
): { readonly entries: ReadonlyArray<AnnuaireEntry>; readonly newThisWeek: ReadonlyArray<AnnuaireEntry> } => {
  const entries = members
    .map((m) => annuaireEntry(viewer, m, communityId, now))
    .filter((e): e is AnnuaireEntry => e !== undefined && matches(e, query))
    .sort((a, b) => a.name.localeCompare(b.name, "fr-FR") || a.accountId.localeCompare(b.accountId))
  return { entries, newThisWeek: entries.filter((e) => e.newThisWeek) }
}

/**
 * Whether the blocker may block `target`: never themselves; only a member who shares a verified
 * quartier with them and whose account is not erased (listed or not: one who left the annuaire may
 * still be blocked).
 */
export const blockRefusal = (
  viewer: DirectoryViewer,
  target: DirectoryMember | undefined,
  targetId: AccountId
): "self" | "not_a_neighbour" | undefined => {
  if (targetId === viewer.accountId) return "self"
  if (target === undefined || target.status === "erased" || viewer.staff) return "not_a_neighbour"
  return sharedQuartiers(viewer, target).length > 0 ? undefined : "not_a_neighbour"
}
