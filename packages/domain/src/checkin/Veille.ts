import { Schema } from "effect"
import { AccountId, CommunityId } from "../shared/Ids.js"

/** A veille: the check-in schedule of one person (issue 17). */
export const VeilleId = Schema.UUID.pipe(Schema.brand("VeilleId"))
export type VeilleId = typeof VeilleId.Type

/** One check-in occurrence and its escalation. */
export const CheckInId = Schema.UUID.pipe(Schema.brand("CheckInId"))
export type CheckInId = typeof CheckInId.Type

/** How the person is asked: an SMS (a mobile), or a voice call (a landline or a mobile). */
export const VeilleChannel = Schema.Literal("sms", "voice")
export type VeilleChannel = typeof VeilleChannel.Type

/** How the person consented: on the web themself, by answering OUI by SMS, or on a signed paper form. */
export const ConsentMethod = Schema.Literal("web", "sms", "paper")
export type ConsentMethod = typeof ConsentMethod.Type

/** pending (waiting for the person's OUI) → active → stopped (by the person, STOP VEILLE or the web). */
export const VeilleStatus = Schema.Literal("pending", "active", "stopped")
export type VeilleStatus = typeof VeilleStatus.Type

/** invited → accepted (OUI or the web) → withdrawn (at any time). */
export const VeilleurStatus = Schema.Literal("invited", "accepted", "withdrawn")
export type VeilleurStatus = typeof VeilleurStatus.Type

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export const VeilleDay = Schema.Literal(1, 2, 3, 4, 5, 6, 7)
export type VeilleDay = typeof VeilleDay.Type

/** A local date, "YYYY-MM-DD". */
export const LocalDate = Schema.String.pipe(Schema.pattern(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/))

/** What the web setup form sends. */
export const VeilleSetup = Schema.Struct({
  /** The person watched over: absent for oneself; a neighbour registered on paper for a référent or mairie agent. */
  person: Schema.optional(AccountId),
  communityId: CommunityId,
  days: Schema.Array(VeilleDay).pipe(Schema.maxItems(7)),
  /** "10:00", local time in Europe/Paris. */
  time: Schema.String.pipe(Schema.maxLength(8)),
  channel: VeilleChannel,
  veilleurs: Schema.Array(AccountId).pipe(Schema.maxItems(20)),
  /** Whether the person agrees that the veilleurs see their home address. */
  shareAddress: Schema.Boolean,
  /** For a neighbour registered on paper: the signed consent form is on file. */
  paperConsent: Schema.Boolean,
  /**
   * For a neighbour registered on paper with a mobile, instead of the paper form: ask them by SMS. The
   * veille stays pending until they answer OUI (NON or STOP VEILLE cancels it).
   */
  smsConsent: Schema.optional(Schema.Boolean)
})
export type VeilleSetup = typeof VeilleSetup.Type

export class VeilleurView extends Schema.Class<VeilleurView>("VeilleurView")({
  accountId: AccountId,
  name: Schema.String,
  status: VeilleurStatus
}) {}

export class AbsenceView extends Schema.Class<AbsenceView>("AbsenceView")({
  id: Schema.String,
  from: LocalDate,
  to: LocalDate
}) {}

export class LastCheckIn extends Schema.Class<LastCheckIn>("LastCheckIn")({
  at: Schema.DateTimeUtc,
  phase: Schema.String,
  outcome: Schema.OptionFromNullOr(Schema.String)
}) {}

/** A veille as the person, or the référent / agent who set it up, sees it. */
export class VeilleView extends Schema.Class<VeilleView>("VeilleView")({
  id: VeilleId,
  personId: AccountId,
  personName: Schema.String,
  communityId: CommunityId,
  days: Schema.Array(VeilleDay),
  time: Schema.String,
  schedule: Schema.String,
  channel: VeilleChannel,
  status: VeilleStatus,
  consentMethod: ConsentMethod,
  consentBy: Schema.String,
  consentAt: Schema.DateTimeUtc,
  veilleurs: Schema.Array(VeilleurView),
  absences: Schema.Array(AbsenceView),
  nextCheckIn: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  lastCheckIn: Schema.OptionFromNullOr(LastCheckIn)
}) {}

/** What a veilleur sees of the person: only the name, the address they agreed to share, the last check-in. */
export class WatchedPerson extends Schema.Class<WatchedPerson>("WatchedPerson")({
  veilleId: VeilleId,
  name: Schema.String,
  address: Schema.OptionFromNullOr(Schema.String),
  myStatus: VeilleurStatus,
  lastCheckIn: Schema.OptionFromNullOr(LastCheckIn)
}) {}

/** One recorded step of a veille: when, who, what. */
export class VeilleEvent extends Schema.Class<VeilleEvent>("VeilleEvent")({
  at: Schema.DateTimeUtc,
  kind: Schema.String,
  actor: Schema.String,
  text: Schema.String
}) {}

/** What the mairie sees of the veilles of its commune: counts, never who. */
export class VeilleCounts extends Schema.Class<VeilleCounts>("VeilleCounts")({
  active: Schema.NonNegativeInt,
  veilleurs: Schema.NonNegativeInt,
  checkInsLast30Days: Schema.NonNegativeInt,
  escalationsLast30Days: Schema.NonNegativeInt,
  ccasContact: Schema.OptionFromNullOr(Schema.String)
}) {}

/** A person a référent or mairie agent may set up a veille for: a neighbour registered on paper. */
export class PaperNeighbour extends Schema.Class<PaperNeighbour>("PaperNeighbour")({
  accountId: AccountId,
  name: Schema.String,
  communityId: CommunityId,
  phoneKind: Schema.Literal("mobile", "landline"),
  hasVeille: Schema.Boolean
}) {}

/** A member of the person's quartiers who may be chosen as veilleur. */
export class VeilleurCandidate extends Schema.Class<VeilleurCandidate>("VeilleurCandidate")({
  accountId: AccountId,
  name: Schema.String
}) {}
