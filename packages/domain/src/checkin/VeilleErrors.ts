import { Schema } from "effect"
import { AccountId } from "../shared/Ids.js"

/** The time is not a time ("25:00"), or does not exist every day in Paris (02:00–02:59, the DST changes). */
export class VeilleTimeInvalid extends Schema.TaggedError<VeilleTimeInvalid>()("VeilleTimeInvalid", {
  time: Schema.String,
  /** "malformed", or "dst": skipped on the spring-forward day and doubled on the fall-back day. */
  reason: Schema.Literal("malformed", "dst")
}) {}

/** No day of the week was chosen. */
export class VeilleNoDays extends Schema.TaggedError<VeilleNoDays>()("VeilleNoDays", {}) {}

/** No veilleur chosen: a veille needs one to five. */
export class VeilleNoVeilleur extends Schema.TaggedError<VeilleNoVeilleur>()("VeilleNoVeilleur", {}) {}

/** More veilleurs than a veille takes. */
export class VeilleTooManyVeilleurs extends Schema.TaggedError<VeilleTooManyVeilleurs>()("VeilleTooManyVeilleurs", {
  max: Schema.Int
}) {}

/** A chosen veilleur is not a verified member of the person's quartiers (or is the person). */
export class VeilleurOutsideQuartier extends Schema.TaggedError<VeilleurOutsideQuartier>()(
  "VeilleurOutsideQuartier",
  { accountId: AccountId }
) {}

/** An absence that ends before it starts, or whose dates are not dates. */
export class VeilleAbsenceInvalid extends Schema.TaggedError<VeilleAbsenceInvalid>()("VeilleAbsenceInvalid", {
  from: Schema.String,
  to: Schema.String
}) {}

/** No such veille, or not one the caller may see. */
export class VeilleNotFound extends Schema.TaggedError<VeilleNotFound>()("VeilleNotFound", {}) {}

/** The person already has a veille (stop it first). */
export class VeilleAlreadyExists extends Schema.TaggedError<VeilleAlreadyExists>()("VeilleAlreadyExists", {}) {}

/** The channel does not fit the person's phone: SMS needs a mobile, a call needs a number. */
export class VeillePhoneUnsuitable extends Schema.TaggedError<VeillePhoneUnsuitable>()("VeillePhoneUnsuitable", {
  channel: Schema.Literal("sms", "voice")
}) {}

/** A neighbour registered on paper: the signed consent form must be on file. */
export class VeilleConsentMissing extends Schema.TaggedError<VeilleConsentMissing>()("VeilleConsentMissing", {}) {}

/** The most veilleurs a veille takes. */
export const MAX_VEILLEURS = 5
