import type { DateTime, Option } from "effect"
import { copyOnce, copyRecipients } from "../delivery/CopyRecipients.js"
import type { EarlierDelivery } from "../delivery/CopyRecipients.js"
import type { PlannedDelivery } from "../delivery/FanOut.js"
import type { AccountId } from "../shared/Ids.js"
import type { PhoneE164 } from "../shared/Text.js"

/** What decides the recipients of an alert's short messages: the deliveries of its 'alert' message, and STOPs now. */
export interface AlertMessageFacts {
  /** The deliveries of the alert's own 'alert' message (none when it never fanned out: held, then retracted). */
  readonly alertDeliveries: ReadonlyArray<EarlierDelivery>
  readonly suppressedPhones: ReadonlyArray<PhoneE164>
}

/**
 * The closing message of an alert ("alerte terminée"), sent when `sendsClosingMessage(from, to)`
 * (AlertLifecycle: a published alert resolved or retracted). Its recipients are exactly
 * `copyRecipients` of the alert's 'alert' message with nobody excluded: whoever was reached (or is
 * still to be reached) on a channel hears on that channel that it is over, at the same address, never
 * before the alert itself; not after a failure, not to a number that said STOP since. Preferences and
 * quiet hours are not read again. At most one closing message per alert, and none when nobody is to
 * receive it (then no message row is written either).
 */
export const closingRecipients = (
  facts: AlertMessageFacts & { readonly closingWritten: boolean },
  now: DateTime.Utc
): Option.Option<ReadonlyArray<PlannedDelivery>> =>
  copyOnce(
    facts.closingWritten,
    copyRecipients({ earlier: facts.alertDeliveries, excluded: [], suppressedPhones: facts.suppressedPhones }, now)
  )

/**
 * The follow-up of an original alert ("un autre voisin confirme"), written when a near-duplicate of it
 * is published (posted published, or approved later). Its recipients are `copyRecipients` of the
 * original's 'alert' message minus the follow-up's author (who knows: they wrote it). Nothing when the
 * follow-up's author is the original's author (a double submission confirms nothing), when the
 * original already has its one follow-up message (a third, fourth ... report adds nothing), or when
 * nobody is to receive it.
 */
export const followupRecipients = (
  facts: AlertMessageFacts & {
    readonly originalAuthorId: AccountId
    readonly followupAuthorId: AccountId
    readonly followupWritten: boolean
  },
  now: DateTime.Utc
): Option.Option<ReadonlyArray<PlannedDelivery>> =>
  copyOnce(
    facts.followupWritten || facts.originalAuthorId === facts.followupAuthorId,
    copyRecipients({
      earlier: facts.alertDeliveries,
      excluded: [facts.followupAuthorId],
      suppressedPhones: facts.suppressedPhones
    }, now)
  )
