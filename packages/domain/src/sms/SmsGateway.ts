import { Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import type { Account } from "../accounts/Account.js"
import type { AlertId } from "../alerts/Alert.js"
import { Alerts } from "../alerts/Alerts.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { PreferencesRepo } from "../delivery/PreferencesRepo.js"
import type { Membership } from "../membership/Membership.js"
import type { PhoneE164 } from "../shared/Text.js"
import { PublicUrl } from "../shared/PublicUrl.js"
import { Transactor } from "../shared/Transactor.js"
import { INBOUND_TEXT_LIMIT } from "./InboundSms.js"
import type { InboundOutcome, InboundSms, ReplyKind } from "./InboundSms.js"
import { InboundSmsRepo } from "./InboundSmsRepo.js"
import type { InboxClaim, PlannedReply, SenderFacts, Settlement } from "./InboundSmsRepo.js"
import { InboxWakeup } from "./InboxWakeup.js"
import { cleanText, parseInbound, senderPhone, truncateText } from "./SmsKeywords.js"
import type { InboundCommand } from "./SmsKeywords.js"
import { SmsReplies } from "./SmsReplies.js"
import { replyTexts } from "./SmsReplyTexts.js"
import { parseVeilleCommand, VeilleSms } from "./VeilleSmsCommands.js"

/** Throttled replies (join, pending; help and start to non-members) go at most once per number and kind in this window. */
export const REPLY_THROTTLE_WINDOW = Duration.days(1)

/** What receiving one inbound SMS did: recorded in the inbox, or a retry of a message already recorded. */
export type InboundResult = { readonly _tag: "Recorded" } | { readonly _tag: "Duplicate" }

/** What handling one claimed message did: settled, or nothing because the claim was lost (its lease ended). */
export type HandledResult =
  | { readonly _tag: "Handled"; readonly outcome: InboundOutcome; readonly alertId: Option.Option<AlertId> }
  | { readonly _tag: "Lost" }

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
 * `receive` (the webhook) only records the message in the inbox, once per MessageUUID, by one
 * statement batched with the webhooks arriving meanwhile, and wakes the inbox workers: Plivo's answer
 * never waits for a fan-out. `handle` (an inbox worker, for a message it claimed; see InboxPolicy for
 * order, leases and retries) does the rest: everything a message does (the alert, the deliveries, the
 * suppression, the outcome and the reply to send) commits in one transaction with the message marked
 * handled; the reply is sent after the commit. A message that writes nothing but its own row and
 * reply (most of them: unknown numbers, AIDE) is decided from its sender's facts and settled by one
 * statement (batched with other workers' settlements); STOP, START and alerts lock the message first
 * and decide inside the transaction, on facts read by the lock.
 */
export class SmsGateway extends Context.Tag("@vigie/domain/SmsGateway")<
  SmsGateway,
  {
    readonly receive: (sms: InboundSms) => Effect.Effect<InboundResult>
    readonly handle: (claim: InboxClaim) => Effect.Effect<HandledResult>
  }
>() {}

export interface SmsGatewayOptions {
  /**
   * Messages that write (STOP, START, alerts) handled at once by this process (default 4): each holds
   * a database connection for its transaction, and an alert's fan-out is the heaviest work of the
   * gateway, so more would only take connections and CPU from the webhooks. The other messages are
   * not limited (their statements are batched).
   */
  readonly writers?: number
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
  const oldest =
    [...verified].sort((a, b) => DateTime.toEpochMillis(a.createdAt) - DateTime.toEpochMillis(b.createdAt))[0]
  return Option.fromNullable(oldest)
}

export const make = (options: SmsGatewayOptions = {}) =>
  Effect.gen(function*() {
    const repo = yield* InboundSmsRepo
    const transactor = yield* Transactor
    const alerts = yield* Alerts
    const preferences = yield* PreferencesRepo
    const replies = yield* SmsReplies
    const wakeup = yield* Effect.serviceOption(DeliveryWakeup)
    const inbox = yield* Effect.serviceOption(InboxWakeup)
    const writers = yield* Effect.makeSemaphore(options.writers ?? 4)
    const publicUrl = yield* PublicUrl
    const veille = yield* Effect.serviceOption(VeilleSms)

    const now = DateTime.now

    /** The account behind a number, when this phone is verified on it. */
    const memberOf = (facts: SenderFacts, phone: PhoneE164) =>
      Option.filter(facts.account, (a: Account) => a.phoneVerified && Option.contains(a.phone, phone))

    /**
     * The decision when it writes nothing but the message's own row and reply (unknown number, AIDE,
     * already stopped, suppressed, inactive, pending member, empty text): "writes" for STOP, START and
     * alerts.
     */
    const plan = (command: InboundCommand, phone: PhoneE164, facts: SenderFacts): Decision | "writes" => {
      if (command._tag === "Stop") return facts.suppressed ? { outcome: "already_stopped" } : "writes"
      if (command._tag === "Start") return "writes"
      // A number that sent STOP hears nothing more from Vigie until START.
      if (facts.suppressed) return { outcome: "suppressed_sender" }
      const account = memberOf(facts, phone)
      if (command._tag === "Help") {
        return { outcome: "help", reply: { kind: "help", text: replyTexts.help, throttled: Option.isNone(account) } }
      }
      if (Option.isNone(account)) {
        return { outcome: "unknown_sender", reply: { kind: "join", text: replyTexts.join(publicUrl), throttled: true } }
      }
      if (account.value.status !== "active") return { outcome: "inactive_account" }
      if (Option.isNone(smsCommunity(facts.memberships))) {
        return { outcome: "unverified_member", reply: { kind: "pending", text: replyTexts.pending, throttled: true } }
      }
      if (command._tag === "Empty") return { outcome: "empty", reply: { kind: "help", text: replyTexts.help } }
      return "writes"
    }

    const decide = (sms: InboundSms, phone: PhoneE164, facts: SenderFacts) =>
      Effect.gen(function*(): Effect.fn.Return<Decision> {
        const command = parseInbound(sms.text)
        const planned = plan(command, phone, facts)
        if (planned !== "writes") return planned
        if (command._tag === "Stop") {
          yield* preferences.suppress(phone, "stop_keyword")
          return { outcome: "stopped", reply: { kind: "stopped", text: replyTexts.stopped } }
        }
        if (command._tag === "Start") {
          if (facts.suppressed) yield* preferences.unsuppress(phone)
          const member = Option.isSome(memberOf(facts, phone))
          return { outcome: "started", reply: { kind: "started", text: replyTexts.started, throttled: !member } }
        }
        const account = memberOf(facts, phone)
        const home = smsCommunity(facts.memberships)
        if (command._tag !== "Alert" || Option.isNone(account) || Option.isNone(home)) {
          return yield* Effect.dieMessage("unplanned SMS")
        }
        // A veille reply (OK, J'Y VAIS, ABSENT ...) from someone it answers; otherwise an ordinary alert.
        const veilleCommand = parseVeilleCommand(sms.text)
        if (Option.isSome(veilleCommand) && Option.isSome(veille)) {
          const answered = yield* veille.value.answer(account.value, phone, veilleCommand.value, yield* now)
          if (Option.isSome(answered)) {
            // `published`: the veille's messages (veilleurs told, référent informed) wait for the workers too.
            return { outcome: "veille", published: true, reply: { kind: "veille", text: answered.value } }
          }
        }
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
            return { outcome: "rate_limited",
              reply: { kind: "rate_limited", text: replyTexts.rateLimited(error.retryAfterSeconds) } }
          }
          yield* Effect.logWarning("SMS alert refused").pipe(
            Effect.annotateLogs({ messageUuid: sms.messageUuid, reason: error._tag })
          )
          return { outcome: "refused" }
        }
        const alert = posted.right
        if (alert.status !== "published") {
          return { outcome: "alert_held", alertId: alert.id,
            reply: { kind: "alert_held", text: replyTexts.held(command.truncated) } }
        }
        const neighbours = yield* repo.neighboursAlerted(alert.id)
        return {
          outcome: "alert_published",
          alertId: alert.id,
          published: true,
          reply: { kind: "alert_published", text: replyTexts.published(neighbours, command.truncated) }
        }
      })

    /** The message as kept: control characters out, the text cut to what the table holds. */
    const cleaned = (received: InboundSms): InboundSms => ({
      ...received,
      from: cleanText(received.from),
      to: cleanText(received.to),
      type: cleanText(received.type),
      text: truncateText(cleanText(received.text), INBOUND_TEXT_LIMIT)
    })

    /** A decision as the settlement to store, and its throttle when its reply is throttled. */
    const plannedOf = (decision: Decision, to: PhoneE164, at: DateTime.Utc) => {
      const wanted = decision.reply
      return {
        settlement: {
          outcome: decision.outcome,
          alertId: Option.fromNullable(decision.alertId),
          reply: wanted === undefined ? Option.none() : Option.some({ kind: wanted.kind, to, text: wanted.text })
        } satisfies Settlement,
        throttle: wanted?.throttled === true ? { now: at, window: REPLY_THROTTLE_WINDOW } : undefined
      }
    }

    /**
     * The decision when it writes nothing but the message's own row and reply, from the sender's
     * facts (read by a batched statement), or "writes".
     */
    const directDecision = (sms: InboundSms, phone: Option.Option<PhoneE164>) =>
      Effect.gen(function*(): Effect.fn.Return<Decision | "writes"> {
        if (Option.isNone(phone)) return { outcome: "invalid_sender" }
        return plan(parseInbound(sms.text), phone.value, yield* repo.senderFacts(phone.value))
      })

    const receive: SmsGateway["Type"]["receive"] = (received) =>
      Effect.gen(function*() {
        const at = yield* now
        const sms = cleaned(received)
        const phone = senderPhone(sms.from)
        const sender = Option.getOrElse(phone, (): string => sms.from)
        const fresh = yield* repo.record({ sms, sender }, at)
        if (!fresh) return { _tag: "Duplicate" } as const
        if (Option.isSome(inbox)) yield* inbox.value.wake
        return { _tag: "Recorded" } as const
      }).pipe(Effect.withSpan("SmsGateway.receive", { captureStackTrace: false }))

    const handle: SmsGateway["Type"]["handle"] = (claim) =>
      Effect.gen(function*() {
        const at = yield* now
        const sms = claim.sms
        const phone = senderPhone(sms.from)
        const planned = (decision: Decision, to: PhoneE164) => plannedOf(decision, to, at)
        const recorded = (settlement: Settlement, replied: boolean) => ({
          settlement: { ...settlement, reply: replied ? settlement.reply : Option.none<PlannedReply>() },
          published: false
        })
        // Most messages write nothing but their own row and reply (unknown numbers, AIDE ...): decided
        // from the sender's facts, they are settled by one statement, the throttle and the reply
        // together. STOP, START and alerts lock their message first and decide in one transaction.
        const direct = yield* directDecision(sms, phone)
        const handled = direct !== "writes"
          ? yield* Effect.gen(function*() {
            const { settlement, throttle } = planned(direct, Option.getOrElse(phone, () => "+0" as PhoneE164))
            const replied = yield* repo.settleQueued(claim, settlement, throttle)
            return Option.map(replied, (r) => recorded(settlement, r))
          })
          : yield* writers.withPermits(1)(transactor.transaction(Effect.gen(function*() {
            if (Option.isNone(phone)) return Option.none()
            const locked = yield* repo.lockClaim(claim, phone.value)
            if (Option.isNone(locked)) return Option.none()
            const decision = yield* decide(sms, phone.value, locked.value)
            const { settlement, throttle } = planned(decision, phone.value)
            const replied = yield* repo.settle(claim, settlement, throttle)
            // Held by this transaction's lock, the claim cannot have been lost since `lockClaim`.
            if (Option.isNone(replied)) return yield* Effect.dieMessage("inbound claim lost while locked")
            return Option.some({ ...recorded(settlement, replied.value), published: decision.published === true })
          })))
        if (Option.isNone(handled)) return { _tag: "Lost" } as const
        const { published, settlement } = handled.value
        if (Option.isSome(settlement.reply)) yield* replies.dispatch(sms.messageUuid)
        if (published && Option.isSome(wakeup)) yield* wakeup.value.wake({ channels: ["sms", "email"] })
        yield* Effect.logDebug("Inbound SMS handled").pipe(
          Effect.annotateLogs({ messageUuid: sms.messageUuid, outcome: settlement.outcome,
            replied: Option.isSome(settlement.reply) })
        )
        return { _tag: "Handled", outcome: settlement.outcome, alertId: settlement.alertId } as const
      }).pipe(Effect.withSpan("SmsGateway.handle", { captureStackTrace: false }))

    return SmsGateway.of({ receive, handle })
  })

export const layer = (options: SmsGatewayOptions = {}) => Layer.effect(SmsGateway, make(options))
