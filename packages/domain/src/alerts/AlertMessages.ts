import { Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import type { AlertId, AlertStatus } from "./Alert.js"
import { sendsClosingMessage, startsFanOut } from "./AlertLifecycle.js"

/**
 * A message an alert's step sends, as the alerts context decides it:
 * - `FanOut`: the alert's own message to its audience (FanOut.recipients);
 * - `FollowUp`: "un autre voisin confirme" to the recipients of the original's message, minus the
 *   follow-up's author (once per original);
 * - `Closing`: the closing note to the recipients of the alert's message (once per alert).
 */
export type AlertMessage =
  | { readonly _tag: "FanOut"; readonly alertId: AlertId }
  | { readonly _tag: "FollowUp"; readonly originalId: AlertId; readonly excluded: AccountId }
  | { readonly _tag: "Closing"; readonly alertId: AlertId }

/** What the decision reads of the alert that moved or was posted. */
export interface AlertFacts {
  readonly id: AlertId
  readonly authorId: AccountId
  readonly status: AlertStatus
  /** The original it confirms, when it is a follow-up. */
  readonly followupOf: Option.Option<AlertId>
}

/**
 * Whether a follow-up tells the original's recipients "un autre voisin confirme": only when the
 * original (found) has another author (a confirmation of one's own alert, a double submission, tells
 * nobody).
 */
export const notifiesOriginal = (originalAuthor: Option.Option<AccountId>, author: AccountId): boolean =>
  Option.exists(originalAuthor, (a) => a !== author)

/**
 * The first publication of an alert: its fan-out, or for a follow-up the original's follow-up
 * message when `notify` (notifiesOriginal).
 */
const firstPublication = (alert: AlertFacts, notify: boolean): ReadonlyArray<AlertMessage> =>
  Option.match(alert.followupOf, {
    onNone: (): ReadonlyArray<AlertMessage> => [{ _tag: "FanOut", alertId: alert.id }],
    onSome: (originalId): ReadonlyArray<AlertMessage> =>
      notify ? [{ _tag: "FollowUp", originalId, excluded: alert.authorId }] : []
  })

/**
 * The messages an alert sends when it is written: nothing while held for review; when published, its
 * first publication (a follow-up tells the original's recipients only when `notify`).
 */
export const messagesOnPost = (alert: AlertFacts, notify: boolean): ReadonlyArray<AlertMessage> =>
  alert.status === "published" ? firstPublication(alert, notify) : []

/**
 * The messages a move from `from` to `to` sends: the closing note when a published alert is resolved
 * or retracted (AlertLifecycle.sendsClosingMessage); the first publication when a held or hidden alert
 * is published and was never published before (`firstPublished`: a restored alert that reached its
 * audience once does not reach it again).
 */
export const messagesOnMove = (move: {
  readonly from: AlertStatus
  readonly to: AlertStatus
  readonly alert: AlertFacts
  readonly firstPublished: boolean
  readonly originalAuthor: Option.Option<AccountId>
}): ReadonlyArray<AlertMessage> => [
  ...(sendsClosingMessage(move.from, move.to) ? [{ _tag: "Closing", alertId: move.alert.id } as const] : []),
  ...(startsFanOut(move.from, move.to) && move.firstPublished
    ? firstPublication(move.alert, notifiesOriginal(move.originalAuthor, move.alert.authorId))
    : [])
]

/** Whether a move's decision needs the original's author (so that it is read only then). */
export const needsOriginal = (
  from: AlertStatus,
  to: AlertStatus,
  firstPublished: boolean,
  alert: AlertFacts
): boolean => startsFanOut(from, to) && firstPublished && Option.isSome(alert.followupOf)
