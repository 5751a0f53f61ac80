import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { MessageId } from "../delivery/Delivery.js"
import type { Alert, AlertCategory, AlertId, AlertOrigin, AlertScope, AlertStatus, Urgency } from "./Alert.js"

export interface NewAlert {
  readonly scope: AlertScope
  readonly authorId: AccountId
  readonly origin: AlertOrigin
  readonly category: AlertCategory
  readonly urgency: Urgency
  readonly text: string
  readonly place: Option.Option<string>
  readonly sharedWithAuthorities: boolean
  readonly status: "published" | "held_for_review"
}

/** What a fan-out wrote: the message and how many deliveries per channel. */
export interface FanOutResult {
  readonly messageId: MessageId
  readonly sms: number
  readonly email: number
}

/**
 * Who reads a feed, with the facts that decide what they see. The repository applies exactly the
 * rule of `canRead` (AlertAccess.ts) in its query, so that a page is short only at the end.
 */
export interface FeedReader {
  readonly accountId: AccountId
  readonly moderator: boolean
  readonly verifiedCommunities: ReadonlyArray<CommunityId>
  /** Communes where the reader is mairie agent or municipal police. */
  readonly staffCommunes: ReadonlyArray<InseeCode>
  /** The communities whose alerts are candidates: the verified ones and every community of `staffCommunes`. */
  readonly communityIds: ReadonlyArray<CommunityId>
}

/**
 * A position in the feed, which is ordered newest first by (createdAt, id): the next page holds the
 * alerts strictly after it. Without `id` (old clients), every alert of that instant is skipped.
 */
export interface FeedCursor {
  readonly createdAt: DateTime.Utc
  readonly id: Option.Option<AlertId>
}

/**
 * Persistence of alerts. `post` writes the alert and, when it is published, its message and every
 * delivery row in one transaction (the delivery table is the transactional outbox): all or nothing.
 */
export class AlertRepo extends Context.Tag("@vigie/domain/AlertRepo")<
  AlertRepo,
  {
    readonly post: (alert: NewAlert, now: DateTime.Utc) => Effect.Effect<{ readonly alert: Alert; readonly fanOut: Option.Option<FanOutResult> }>
    /** Plans the deliveries of an existing alert's message (idempotent: existing rows are kept). */
    readonly fanOut: (alertId: AlertId, now: DateTime.Utc) => Effect.Effect<FanOutResult>
    readonly findById: (id: AlertId) => Effect.Effect<Option.Option<Alert>>
    /** Published or resolved alerts the reader may read, newest first by (createdAt, id), after an optional cursor. */
    readonly feed: (reader: FeedReader, options: { readonly before: Option.Option<FeedCursor>; readonly limit: number }) => Effect.Effect<ReadonlyArray<Alert>>
    readonly setStatus: (id: AlertId, status: AlertStatus, now: DateTime.Utc) => Effect.Effect<void>
  }
>() {}
