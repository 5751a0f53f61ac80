import { Rpc, RpcGroup } from "@effect/rpc"
import { Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { InseeCode } from "../communities/Commune.js"
import { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { BudgetExceeded } from "./MairieErrors.js"
import { BulletinSent, BulletinText, ReferentInboxPage } from "./ReferentBulletin.js"

/**
 * Inform the référents of chosen communities of my commune (mairie agents and municipal police). Its
 * SMS count in the commune's monthly SMS budget: refused (BudgetExceeded) when it cannot pay them.
 */
export const SendReferentBulletin = Rpc.make("SendReferentBulletin", {
  payload: Schema.Struct({
    insee: InseeCode,
    communityIds: Schema.NonEmptyArray(CommunityId).pipe(Schema.maxItems(500)),
    text: BulletinText
  }),
  success: BulletinSent,
  error: Schema.Union(Unauthenticated, AccountSuspended, Forbidden, CommunityNotFound, InvalidRequest, BudgetExceeded)
})

/** The information the mairie and police sent me as a référent, newest first. */
export const ListReferentInbox = Rpc.make("ListReferentInbox", {
  payload: Schema.Struct({
    before: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option", nullable: true }),
    limit: Schema.Int.pipe(Schema.between(1, 50))
  }),
  success: ReferentInboxPage,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/** Information to référents. */
export class ReferentBulletinRpcs
  extends RpcGroup.make(SendReferentBulletin, ListReferentInbox).middleware(Authentication)
{}
