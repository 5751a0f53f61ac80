import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId, AccountStatus } from "../accounts/Account.js"
import type { InseeCode } from "../communities/Commune.js"
import type { CommunityId } from "../communities/Community.js"
import type { PlannedMessage } from "../delivery/Outbox.js"
import type { AlertFlaggedSpan } from "../trust/SensitiveDescriptors.js"
import type { AlertHoldReason } from "../trust/TrustPolicy.js"
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
  /**
   * When the alert is a near-duplicate (DuplicatePolicy.originalOf): the original it confirms, and
   * whether the original's recipients are told "un autre voisin confirme" (not when the original has
   * the same author). A follow-up gets no fan-out of its own. Absent: an ordinary alert.
   */
  readonly followup?: { readonly of: AlertId; readonly notify: boolean } | undefined
  /** Why the trust policy held it (empty or absent when published at once); shown to moderators and the author. */
  readonly holdReasons?: ReadonlyArray<AlertHoldReason> | undefined
  /** The spans of its text that tripped the sensitive-descriptor check when it was posted. */
  readonly flaggedSpans?: ReadonlyArray<AlertFlaggedSpan> | undefined
}

/** An alert's author, as much as a reader's view needs to name them (DisplayName.displayName). */
export interface AlertAuthor {
  readonly id: AccountId
  readonly firstName: string
  readonly lastName: string
  readonly status: AccountStatus
}

/**
 * What the texts of a message about an alert are made of, as the alert stands when the message is
 * claimed: its facts, its commune (`insee`, also for a community alert) and community name (none for
 * a town alert).
 */
export interface AlertMessageFacts {
  readonly id: AlertId
  readonly category: AlertCategory
  readonly urgency: Urgency
  readonly origin: AlertOrigin
  readonly text: string
  readonly place: Option.Option<string>
  readonly status: AlertStatus
  readonly insee: InseeCode
  readonly communityName: Option.Option<string>
}

/** What a fan-out wrote: the message and how many deliveries per channel (Outbox.PlannedMessage). */
export type FanOutResult = PlannedMessage

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
 * An alert of a feed with its author's name facts, read in the same statement: present for a
 * community alert whose author's account exists, absent for a town alert (it speaks for the mairie).
 */
export interface FeedEntry {
  readonly alert: Alert
  readonly author: Option.Option<AlertAuthor>
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
 * A status change that happened, with the closing message it wrote, if any, and the fan-out it
 * wrote, if any (the alert's first publication: a held alert approved, or one hidden while held
 * then restored; a follow-up's fan-out is the original's 'followup' message).
 */
export interface AlertMoved {
  readonly alert: Alert
  readonly closing: Option.Option<FanOutResult>
  readonly fanOut: Option.Option<FanOutResult>
}

/**
 * Persistence of alerts: it stores and reads alert rows, and decides nothing. What a post or a move
 * sends is decided by the alerts context (AlertMessages) and planned through the Outbox, in the same
 * transaction (AlertPublisher).
 */
export class AlertRepo extends Context.Tag("@vigie/domain/AlertRepo")<
  AlertRepo,
  {
    /** Writes a new alert (its `followup.of` as the original it confirms). */
    readonly insert: (alert: NewAlert, now: DateTime.Utc) => Effect.Effect<Alert>
    readonly findById: (id: AlertId) => Effect.Effect<Option.Option<Alert>>
    /** The alerts of `ids` that exist, in no particular order, in one query. */
    readonly findByIds: (ids: ReadonlyArray<AlertId>) => Effect.Effect<ReadonlyArray<Alert>>
    /**
     * Published or resolved alerts the reader may read, newest first by (createdAt, id), after an
     * optional cursor, each with its author (one statement: no second round trip for the names).
     */
    readonly feed: (
      reader: FeedReader,
      options: { readonly before: Option.Option<FeedCursor>; readonly limit: number }
    ) => Effect.Effect<ReadonlyArray<FeedEntry>>
    /**
     * The alerts of one scope (the community, or for a town alert its commune) created in [since, until],
     * oldest first: the candidates of DuplicatePolicy.originalOf, in one query.
     */
    readonly recent: (
      scope: AlertScope,
      since: DateTime.Utc,
      until: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<Alert>>
    /**
     * Moves an alert from `from` to `to`, and nothing else: the row is locked first, so that of two
     * concurrent moves the second finds the alert no longer in `from` and changes nothing (None).
     * `firstPublished`: this move published the alert for the first time.
     */
    readonly move: (
      id: AlertId,
      from: AlertStatus,
      to: AlertStatus,
      now: DateTime.Utc
    ) => Effect.Effect<Option.Option<{ readonly alert: Alert; readonly firstPublished: boolean }>>
    /** The message facts of the alerts of `ids` that exist, in no particular order, in one query. */
    readonly messageFacts: (ids: ReadonlyArray<AlertId>) => Effect.Effect<ReadonlyArray<AlertMessageFacts>>
    /** The authors among `ids` that exist, in no particular order, in one query: to name them to readers. */
    readonly authors: (ids: ReadonlyArray<AccountId>) => Effect.Effect<ReadonlyArray<AlertAuthor>>
    /** Sets a status and nothing else, no message: for seeds and tests. Use AlertPublisher.transition for a real move. */
    readonly setStatus: (id: AlertId, status: AlertStatus, now: DateTime.Utc) => Effect.Effect<void>
  }
>() {}
