import { Option, Schema } from "effect"
import { AccountId } from "../accounts/Account.js"

/** The channels a member can be reached on for alerts. */
export const Channel = Schema.Literal("sms", "email")
export type Channel = typeof Channel.Type

/**
 * The channels of a delivery row: the alert channels, and `voice`, a call that reads the text aloud
 * (urgent alerts, for those who chose it: `voiceUrgent`), sent one call per row at its own pace.
 */
export const DeliveryChannel = Schema.Literal("sms", "email", "voice")
export type DeliveryChannel = typeof DeliveryChannel.Type

/** Per channel: every alert, urgent ones only, or nothing. */
export const ChannelPreference = Schema.Literal("all", "urgent_only", "none")
export type ChannelPreference = typeof ChannelPreference.Type

/** A minute of the day, 0 to 1439, in the Europe/Paris time zone. */
export const MinuteOfDay = Schema.Int.pipe(Schema.between(0, 1439), Schema.brand("MinuteOfDay"))
export type MinuteOfDay = typeof MinuteOfDay.Type

/**
 * Quiet hours, local time (Europe/Paris): info messages that fall inside wait for `end`; urgent ones
 * are never deferred. `start` after `end` spans midnight (22:00 → 07:00); equal means none.
 */
export const QuietHours = Schema.Struct({ start: MinuteOfDay, end: MinuteOfDay })
export type QuietHours = typeof QuietHours.Type

export class NotificationPreferences extends Schema.Class<NotificationPreferences>("NotificationPreferences")({
  accountId: AccountId,
  sms: ChannelPreference,
  email: ChannelPreference,
  quietHours: Schema.OptionFromNullOr(QuietHours),
  /**
   * "Appel vocal pour les alertes urgentes": urgent alerts also come as a voice call to the member's
   * verified phone (a landline-only member hears them), whatever `sms` says. Off unless chosen.
   */
  voiceUrgent: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}

/** What a member gets before they choose: every alert on both channels, no quiet hours. */
export const defaultPreferences = (accountId: AccountId): NotificationPreferences =>
  new NotificationPreferences({ accountId, sms: "all", email: "all", quietHours: Option.none() })
