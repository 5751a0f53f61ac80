import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { Email } from "../shared/Text.js"
import { InvalidPhoneNumber } from "../channels/PhoneErrors.js"
import { PhoneInput } from "../channels/PhoneNumbers.js"
import { AccountSuspended, EmailAlreadyUsed, Unauthenticated } from "./AccountErrors.js"
import { Authentication } from "./Authentication.js"
import {
  EmailUnchanged,
  LinkAlreadyUsed,
  LinkExpired,
  LinkNotFound,
  ResetCodeExpired,
  TooManyEmailChanges,
  WrongPassword,
  WrongResetCode
} from "./LifecycleErrors.js"
import { CommonPassword } from "./PasswordErrors.js"
import { LoginThrottled, WeakPassword } from "./SessionErrors.js"
import { PasswordInput } from "./SessionRpcs.js"
import { EmailChanged, EmailChangeRequested } from "./EmailChange.js"

export { EmailChanged, EmailChangeRequested }

/** A link's token as it arrives from the page (base64url; anything else is simply not found). */
export const LinkToken = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))

/** A code as typed (spaces allowed). */
export const CodeInput = Schema.String.pipe(Schema.maxLength(20))

/**
 * Forgotten password, by e-mail: a link valid 1 hour goes to the address when it is an account's.
 * The answer is the same either way.
 */
export const RequestPasswordReset = Rpc.make("RequestPasswordReset", {
  payload: Schema.Struct({ email: Email }),
  error: InvalidRequest
})

/**
 * Forgotten password, by SMS: a 6-digit code valid 15 minutes goes to the number when it is an
 * account's verified phone. The answer is the same either way.
 */
export const RequestPasswordResetCode = Rpc.make("RequestPasswordResetCode", {
  payload: Schema.Struct({ phone: PhoneInput }),
  error: Schema.Union(InvalidPhoneNumber, InvalidRequest)
})

/** Choose a new password with the link's token: every session of the account ends. */
export const CompletePasswordReset = Rpc.make("CompletePasswordReset", {
  payload: Schema.Struct({ token: LinkToken, password: PasswordInput }),
  error: Schema.Union(WeakPassword, CommonPassword, LinkNotFound, LinkExpired, LinkAlreadyUsed, InvalidRequest)
})

/** Choose a new password with the SMS code: every session of the account ends. */
export const CompletePasswordResetByCode = Rpc.make("CompletePasswordResetByCode", {
  payload: Schema.Struct({ phone: PhoneInput, code: CodeInput, password: PasswordInput }),
  error: Schema.Union(
    InvalidPhoneNumber,
    WeakPassword,
    CommonPassword,
    WrongResetCode,
    ResetCodeExpired,
    InvalidRequest
  )
})

/** Change my password: the current one is asked; my other sessions end, this one stays. */
export const ChangePassword = Rpc.make("ChangePassword", {
  payload: Schema.Struct({ currentPassword: PasswordInput, newPassword: PasswordInput }),
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    WrongPassword,
    LoginThrottled,
    WeakPassword,
    CommonPassword,
    InvalidRequest
  )
})

/** Change my e-mail address: a link to the new address confirms it; the old one is told. */
export const RequestEmailChange = Rpc.make("RequestEmailChange", {
  payload: Schema.Struct({ newEmail: Email, password: PasswordInput }),
  success: EmailChangeRequested,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    WrongPassword,
    LoginThrottled,
    EmailUnchanged,
    TooManyEmailChanges,
    InvalidRequest
  )
})

/** Open the link sent to the new address: it becomes the account's address. */
export const ConfirmEmailChange = Rpc.make("ConfirmEmailChange", {
  payload: Schema.Struct({ token: LinkToken }),
  success: EmailChanged,
  error: Schema.Union(LinkNotFound, LinkExpired, LinkAlreadyUsed, EmailAlreadyUsed, InvalidRequest)
})

/** The account lifecycle: forgotten password, change of password and of e-mail address. */
export class LifecycleRpcs extends RpcGroup.make(
  RequestPasswordReset,
  RequestPasswordResetCode,
  CompletePasswordReset,
  CompletePasswordResetByCode,
  ChangePassword,
  RequestEmailChange,
  ConfirmEmailChange
).middleware(Authentication) {}
