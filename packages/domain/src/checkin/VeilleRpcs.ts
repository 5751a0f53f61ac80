import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { AccountId, InseeCode } from "../shared/Ids.js"
import { Email } from "../shared/Text.js"
import {
  PaperNeighbour,
  VeilleCounts,
  VeilleEvent,
  VeilleId,
  VeilleSetup,
  VeilleurCandidate,
  VeilleView,
  WatchedPerson
} from "./Veille.js"
import {
  VeilleAbsenceInvalid,
  VeilleAlreadyExists,
  VeilleConsentMissing,
  VeilleNoDays,
  VeilleNotFound,
  VeilleNoVeilleur,
  VeillePhoneUnsuitable,
  VeilleTimeInvalid,
  VeilleTooManyVeilleurs,
  VeilleurOutsideQuartier
} from "./VeilleErrors.js"

const Acting = [Unauthenticated, AccountSuspended, InvalidRequest] as const

/**
 * Sets up a veille: for oneself (consent given on the web), or, by a référent of the quartier or a
 * mairie agent of the commune, for a neighbour registered on paper whose signed consent is on file.
 * Bad input (a time that does not exist, no day, no veilleur, more than five, a veilleur outside the
 * person's quartiers, a channel the phone cannot take) writes nothing.
 */
export const SetupVeille = Rpc.make("SetupVeille", {
  payload: VeilleSetup,
  success: VeilleView,
  error: Schema.Union(
    ...Acting,
    Forbidden,
    VeilleTimeInvalid,
    VeilleNoDays,
    VeilleNoVeilleur,
    VeilleTooManyVeilleurs,
    VeilleurOutsideQuartier,
    VeillePhoneUnsuitable,
    VeilleConsentMissing,
    VeilleAlreadyExists,
    VeilleNotFound
  )
})

/** My veille (no person), or the veille of a neighbour I manage. */
export const GetVeille = Rpc.make("GetVeille", {
  payload: Schema.Struct({ person: Schema.optional(AccountId) }),
  success: Schema.OptionFromNullOr(VeilleView),
  error: Schema.Union(...Acting, Forbidden)
})

/** The neighbours registered on paper whom I may set up a veille for (référent, mairie agent). */
export const ListPaperNeighbours = Rpc.make("ListPaperNeighbours", {
  payload: Schema.Struct({}),
  success: Schema.Array(PaperNeighbour),
  error: Schema.Union(...Acting)
})

/** The members of the person's quartiers who may be chosen as veilleurs. */
export const ListVeilleurCandidates = Rpc.make("ListVeilleurCandidates", {
  payload: Schema.Struct({ person: Schema.optional(AccountId) }),
  success: Schema.Array(VeilleurCandidate),
  error: Schema.Union(...Acting, Forbidden)
})

/** The people I watch over (or am invited to): their name, shared address, last check-in; nothing more. */
export const ListWatched = Rpc.make("ListWatched", {
  payload: Schema.Struct({}),
  success: Schema.Array(WatchedPerson),
  error: Schema.Union(...Acting)
})

/** A veilleur accepts the invitation, or withdraws (the person is told and asked to choose another). */
export const AnswerVeilleInvitation = Rpc.make("AnswerVeilleInvitation", {
  payload: Schema.Struct({ veilleId: VeilleId, accept: Schema.Boolean }),
  success: Schema.Void,
  error: Schema.Union(...Acting, VeilleNotFound)
})

/** An absence ("2026-08-12" to "2026-08-20", both included): no check-in meanwhile. */
export const SetVeilleAbsence = Rpc.make("SetVeilleAbsence", {
  payload: Schema.Struct({
    veilleId: VeilleId,
    from: Schema.String.pipe(Schema.maxLength(10)),
    to: Schema.String.pipe(Schema.maxLength(10))
  }),
  success: Schema.Void,
  error: Schema.Union(...Acting, VeilleNotFound, VeilleAbsenceInvalid)
})

/** Stops the veille (the person, or whoever manages it). */
export const StopVeille = Rpc.make("StopVeille", {
  payload: Schema.Struct({ veilleId: VeilleId }),
  success: Schema.Void,
  error: Schema.Union(...Acting, VeilleNotFound)
})

/** A veilleur's answer from the web: J'Y VAIS, then OK or URGENCE. True when it changed the check-in. */
export const RespondToVeille = Rpc.make("RespondToVeille", {
  payload: Schema.Struct({ veilleId: VeilleId, answer: Schema.Literal("going", "ok", "urgent") }),
  success: Schema.Boolean,
  error: Schema.Union(...Acting, VeilleNotFound)
})

/** Every recorded step of the veille, newest first: the person, whoever manages it, and its veilleurs. */
export const GetVeilleHistory = Rpc.make("GetVeilleHistory", {
  payload: Schema.Struct({ veilleId: VeilleId }),
  success: Schema.Array(VeilleEvent),
  error: Schema.Union(...Acting, VeilleNotFound)
})

/** The mairie's figures of its commune's veilles: counts only. */
export const GetVeilleCounts = Rpc.make("GetVeilleCounts", {
  payload: Schema.Struct({ insee: InseeCode }),
  success: VeilleCounts,
  error: Schema.Union(...Acting, Forbidden)
})

/** The mairie's social service (CCAS) contact, alerted last when nobody could go; none removes it. */
export const SetCcasContact = Rpc.make("SetCcasContact", {
  payload: Schema.Struct({ insee: InseeCode, email: Schema.OptionFromNullOr(Email) }),
  success: VeilleCounts,
  error: Schema.Union(...Acting, Forbidden)
})

/** La veille bienveillante. */
export class VeilleRpcs extends RpcGroup.make(
  SetupVeille,
  GetVeille,
  ListPaperNeighbours,
  ListVeilleurCandidates,
  ListWatched,
  AnswerVeilleInvitation,
  SetVeilleAbsence,
  StopVeille,
  RespondToVeille,
  GetVeilleHistory,
  GetVeilleCounts,
  SetCcasContact
).middleware(Authentication) {}
