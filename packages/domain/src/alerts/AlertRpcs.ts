import { Rpc, RpcGroup } from "@effect/rpc"
import { Option, Schema } from "effect"
import { AccountSuspended, Forbidden, Unauthenticated } from "../accounts/AccountErrors.js"
import { Authentication } from "../accounts/Authentication.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { LiveEvent } from "../live/LiveEvent.js"
import { NotAVerifiedMember } from "../membership/MembershipErrors.js"
import { InvalidRequest } from "../shared/InvalidRequest.js"
import { AlertCategory, AlertId, AlertPlace, AlertScope, AlertText, Urgency } from "./Alert.js"
import { AlertView } from "./AlertView.js"
import {
  AlertNotFound,
  AlertRateLimited,
  CategoryNotAllowed,
  InvalidAlertTransition,
  TownAlertNeedsPreview
} from "./AlertErrors.js"
import { AlertPage } from "./AlertView.js"

export { AlertPage }

/**
 * Post an alert to one of my communities. A new member's first alerts are held for review: the
 * returned status says so. The commune scope is refused (TownAlertNeedsPreview): town alerts go
 * through PreviewTownAlert and ConfirmTownAlert.
 */
export const PostAlert = Rpc.make("PostAlert", {
  payload: Schema.Struct({
    scope: AlertScope,
    category: AlertCategory,
    urgency: Urgency,
    text: AlertText,
    place: Schema.optionalWith(AlertPlace, { as: "Option", nullable: true }),
    sharedWithAuthorities: Schema.Boolean
  }),
  success: AlertView,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    NotAVerifiedMember,
    Forbidden,
    CategoryNotAllowed,
    AlertRateLimited,
    CommunityNotFound,
    InvalidRequest,
    TownAlertNeedsPreview
  )
})

/**
 * The alerts of my communities (and, for the mairie and police, those of my commune shared with us).
 * Page with the previous page's `nextBefore` and `nextBeforeId` as `before` and `beforeId`: alerts
 * sharing one instant are then neither skipped nor repeated. `before` alone (older clients) gives the
 * alerts strictly older than that instant; `beforeId` without `before` is ignored.
 */
export const ListAlerts = Rpc.make("ListAlerts", {
  payload: Schema.Struct({
    before: Schema.optionalWith(Schema.DateTimeUtc, { as: "Option", nullable: true }),
    beforeId: Schema.optionalWith(AlertId, { as: "Option", nullable: true }).pipe(
      Schema.withConstructorDefault(() => Option.none())
    ),
    limit: Schema.Int.pipe(Schema.between(1, 50))
  }),
  success: AlertPage,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest)
})

/** One alert, if I may see it (otherwise it does not exist for me). */
export const GetAlert = Rpc.make("GetAlert", {
  payload: Schema.Struct({ alertId: AlertId }),
  success: AlertView,
  error: Schema.Union(Unauthenticated, AccountSuspended, AlertNotFound, InvalidRequest)
})

/** Withdraw my own alert (a mistake, a false alarm). */
export const RetractAlert = Rpc.make("RetractAlert", {
  payload: Schema.Struct({ alertId: AlertId }),
  success: AlertView,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    AlertNotFound,
    Forbidden,
    InvalidAlertTransition,
    InvalidRequest
  )
})

/** Close my own alert as resolved (the animal is found, the vehicle was a neighbour's guest). */
export const ResolveAlert = Rpc.make("ResolveAlert", {
  payload: Schema.Struct({ alertId: AlertId }),
  success: AlertView,
  error: Schema.Union(
    Unauthenticated,
    AccountSuspended,
    AlertNotFound,
    Forbidden,
    InvalidAlertTransition,
    InvalidRequest
  )
})

/** Live events of my communities (and of my commune for its staff), for as long as I listen. */
export const WatchLiveEvents = Rpc.make("WatchLiveEvents", {
  payload: Schema.Struct({}),
  success: LiveEvent,
  error: Schema.Union(Unauthenticated, AccountSuspended, InvalidRequest),
  stream: true
})

/**
 * Alerts: post, feed, read, retract, resolve, and the live stream. Every alert answered is an
 * AlertView (`mine` and the author's display name): a reader never receives another account's id.
 */
export class AlertRpcs extends RpcGroup.make(
  PostAlert,
  ListAlerts,
  GetAlert,
  RetractAlert,
  ResolveAlert,
  WatchLiveEvents
).middleware(Authentication) {}
