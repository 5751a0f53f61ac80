import type { DateTime } from "effect"
import { Option } from "effect"
import type { PhoneE164 } from "../shared/Text.js"
import type { FanOutAccount, PlannedDelivery } from "./FanOut.js"
import type { Channel } from "./NotificationPreferences.js"

/**
 * The deliveries of a message to one named person (a moderation notice today): on each channel asked
 * for, SMS to the account's verified phone unless the number said STOP, e-mail to its address; none
 * to an erased account (a suspended one is still told: it is often the notice's subject). Sent at
 * once: such a message answers something about the person, so notification preferences and quiet
 * hours, which are about alerts, do not apply (STOP does). No channel asked twice. Sorted by channel;
 * empty when there is nowhere to send it (then no message row is written either).
 */
export const directRecipients = (
  account: FanOutAccount,
  channels: ReadonlyArray<Channel>,
  suppressedPhones: ReadonlyArray<PhoneE164>,
  now: DateTime.Utc
): ReadonlyArray<PlannedDelivery> => {
  if (account.status === "erased") return []
  const planned: Array<PlannedDelivery> = []
  if (channels.includes("email") && Option.isSome(account.email)) {
    planned.push({ accountId: account.id, channel: "email", destination: account.email.value, notBefore: now })
  }
  if (
    channels.includes("sms") && account.phoneVerified && Option.isSome(account.phone) &&
    !suppressedPhones.includes(account.phone.value)
  ) {
    planned.push({ accountId: account.id, channel: "sms", destination: account.phone.value, notBefore: now })
  }
  return planned
}
