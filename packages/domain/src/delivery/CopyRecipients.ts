import { DateTime, Option } from "effect"
import type { AccountId } from "../shared/Ids.js"
import type { PhoneE164 } from "../shared/Text.js"
import type { DeliveryStatus } from "./Delivery.js"
import type { PlannedDelivery } from "./FanOut.js"
import type { DeliveryChannel } from "./NotificationPreferences.js"

/** One delivery of the earlier message, as a copy reads it: who, how, where, how it ended, not before when. */
export interface EarlierDelivery {
  readonly accountId: AccountId
  readonly channel: DeliveryChannel
  readonly destination: string
  readonly status: DeliveryStatus
  readonly notBefore: DateTime.Utc
}

/** What a copy of an earlier message's recipients depends on. Order of every array is irrelevant. */
export interface CopyFacts {
  /** The deliveries of the earlier message: at most one per (account, channel), as the database guarantees. */
  readonly earlier: ReadonlyArray<EarlierDelivery>
  /** Accounts the copy leaves out (the caller's rule: a follow-up's author, for example). */
  readonly excluded: ReadonlyArray<AccountId>
  /** Numbers that said STOP (or bounced for good), now. */
  readonly suppressedPhones: ReadonlyArray<PhoneE164>
}

/**
 * The statuses of an earlier delivery that never reached its person: a copy does not try them again
 * (withheld: the content was hidden by moderation before it went out).
 */
export const NEVER_REACHED: ReadonlyArray<DeliveryStatus> = ["failed", "dead", "withheld"]

const compareKeys = (a: PlannedDelivery, b: PlannedDelivery) =>
  a.accountId < b.accountId ? -1 : a.accountId > b.accountId ?
    1
    : a.channel < b.channel
    ? -1
    : a.channel > b.channel
    ? 1
    : 0

/**
 * Who receives a short message that follows an earlier one (a closing message, a follow-up), on
 * which channel, where, and when. The rules, each proved by a property test:
 * - the same people, on the same channels, at the same destinations as the earlier message: no new
 *   recipient, no new channel, the address the earlier message used (even if the account changed it);
 * - only deliveries that did not end `failed` or `dead` (a dead one is also a delivery withheld by
 *   moderation): a copy does not chase a number or an address that never worked;
 * - never an excluded account;
 * - never anyone who erased their account since: erasure marks their unsent deliveries `cancelled`
 *   and wipes every destination of theirs to "";
 * - never an SMS to a number suppressed now (STOP since the earlier message); e-mails still go;
 * - never a voice call: a closing or a follow-up is not worth ringing someone for;
 * - preferences, quiet-hour settings and account statuses are NOT read again: whoever got the earlier
 *   message gets the copy (a member suspended since too);
 * - one delivery per account and channel;
 * - not before `now`, and not before the earlier delivery's own time: a delivery still waiting for
 *   the end of quiet hours keeps its time, so the copy never overtakes the message it follows.
 * Known gap with the SQL (PgAlertRepo's `copyRecipients`, reported in issue 13): it copies erased
 * people's deliveries (to ""); this twin states the intended rule, CopyRecipientsAgreement pins the gap.
 * The result is sorted by account and channel, so it does not depend on the order of the inputs.
 */
export const copyRecipients = (facts: CopyFacts, now: DateTime.Utc): ReadonlyArray<PlannedDelivery> => {
  const excluded = new Set<string>(facts.excluded)
  const suppressed = new Set<string>(facts.suppressedPhones)
  const seen = new Set<string>()
  const planned: Array<PlannedDelivery> = []
  for (const d of facts.earlier) {
    if (NEVER_REACHED.includes(d.status) || excluded.has(d.accountId)) continue
    if (d.status === "cancelled" || d.destination === "" || d.channel === "voice") continue
    if (d.channel === "sms" && suppressed.has(d.destination)) continue
    const key = `${d.accountId}/${d.channel}`
    if (seen.has(key)) continue
    seen.add(key)
    planned.push({
      accountId: d.accountId,
      channel: d.channel,
      destination: d.destination,
      notBefore: DateTime.max(d.notBefore, now)
    })
  }
  return planned.sort(compareKeys)
}

/**
 * Whether a copy message is written at all, and with which deliveries: at most one message of a kind
 * (one closing per alert, one follow-up per original), and none when nobody is to receive it. None
 * means no message row and no delivery.
 */
export const copyOnce = (
  alreadyWritten: boolean,
  planned: ReadonlyArray<PlannedDelivery>
): Option.Option<ReadonlyArray<PlannedDelivery>> =>
  alreadyWritten || planned.length === 0 ? Option.none() : Option.some(planned)
