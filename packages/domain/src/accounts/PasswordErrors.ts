import { Schema } from "effect"

/** The password is on the list of common passwords (those tried first by anyone guessing). */
export class CommonPassword extends Schema.TaggedError<CommonPassword>()("CommonPassword", {}) {}
