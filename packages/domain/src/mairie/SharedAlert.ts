import { Option, Schema } from "effect"
import { AccountId } from "../accounts/Account.js"
import { AlertId } from "../alerts/Alert.js"
import { AlertView } from "../alerts/AlertView.js"
import { BoundedText } from "../shared/Text.js"

export const NoteId = Schema.UUID.pipe(Schema.brand("NoteId"))
export type NoteId = typeof NoteId.Type

export const AuthorityRoleSchema = Schema.Literal("mairie", "police")

/** A note the staff of the commune keep about a shared alert; residents never see it. */
export const InternalNoteText = BoundedText(2000).annotations({ identifier: "InternalNoteText" })

export class InternalNote extends Schema.Class<InternalNote>("InternalNote")({
  id: NoteId,
  role: AuthorityRoleSchema,
  authorId: AccountId,
  text: InternalNoteText,
  createdAt: Schema.DateTimeUtc
}) {}

/** The town hall or the police took note of the alert, and when (the first of each side). */
export class Acknowledgement extends Schema.Class<Acknowledgement>("Acknowledgement")({
  role: AuthorityRoleSchema,
  acknowledgedAt: Schema.DateTimeUtc
}) {}

/**
 * One alert residents shared with the authorities, as the mairie and police of its commune see it:
 * the alert as readers receive it (its author's display name, never their account id).
 */
export class SharedAlert extends Schema.Class<SharedAlert>("SharedAlert")({
  alert: AlertView,
  communityName: Schema.String,
  acknowledgements: Schema.Array(Acknowledgement),
  notes: Schema.Array(InternalNote)
}) {}

/** A page of the authorities' inbox, newest first by (createdAt, id). */
export class SharedAlertPage extends Schema.Class<SharedAlertPage>("SharedAlertPage")({
  items: Schema.Array(SharedAlert),
  nextBefore: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  ),
  nextBeforeId: Schema.optionalWith(AlertId, { as: "Option", nullable: true }).pipe(
    Schema.withConstructorDefault(() => Option.none())
  )
}) {}

/** What the author (and whoever may read the alert) sees: who took note, never the notes. */
export class AlertAcknowledgements extends Schema.Class<AlertAcknowledgements>("AlertAcknowledgements")({
  alertId: AlertId,
  mairie: Schema.OptionFromNullOr(Schema.DateTimeUtc),
  police: Schema.OptionFromNullOr(Schema.DateTimeUtc)
}) {}
