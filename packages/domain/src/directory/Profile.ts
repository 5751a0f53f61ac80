import { Schema } from "effect"
import { AccountId, CommunityId } from "../shared/Ids.js"
import { UploadId } from "../media/Upload.js"

/**
 * Who sees one field of a profile: `me`, its owner alone (« moi seul »), or `members`, the verified
 * members of the owner's quartiers (« les membres de mes quartiers »). Staff never see a profile.
 */
export const Visibility = Schema.Literal("me", "members")
export type Visibility = typeof Visibility.Type

/** How the member is named in the annuaire: « Chloé M. » (`short`, the default) or « Chloé Martin » (`full`). */
export const NameStyle = Schema.Literal("short", "full")
export type NameStyle = typeof NameStyle.Type

/**
 * The fields whose visibility the member chooses one by one. The street, the house number, the phone
 * and the e-mail come from the account and its membership; they stay hidden (`me`) until the member
 * opts in, field by field (CNIL).
 */
export const PROFILE_FIELDS = [
  "photo",
  "presentation",
  "interests",
  "skills",
  "languages",
  "street",
  "houseNumber",
  "phone",
  "email"
] as const
export type ProfileField = (typeof PROFILE_FIELDS)[number]

/** The fields hidden until the member opts in (CNIL): what says where they live and how to reach them. */
export const OPT_IN_FIELDS: ReadonlyArray<ProfileField> = ["street", "houseNumber", "phone", "email"]

/** One visibility per field. */
export const FieldVisibility = Schema.Struct({
  photo: Visibility,
  presentation: Visibility,
  interests: Visibility,
  skills: Visibility,
  languages: Visibility,
  street: Visibility,
  houseNumber: Visibility,
  phone: Visibility,
  email: Visibility
})
export type FieldVisibility = typeof FieldVisibility.Type

/**
 * A new profile's visibilities: what the member writes about themselves is for their neighbours
 * (it is empty until they write it), where they live and how to reach them is for themselves.
 */
export const DEFAULT_VISIBILITY: FieldVisibility = {
  photo: "members",
  presentation: "members",
  interests: "members",
  skills: "members",
  languages: "members",
  street: "me",
  houseNumber: "me",
  phone: "me",
  email: "me"
}

/** The fixed list of interests and skills (with their French labels), to which the member adds free text. */
export const TOPICS = {
  jardinage: "Jardinage",
  bricolage: "Bricolage",
  cuisine: "Cuisine",
  lecture: "Lecture",
  musique: "Musique",
  randonnee: "Randonnée",
  velo: "Vélo",
  sport: "Sport",
  jeux: "Jeux de société",
  informatique: "Informatique",
  photographie: "Photographie",
  couture: "Couture",
  animaux: "Animaux",
  garde_animaux: "Garde d'animaux",
  aide_devoirs: "Aide aux devoirs",
  courses: "Courses pour un voisin",
  covoiturage: "Covoiturage",
  demenagement: "Coup de main pour un déménagement",
  arrosage: "Arrosage pendant les vacances",
  compagnie: "Visite et compagnie"
} as const
export type Topic = keyof typeof TOPICS
export const TOPIC_IDS = Object.keys(TOPICS) as ReadonlyArray<Topic>
export const Topic = Schema.Literal(...(TOPIC_IDS as [Topic, ...Array<Topic>]))

/** The languages a member may say they speak, with their French names. */
export const LANGUAGES = {
  fr: "Français",
  en: "Anglais",
  es: "Espagnol",
  de: "Allemand",
  it: "Italien",
  pt: "Portugais",
  ar: "Arabe",
  nl: "Néerlandais",
  pl: "Polonais",
  ro: "Roumain",
  tr: "Turc",
  zh: "Chinois",
  lsf: "Langue des signes française",
  oc: "Occitan",
  br: "Breton",
  eu: "Basque"
} as const
export type Language = keyof typeof LANGUAGES
export const LANGUAGE_IDS = Object.keys(LANGUAGES) as ReadonlyArray<Language>
export const Language = Schema.Literal(...(LANGUAGE_IDS as [Language, ...Array<Language>]))

/**
 * A member's profile as stored (table member_profiles). `listed` false: the member left the annuaire
 * (nobody finds them there, their profile page answers « not found » to all but them). `photoId`
 * names a photo of the media pipeline (re-encoded, without its metadata), claimed by the profile.
 */
export class MemberProfile extends Schema.Class<MemberProfile>("MemberProfile")({
  accountId: AccountId,
  listed: Schema.Boolean,
  nameStyle: NameStyle,
  photoId: Schema.NullOr(UploadId),
  presentation: Schema.String,
  interests: Schema.Array(Topic),
  interestsOther: Schema.String,
  skills: Schema.Array(Topic),
  skillsOther: Schema.String,
  languages: Schema.Array(Language),
  visibility: FieldVisibility,
  updatedAt: Schema.DateTimeUtc
}) {}

/** Where the member lives, as the annuaire may show it: the house number and the street, apart. */
export class StreetAddress extends Schema.Class<StreetAddress>("StreetAddress")({
  houseNumber: Schema.NullOr(Schema.String),
  street: Schema.String
}) {}

/**
 * A profile as one viewer receives it: each field present only when that viewer may see it (null
 * or empty otherwise, never the hidden value). `mine`: the viewer is its owner, who also receives the
 * visibilities and every field. `photoUrl` is where the photo is served (GET /media/<id>), to whoever
 * may see it.
 */
export class ProfileView extends Schema.Class<ProfileView>("ProfileView")({
  accountId: AccountId,
  name: Schema.String,
  mine: Schema.Boolean,
  referent: Schema.Boolean,
  listed: Schema.Boolean,
  nameStyle: Schema.NullOr(NameStyle),
  photoUrl: Schema.NullOr(Schema.String),
  presentation: Schema.NullOr(Schema.String),
  interests: Schema.Array(Topic),
  interestsOther: Schema.NullOr(Schema.String),
  skills: Schema.Array(Topic),
  skillsOther: Schema.NullOr(Schema.String),
  languages: Schema.Array(Language),
  street: Schema.NullOr(Schema.String),
  houseNumber: Schema.NullOr(Schema.String),
  phone: Schema.NullOr(Schema.String),
  email: Schema.NullOr(Schema.String),
  /** The quartiers the viewer shares with the owner (the owner's own, for them), by id and name. */
  quartiers: Schema.Array(Schema.Struct({ id: CommunityId, name: Schema.String })),
  /** Only for the owner: the visibility of each field. */
  visibility: Schema.NullOr(FieldVisibility),
  /** The viewer blocked this member (they may unblock from here). */
  blockedByMe: Schema.Boolean
}) {}

/** One member in a quartier's annuaire, as one viewer receives it (the fields they may see). */
export class AnnuaireEntry extends Schema.Class<AnnuaireEntry>("AnnuaireEntry")({
  accountId: AccountId,
  name: Schema.String,
  mine: Schema.Boolean,
  referent: Schema.Boolean,
  /** Verified in this quartier within the last 7 days: « nouveau membre de la semaine ». */
  newThisWeek: Schema.Boolean,
  photoUrl: Schema.NullOr(Schema.String),
  street: Schema.NullOr(Schema.String),
  interests: Schema.Array(Topic),
  skills: Schema.Array(Topic),
  blockedByMe: Schema.Boolean
}) {}

/** A quartier's annuaire: its listed members the viewer may find, the newcomers of the week apart. */
export class Annuaire extends Schema.Class<Annuaire>("Annuaire")({
  communityId: CommunityId,
  communityName: Schema.String,
  entries: Schema.Array(AnnuaireEntry),
  newThisWeek: Schema.Array(AnnuaireEntry),
  /** Whether the viewer is listed themselves (they may come back from « Mon profil »). */
  viewerListed: Schema.Boolean
}) {}

/** One member I blocked, as my list shows them. */
export class BlockedMember extends Schema.Class<BlockedMember>("BlockedMember")({
  accountId: AccountId,
  name: Schema.String,
  since: Schema.DateTimeUtc
}) {}
