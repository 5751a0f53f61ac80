import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { Account } from "../accounts/Account.js"
import { AccountSuspended, PhoneAlreadyUsed, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import {
  AddressNotVerifiedYet,
  InvalidPhoneNumber,
  PhoneCountryNotAllowed,
  SmsBudgetReached,
  SmsNotSent
} from "../channels/PhoneErrors.js"
import { PhoneInput } from "../channels/PhoneNumbers.js"
import {
  CodeAlreadyUsed,
  CodeExpired,
  CodeLocked,
  NoPendingCode,
  TooManyCodeRequests,
  WrongCode
} from "../channels/CodeErrors.js"
import { PhoneCodeSent } from "./PhoneVerification.js"

export { PhoneCodeSent }

/**
 * Send a 6-digit code by SMS to the phone I want to use (French forms accepted): French mobiles only
 * (unless the deployment allows more countries), within daily budgets, at most 2 before my address
 * is verified.
 */
export const RequestPhoneCode = Rpc.make("RequestPhoneCode", {
  payload: Schema.Struct({ phone: PhoneInput }),
  success: PhoneCodeSent,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    InvalidPhoneNumber,
    PhoneAlreadyUsed,
    TooManyCodeRequests,
    SmsNotSent,
    InvalidRequest,
    PhoneCountryNotAllowed,
    SmsBudgetReached,
    AddressNotVerifiedYet
  )
})

/** Enter the SMS code: the phone becomes my verified number, able to post alerts by SMS. */
export const ConfirmPhoneCode = Rpc.make("ConfirmPhoneCode", {
  payload: Schema.Struct({ code: Schema.String.pipe(Schema.maxLength(20)) }),
  success: Account,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    NoPendingCode,
    WrongCode,
    CodeLocked,
    CodeExpired,
    CodeAlreadyUsed,
    PhoneAlreadyUsed,
    InvalidRequest
  )
})

/** Verifying a phone number by SMS code. */
export class PhoneRpcs extends RpcGroup.make(RequestPhoneCode, ConfirmPhoneCode).middleware(Authentication) {}
