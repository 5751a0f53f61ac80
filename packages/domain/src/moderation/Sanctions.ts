import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import { AccountNotFound, type AccountSuspended, Forbidden, type Unauthenticated } from "../accounts/AccountErrors.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import type { Actor } from "../accounts/CurrentActor.js"
import type { AlertId } from "../alerts/Alert.js"
import type { AlertNotFound } from "../alerts/AlertErrors.js"
import type { CommunityId } from "../communities/Community.js"
import { CommunityNotFound } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { DeliveryWakeup } from "../delivery/DeliveryWakeup.js"
import { moderationNoticeSms } from "./NoticeTexts.js"
import { Notices } from "../delivery/Notices.js"
import type { MembershipStatus } from "../membership/Membership.js"
import { InvalidMembershipTransition } from "../membership/MembershipErrors.js"
import { canMoveMembership } from "../membership/MembershipPolicy.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { Transactor } from "../shared/Transactor.js"
import type { AuditEntry } from "./AuditEntry.js"
import { accountAudit, AuditLog } from "./AuditLog.js"
import { hideReasonLabel, type HideReason } from "./HideReason.js"
import { ModeratedAlerts, requireModerator } from "./ModeratedAlerts.js"
import { CommunityMemberNotFound, InvalidAccountTransition, ReasonDetailsRequired } from "./ModerationErrors.js"
import { needsDetails } from "./ModerationPolicy.js"
import { noticeRecipient } from "./NoticeRecipients.js"

type Acting = Unauthenticated | AccountSuspended
type Note = Option.Option<string>
type AccountMove = (
  actor: Actor,
  accountId: AccountId,
  note: string
) => Effect.Effect<AuditEntry, Acting | Forbidden | AccountNotFound | InvalidAccountTransition>
type MembershipMove = (
  actor: Actor,
  accountId: AccountId,
  communityId: CommunityId,
  note: string
) => Effect.Effect<
  AuditEntry,
  Acting | Forbidden | AccountNotFound | CommunityNotFound | CommunityMemberNotFound | InvalidMembershipTransition
>

/**
 * Moderators' sanctions on members: a warning (told to the member as NoticeRecipients says), a suspension
 * of the account and its lifting (through the accounts context), a ban from one community and its
 * lifting (through the membership context). Each with its audit row, in one transaction.
 */
export class Sanctions extends Context.Tag("@vigie/domain/Sanctions")<
  Sanctions,
  {
    readonly warn: (actor: Actor, warning: {
      readonly accountId: AccountId
      readonly alertId: Option.Option<AlertId>
      readonly reason: HideReason
      readonly details: Note
    }) => Effect.Effect<AuditEntry, Acting | Forbidden | AccountNotFound | AlertNotFound | ReasonDetailsRequired>
    readonly suspend: AccountMove
    readonly liftSuspension: AccountMove
    readonly ban: MembershipMove
    readonly liftBan: MembershipMove
  }
>() {}

export const make = Effect.gen(function*() {
  const accounts = yield* AccountRepo
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const moderatedAlerts = yield* ModeratedAlerts
  const auditLog = yield* AuditLog
  const notices = yield* Notices
  const wakeup = yield* DeliveryWakeup
  const transactor = yield* Transactor

  const now = DateTime.now

  const existingAccount = (accountId: AccountId) =>
    Effect.flatMap(accounts.findById(accountId), (found) =>
      Option.isSome(found) && found.value.status !== "erased"
        ? Effect.succeed(found.value)
        : Effect.fail(new AccountNotFound({ accountId })))

  const warn: Sanctions["Type"]["warn"] = (actor, { accountId, alertId, details, reason }) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, "warn_account")
      if (needsDetails(reason, details)) return yield* new ReasonDetailsRequired({ reason })
      const target = yield* existingAccount(accountId)
      if (Option.isSome(alertId)) yield* moderatedAlerts.record(alertId.value)
      const at = yield* now
      const { entry, notice } = yield* transactor.transaction(Effect.gen(function*() {
        const unchanged = { status: target.status }
        const entry = yield* auditLog.record(accountAudit(me, "warn", target, unchanged, unchanged, {
          reason,
          note: details,
          ...(Option.isSome(alertId) ? { alertId: alertId.value } : {})
        }, at))
        const notice = yield* Option.match(noticeRecipient({ _tag: "AccountDecision", action: "warn", accountId }), {
          onNone: () => Effect.succeed({ sms: 0, email: 0 }),
          onSome: (told) =>
            notices.notify({
              decisionId: entry.id,
              accountIds: [told.accountId],
              body: moderationNoticeSms({ kind: "warned", reason: hideReasonLabel[reason], details }),
              channels: told.channels
            }, at)
        })
        return { entry, notice }
      }))
      if (notice.sms + notice.email > 0) {
        const channels = [...(notice.sms > 0 ? ["sms" as const] : []), ...(notice.email > 0 ? ["email" as const] : [])]
        yield* wakeup.wake({ channels })
      }
      return entry
    }).pipe(Effect.withSpan("Sanctions.warn"))

  const moveAccount = (action: "suspend" | "lift_suspension"): AccountMove => (actor, accountId, note) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, action === "suspend" ? "suspend_account" : "lift_suspension")
      const target = yield* existingAccount(accountId)
      // Staff accounts are managed by administrators, not suspended from the console; nobody suspends themself.
      if (action === "suspend" && (target.staffRoles.length > 0 || target.id === me.id)) {
        return yield* new Forbidden({ action: "suspend_account" })
      }
      const [from, to] = action === "suspend" ? ["active", "suspended"] as const : ["suspended", "active"] as const
      const at = yield* now
      return yield* transactor.transaction(Effect.gen(function*() {
        if (!(yield* accounts.moveStatus(accountId, from, to))) {
          const current = yield* existingAccount(accountId).pipe(Effect.orDie)
          return yield* new InvalidAccountTransition({ accountId, from: current.status, to })
        }
        const why = { note: Option.some(note) }
        return yield* auditLog.record(accountAudit(me, action, target, { status: from }, { status: to }, why, at))
      }))
    }).pipe(Effect.withSpan(`Sanctions.${action}`))

  const moveMembership = (action: "ban" | "lift_ban"): MembershipMove => (actor, accountId, communityId, note) =>
    Effect.gen(function*() {
      const me = yield* requireModerator(actor, action === "ban" ? "ban_from_community" : "lift_ban")
      if (Option.isNone(yield* communities.findById(communityId))) return yield* new CommunityNotFound({ communityId })
      const target = yield* existingAccount(accountId)
      const at = yield* now
      return yield* transactor.transaction(Effect.gen(function*() {
        const membership = (yield* memberships.listByAccount(accountId)).find((m) => m.communityId === communityId)
        if (membership === undefined) return yield* new CommunityMemberNotFound({ accountId, communityId })
        const from = membership.status
        // Lifting a ban gives back what the ban took: a verified membership, or a pending one never verified.
        const to: MembershipStatus = action === "ban"
          ? "banned"
          : Option.isSome(membership.verifiedAt)
          ? "verified"
          : "pending_verification"
        const allowed = action === "ban" ? canMoveMembership(from, "banned") : from === "banned"
        if (!allowed || !(yield* memberships.moveStatus(membership.id, from, to))) {
          return yield* new InvalidMembershipTransition({ membershipId: membership.id, from, to })
        }
        return yield* auditLog.record(accountAudit(me, action, target, { status: from }, { status: to }, {
          note: Option.some(note),
          communityId,
          membershipId: membership.id
        }, at))
      }))
    }).pipe(Effect.withSpan(`Sanctions.${action}`))

  return Sanctions.of({
    warn,
    suspend: moveAccount("suspend"),
    liftSuspension: moveAccount("lift_suspension"),
    ban: moveMembership("ban"),
    liftBan: moveMembership("lift_ban")
  })
})

/**
 * Needs AccountRepo, MembershipRepo, CommunityRepo, ModeratedAlerts, AuditLog, Notices, DeliveryWakeup,
 * Transactor.
 */
export const layer = Layer.effect(Sanctions, make)
