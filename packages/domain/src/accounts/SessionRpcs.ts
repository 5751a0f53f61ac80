import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { Email } from "../shared/Text.js"
import { AccountSuspended, Unauthenticated } from "./AccountErrors.js"
import { Authentication } from "./Authentication.js"
import { Me } from "./Me.js"
import { InvalidCredentials, LoginThrottled } from "./SessionErrors.js"
import { SecondFactorRequired } from "./SecondFactorErrors.js"
import { PASSWORD_MAX_LENGTH } from "./AuthPolicy.js"

/** A password as typed. Redacted in memory; never logged, never stored. */
export const PasswordInput = Schema.Redacted(
  Schema.String.pipe(Schema.minLength(1), Schema.maxLength(PASSWORD_MAX_LENGTH))
)

/**
 * Log in with e-mail and password; the server answers with a session cookie, or, for staff with a
 * second factor, SecondFactorRequired and its challenge (then CompleteSignIn).
 */
export const LogIn = Rpc.make("LogIn", {
  payload: Schema.Struct({ email: Email, password: PasswordInput }),
  success: Me,
  error: Schema.Union(InvalidCredentials, LoginThrottled, AccountSuspended, SecondFactorRequired, InvalidRequest)
})

/** End the current session (nothing happens when there is none). */
export const LogOut = Rpc.make("LogOut", {
  payload: Schema.Struct({}),
  error: InvalidRequest
})

/** Who the session cookie belongs to. */
export const WhoAmI = Rpc.make("WhoAmI", {
  payload: Schema.Struct({}),
  success: Me,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/** Sessions: log in, log out, who am I. */
export class SessionRpcs extends RpcGroup.make(LogIn, LogOut, WhoAmI).middleware(Authentication) {}
