import { Schema } from "effect"
import { AccountId } from "./Account.js"

/** The account does not exist (or is erased). */
export class AccountNotFound extends Schema.TaggedError<AccountNotFound>()("AccountNotFound", {
  accountId: AccountId
}) {}

/** An account already uses this e-mail address. Registration does not reveal it to the caller. */
export class EmailAlreadyUsed extends Schema.TaggedError<EmailAlreadyUsed>()("EmailAlreadyUsed", {}) {}

/** An account already uses this phone number. */
export class PhoneAlreadyUsed extends Schema.TaggedError<PhoneAlreadyUsed>()("PhoneAlreadyUsed", {}) {}

/** The account is suspended by a moderator and may not act. */
export class AccountSuspended extends Schema.TaggedError<AccountSuspended>()("AccountSuspended", {
  accountId: AccountId
}) {}

/** The actor is not allowed to do this. Carries what was attempted, never why in detail. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  action: Schema.String
}) {}

/** No session, or an expired one. */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", {}) {}
