import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { AccountSuspended, Forbidden, Unauthenticated } from "./AccountErrors.js"
import { Authentication } from "./Authentication.js"
import { Me } from "./Me.js"
import { CommonPassword } from "./PasswordErrors.js"
import { RecoveryCodes, SecondFactorStatus, TotpEnrolment } from "./SecondFactor.js"
import {
  AlreadyEnrolled,
  InvitationExpired,
  InvitationNotFound,
  NoEnrolmentInProgress,
  SecondFactorLocked,
  SignInChallengeExpired,
  WrongSecondFactorCode
} from "./SecondFactorErrors.js"
import { WeakPassword } from "./SessionErrors.js"
import { PasswordInput } from "./SessionRpcs.js"

/** A code as typed: six digits from the app, or a recovery code such as "7K3M-9QX2-TA". */
const CodeInput = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(32))

/** Whether the signed-in account needs a second factor and has one. */
export const GetSecondFactorStatus = Rpc.make("GetSecondFactorStatus", {
  payload: Schema.Struct({}),
  success: SecondFactorStatus,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/** Staff: start enrolling an authenticator app; the secret is shown now and never again. */
export const BeginTotpEnrolment = Rpc.make("BeginTotpEnrolment", {
  payload: Schema.Struct({}),
  success: TotpEnrolment,
  error: Schema.Union(Unauthenticated, AccountSuspended, Forbidden, AlreadyEnrolled, InvalidRequest)
})

/** Staff: confirm the enrolment with a first code from the app; answers the 10 recovery codes, once. */
export const ConfirmTotpEnrolment = Rpc.make("ConfirmTotpEnrolment", {
  payload: Schema.Struct({ code: CodeInput }),
  success: RecoveryCodes,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    Forbidden,
    AlreadyEnrolled,
    NoEnrolmentInProgress,
    WrongSecondFactorCode,
    SecondFactorLocked,
    InvalidRequest
  )
})

/** The second step of a staff sign-in: the challenge LogIn gave, and a TOTP or recovery code. Sets the session cookie. */
export const CompleteSignIn = Rpc.make("CompleteSignIn", {
  payload: Schema.Struct({ challenge: Schema.String.pipe(Schema.maxLength(100)), code: CodeInput }),
  success: Me,
  error: Schema.Union(
    SignInChallengeExpired,
    WrongSecondFactorCode,
    SecondFactorLocked,
    AccountSuspended,
    InvalidRequest
  )
})

/** Open a staff invitation: choose one's password and be signed in (to enrol a second factor next). */
export const AcceptStaffInvitation = Rpc.make("AcceptStaffInvitation", {
  payload: Schema.Struct({ token: Schema.String.pipe(Schema.maxLength(100)), password: PasswordInput }),
  success: Me,
  error: Schema.Union(
    InvitationNotFound,
    InvitationExpired,
    WeakPassword,
    CommonPassword,
    AccountSuspended,
    InvalidRequest
  )
})

/** Staff sign-in: invitation, second-factor enrolment, second step. */
export class SecondFactorRpcs extends RpcGroup.make(
  GetSecondFactorStatus,
  BeginTotpEnrolment,
  ConfirmTotpEnrolment,
  CompleteSignIn,
  AcceptStaffInvitation
).middleware(Authentication) {}
