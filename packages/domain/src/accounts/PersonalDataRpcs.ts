import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { AccountSuspended, Unauthenticated } from "./AccountErrors.js"
import { Authentication } from "./Authentication.js"
import { StaffAccountErasureRefused } from "./PersonalDataErrors.js"
import { InvalidCredentials, LoginThrottled } from "./SessionErrors.js"
import { PasswordInput } from "./SessionRpcs.js"

/**
 * Erase my account, confirmed by my password: my personal data is replaced by a tombstone, my
 * alerts stay for my neighbours as "Ancien membre", my pending messages are cancelled, my sessions
 * end (the cookie is cleared). The export is not an RPC: it is GET /compte/donnees.zip.
 */
export const EraseMyAccount = Rpc.make("EraseMyAccount", {
  payload: Schema.Struct({ password: PasswordInput }),
  error: Schema.Union(
    InvalidCredentials,
    LoginThrottled,
    StaffAccountErasureRefused,
    Unauthenticated,
    AccountSuspended,
    InvalidRequest
  )
})

/** The member's own data (GDPR). */
export class PersonalDataRpcs extends RpcGroup.make(EraseMyAccount).middleware(Authentication) {}
