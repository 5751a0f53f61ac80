import { Schema } from "effect"
import { Email } from "../shared/Text.js"

/** A link to confirm `newEmail` went out, usable until `expiresAt`. */
export class EmailChangeRequested extends Schema.Class<EmailChangeRequested>("EmailChangeRequested")({
  newEmail: Email,
  expiresAt: Schema.DateTimeUtc
}) {}

/** The account's address is now `email`. */
export class EmailChanged extends Schema.Class<EmailChanged>("EmailChanged")({
  email: Email
}) {}
