import { Schema } from "effect"
import { AccountId } from "../shared/Ids.js"

/**
 * A profile the member sends breaks a rule: a text too long (`too_long`, with `maxLength`), an
 * interest, a skill or a language not on the list (`unknown`, with the `value`), a visibility other
 * than « moi seul » or « les membres de mes quartiers » or a name style other than short or full
 * (`invalid`), too many entries (`too_many`, with `maxLength`). Nothing is written.
 */
export class InvalidProfile extends Schema.TaggedError<InvalidProfile>()("InvalidProfile", {
  field: Schema.String,
  reason: Schema.Literal("too_long", "unknown", "invalid", "too_many"),
  maxLength: Schema.optional(Schema.Int),
  value: Schema.optional(Schema.String.pipe(Schema.maxLength(200)))
}) {}

/**
 * No such member for this viewer: unknown, erased, out of the viewer's quartiers, out of the
 * annuaire, or one who blocked the viewer. All get the same answer, so that nothing tells which.
 */
export class ProfileNotFound extends Schema.TaggedError<ProfileNotFound>()("ProfileNotFound", {
  accountId: AccountId
}) {}

/**
 * A block that cannot be: oneself (`self`), or a member who shares no quartier with me, unknown or
 * erased (`not_a_neighbour`, one answer for all three). Nothing is written.
 */
export class InvalidBlock extends Schema.TaggedError<InvalidBlock>()("InvalidBlock", {
  accountId: AccountId,
  reason: Schema.Literal("self", "not_a_neighbour")
}) {}
