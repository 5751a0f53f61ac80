import { Clock, Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import type { AlertId } from "../alerts/Alert.js"
import { Alerts } from "../alerts/Alerts.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { PreferencesRepo } from "../delivery/PreferencesRepo.js"
import type { Membership } from "../membership/Membership.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import type { PhoneE164 } from "../shared/Text.js"
import { Transactor } from "../shared/Transactor.js"
import { INBOUND_TEXT_LIMIT } from "./InboundSms.js"
import type { InboundOutcome, InboundSms, ReplyKind } from "./InboundSms.js"
import { InboundSmsRepo } from "./InboundSmsRepo.js"
import type { PlannedReply, Settlement } from "./InboundSmsRepo.js"
import { cleanText, parseInbound, senderPhone, truncateText } from "./SmsKeywords.js"
import { SmsReplies } from "./SmsReplies.js"
import { replyTexts } from "./SmsReplyTexts.js"

/** Throttled replies (join, pending; help and start to non-members) go at most once per number and kind in this window. */
export const REPLY_THROTTLE_WINDOW = Duration.days(1)

/** What receiving one inbound SMS did: handled now, or a retry of a message already handled. */
export type InboundResult =
  | { readonly _tag: "Handled"; readonly outcome: InboundOutcome; readonly alertId: Option.Option<AlertId> }
  | { readonly _tag: "Duplicate" }

/**
 * The SMS gateway: one central number where members post alerts and manage their SMS.
 * - A verified member's verified phone posts an urgent alert in the member's home community (the
 *   first verified one when the home membership is not), category from the leading keyword, through
 *   the same Alerts use case as the web (hold, rate rule, fan-out); one reply says how many
 *   neighbours were alerted, or that a moderator checks it first, or that the rate rule refused it.
 * - STOP (ARRET ...) suppresses the number at once (fan-out honours it) with one confirmation, the
 *   last SMS that number gets until START (MARCHE) lifts it; AIDE (HELP) answers a short help.
 * - An unknown or unverified number gets no alert and a "how to join" reply at most once a day; a
 *   suppressed number gets no alert and no reply at all.
 * Everything a message does (its row, the alert, the deliveries, the suppression, the reply to send)
 * commits in one transaction, once per MessageUUID; the reply is sent after the commit.
 */
export class SmsGateway extends Context.Tag("@vigie/domain/SmsGateway")<
  SmsGateway,
  { readonly receive: (sms: InboundSms) => Effect.Effect<InboundResult> }
>() {}

export interface SmsGatewayOptions {
  /** The site's address, given in the "how to join" reply. */
  readonly publicUrl: URL | string
}

interface Decision {
  readonly outcome: InboundOutcome
  readonly alertId?: AlertId | undefined
  readonly published?: boolean
  readonly reply?: { readonly kind: ReplyKind; readonly text: string; readonly throttled?: boolean } | undefined
}

/** The membership an SMS alert goes to: the home one when verified, otherwise the oldest verified one. */
export const smsCommunity = (memberships: ReadonlyArray<Membership>): Option.Option<Membership> => {
  const verified = memberships.filter((m) => m.status === "verified")
  const home = verified.find((m) => m.home)
  if (home !== undefined) return Option.some(home)
  const oldest = [...verified].sort((a, b) => DateTime.toEpochMillis(a.createdAt) - DateTime.toEpochMillis(b.createdAt))[0]
  return Option.fromNullable(oldest)
}

export const make = (options: SmsGatewayOptions) =>
  Effect.gen(function*() {
    const repo = yield* InboundSmsRepo
    const transactor = yield* Transactor
    const alerts = yield* Alerts
    const accounts = yield* AccountRepo
    const memberships = yield* MembershipRepo
    const preferences = yield* PreferencesRepo
    const replies = yield* SmsReplies
    const wakeup = yield* Effect.serviceOption(DeliveryWakeup)

    const now = Effect.map(Clock.currentTimeMillis, (ms) => DateTime.unsafeMake(ms))

    /** The account behind a number, when it is active and this phone is verified on it. */
    const memberOf = (phone: PhoneE164) =>
      Effect.map(accounts.findByPhone(phone), Option.filter((a: Account) => a.phoneVerified && Option.contains(a.phone, phone)))

    const decide = (sms: InboundSms, phone: PhoneE164) =>
      Effect.gen(function*(): Effect.fn.Return<Decision> {
        const command = parseInbound(sms.text)
        const suppressed = (yield* preferences.suppressions([phone])).length > 0

        if (command._tag === "Stop") {
          if (suppressed) return { outcome: "already_stopped" }
          yield* preferences.suppress(phone, "stop_keyword")
          return { outcome: "stopped", reply: { kind: "stopped", text: replyTexts.stopped } }
        }
        if (command._tag === "Start") {
          if (suppressed) yield* preferences.unsuppress(phone)
          const member = Option.isSome(yield* memberOf(phone))
          return { outcome: "started", reply: { kind: "started", text: replyTexts.started, throttled: !member } }
        }
        // A number that sent STOP hears nothing more from Vigie until START.
        if (suppressed) return { outcome: "suppressed_sender" }

        const account = yield* memberOf(phone)
        if (command._tag === "Help") {
          return { outcome: "help", reply: { kind: "help", text: replyTexts.help, throttled: Option.isNone(account) } }
        }
        if (Option.isNone(account)) {
          return { outcome: "unknown_sender", reply: { kind: "join", text: replyTexts.join(options.publicUrl), throttled: true } }
        }
        if (account.value.status !== "active") return { outcome: "inactive_account" }
        const home = smsCommunity(yield* memberships.listByAccount(account.value.id))
        if (Option.isNone(home)) {
          return { outcome: "unverified_member", reply: { kind: "pending", text: replyTexts.pending, throttled: true } }
        }
        if (command._tag === "Empty") return { outcome: "empty", reply: { kind: "help", text: replyTexts.help } }

        const posted = yield* Effect.either(alerts.post({ _tag: "Phone", account: account.value, phone }, {
          scope: { _tag: "Community", communityId: home.value.communityId },
          category: command.category,
          urgency: "urgent",
          text: command.text,
          place: Option.none(),
          sharedWithAuthorities: false
        }))
        if (posted._tag === "Left") {
          const error = posted.left
          if (error._tag === "AlertRateLimited") {
            return { outcome: "rate_limited", reply: { kind: "rate_limited", text: replyTexts.rateLimited(error.retryAfterSeconds) } }
          }
          yield* Effect.logWarning("SMS alert refused").pipe(Effect.annotateLogs({ messageUuid: sms.messageUuid, reason: error._tag }))
          return { outcome: "refused" }
        }
        const alert = posted.right
        if (alert.status !== "published") {
          return { outcome: "alert_held", alertId: alert.id, reply: { kind: "alert_held", text: replyTexts.held(command.truncated) } }
        }
        const neighbours = yield* repo.neighboursAlerted(alert.id)
        return {
          outcome: "alert_published",
          alertId: alert.id,
          published: true,
          reply: { kind: "alert_published", text: replyTexts.published(neighbours, command.truncated) }
        }
      })

    const receive: SmsGateway["Type"]["receive"] = (received) =>
      Effect.gen(function*() {
        const at = yield* now
        const sms: InboundSms = {
          ...received,
          from: cleanText(received.from),
          to: cleanText(received.to),
          type: cleanText(received.type),
          text: truncateText(cleanText(received.text), INBOUND_TEXT_LIMIT)
        }
        const phone = senderPhone(sms.from)
        const handled = yield* transactor.transaction(Effect.gen(function*() {
          if (!(yield* repo.claim(sms, at))) return Option.none()
          if (Option.isNone(phone)) {
            const settlement: Settlement = { outcome: "invalid_sender", alertId: Option.none(), reply: Option.none() }
            yield* repo.settle(sms.messageUuid, settlement)
            return Option.some({ settlement, published: false })
          }
          const decision = yield* decide(sms, phone.value)
          const wanted = decision.reply
          const allowed = wanted !== undefined &&
            (wanted.throttled !== true || (yield* repo.allowReply(phone.value, wanted.kind, at, REPLY_THROTTLE_WINDOW)))
          const reply: Option.Option<PlannedReply> = allowed && wanted !== undefined
            ? Option.some({ kind: wanted.kind, to: phone.value, text: wanted.text })
            : Option.none()
          const settlement: Settlement = { outcome: decision.outcome, alertId: Option.fromNullable(decision.alertId), reply }
          yield* repo.settle(sms.messageUuid, settlement)
          return Option.some({ settlement, published: decision.published === true })
        }))
        if (Option.isNone(handled)) return { _tag: "Duplicate" } as const
        const { published, settlement } = handled.value
        if (Option.isSome(settlement.reply)) yield* replies.dispatch(sms.messageUuid)
        if (published && Option.isSome(wakeup)) yield* wakeup.value.wake({ channels: ["sms", "email"] })
        yield* Effect.logDebug("Inbound SMS handled").pipe(
          Effect.annotateLogs({ messageUuid: sms.messageUuid, outcome: settlement.outcome, replied: Option.isSome(settlement.reply) })
        )
        return { _tag: "Handled", outcome: settlement.outcome, alertId: settlement.alertId } as const
      }).pipe(Effect.withSpan("SmsGateway.receive"))

    return SmsGateway.of({ receive })
  })

export const layer = (options: SmsGatewayOptions) => Layer.effect(SmsGateway, make(options))
