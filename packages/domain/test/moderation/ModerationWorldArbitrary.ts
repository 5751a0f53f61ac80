import { DateTime, FastCheck as fc, Option } from "effect"
import type { AccountId, AccountStatus } from "../../src/accounts/Account.js"
import type { AlertId, AlertOrigin, AlertStatus } from "../../src/alerts/Alert.js"
import type { FanOutAccount } from "../../src/delivery/FanOut.js"
import type { Channel } from "../../src/delivery/NotificationPreferences.js"
import { AuditAction } from "../../src/moderation/AuditEntry.js"
import type { CountedAlert, CountedAudit } from "../../src/moderation/HeldCounts.js"
import type { AppealId, AppealStatus, FlagStatus } from "../../src/moderation/ModeratedAlert.js"
import type { AlertHoldReason } from "../../src/trust/TrustPolicy.js"
import type { QueueAlert, QueueAppeal, QueueFlag, QueueWorld } from "../../src/moderation/QueueEligibility.js"
import type { Email, PhoneE164 } from "../../src/shared/Text.js"
import { nowArb } from "../delivery/WorldArbitrary.js"

/** Every value of each moderation enum, for generators and coverage checks. */
export const ALERT_STATUSES: ReadonlyArray<AlertStatus> = ["published", "held_for_review", "hidden", "retracted",
  "resolved"]
export const ALERT_ORIGINS: ReadonlyArray<AlertOrigin> = ["web", "sms", "mairie", "police"]
export const FLAG_STATUSES: ReadonlyArray<FlagStatus> = ["open", "dismissed", "upheld"]
export const APPEAL_STATUSES: ReadonlyArray<AppealStatus> = ["pending", "restored", "upheld"]
export const HOLD_REASONS: ReadonlyArray<AlertHoldReason> = ["new_member", "sensitive_descriptors", "member_burst",
  "community_burst"]

/** A few instants a few minutes apart, so that entries often wait since the same instant (ties broken by id). */
const instantArb = (base: DateTime.Utc) =>
  fc.oneof(
    fc.constantFrom(0, 0, 5, 60).map((m) => DateTime.add(base, { minutes: m })),
    fc.integer({ min: 0, max: 3 * 24 * 3_600_000 }).map((ms) => DateTime.add(base, { millis: ms }))
  )

/** One flag, with the index of the member who made it (unique per alert, as the database requires). */
export interface GeneratedFlag extends QueueFlag {
  readonly flagger: number
}

/** A queue world and, for seeding, who made each flag. */
export interface QueueCase {
  readonly world: Omit<QueueWorld, "flags"> & { readonly flags: ReadonlyArray<GeneratedFlag> }
}

/**
 * Queues of 0–12 alerts in every status and origin, reviewed or not, posted at a few shared instants
 * or at any millisecond of three days; 0–16 flags (open or closed, several per alert, by distinct
 * members); at most one appeal per alert, in every status, whether the alert is hidden or not.
 */
export const queueCaseArb: fc.Arbitrary<QueueCase> = nowArb.chain((base) =>
  fc.uniqueArray(fc.uuid(), { maxLength: 12 }).chain((rawIds) => {
    const ids = rawIds as ReadonlyArray<string> as ReadonlyArray<AlertId>
    const alertArb = (id: AlertId): fc.Arbitrary<QueueAlert> =>
      fc.record({
        id: fc.constant(id),
        status: fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom<AlertStatus>("published", "held_for_review", "hidden") },
          { weight: 1, arbitrary: fc.constantFrom(...ALERT_STATUSES) }
        ),
        origin: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom<AlertOrigin>("web", "sms") },
          { weight: 1, arbitrary: fc.constantFrom<AlertOrigin>("mairie", "police") }
        ),
        createdAt: instantArb(base),
        reviewed: fc.boolean()
      })
    const flagsArb: fc.Arbitrary<ReadonlyArray<GeneratedFlag>> = ids.length === 0
      ? fc.constant([])
      : fc
        .uniqueArray(
          fc.record({ alert: fc.nat({ max: ids.length - 1 }), flagger: fc.nat({ max: 5 }) }),
          { maxLength: 16, selector: (f) => `${f.alert}/${f.flagger}` }
        )
        .chain((keys) =>
          fc.tuple(
            ...keys.map((k) =>
              fc.record({ status: fc.constantFrom(...FLAG_STATUSES), createdAt: instantArb(base) })
                .map((f): GeneratedFlag => ({ alertId: ids[k.alert]!, flagger: k.flagger, ...f }))
            )
          )
        )
    const appealsArb: fc.Arbitrary<ReadonlyArray<QueueAppeal>> = fc
      .tuple(...ids.map((alertId) =>
        fc.option(
          fc.record({ id: fc.uuid(), status: fc.constantFrom(...APPEAL_STATUSES), createdAt: instantArb(base) }),
          { freq: 2, nil: undefined }
        ).map((a) => a === undefined ? [] : [{ ...a, id: a.id as AppealId, alertId }])
      ))
      .map((perAlert) => perAlert.flat())
    return fc
      .record({ alerts: fc.tuple(...ids.map(alertArb)), flags: flagsArb, appeals: appealsArb })
      .map((world) => ({ world }))
  })
)

/** An author's alerts and the audit rows about accounts, for the counts. */
export interface CountsCase {
  readonly authors: ReadonlyArray<AccountId>
  readonly alerts: ReadonlyArray<CountedAlert>
  readonly audit: ReadonlyArray<CountedAudit>
}

/**
 * 1–5 authors (some with nothing at all), 0–20 alerts among them in every status with or without
 * hold reasons (an alert held without a reason too, as seeds write them), and 0–12 audit rows of every
 * action, about one of the authors or about no account.
 */
export const countsCaseArb: fc.Arbitrary<CountsCase> = fc
  .uniqueArray(fc.uuid(), { minLength: 1, maxLength: 5 })
  .chain((raw) => {
    const authors = raw as ReadonlyArray<string> as ReadonlyArray<AccountId>
    return fc.record({
      authors: fc.constant(authors),
      alerts: fc.array(
        fc.record({
          authorId: fc.constantFrom(...authors),
          status: fc.constantFrom(...ALERT_STATUSES),
          holdReasons: fc.oneof(fc.constant([]), fc.subarray([...HOLD_REASONS], { minLength: 1 }))
        }),
        { maxLength: 20 }
      ),
      audit: fc.array(
        fc.record({
          accountId: fc.option(fc.constantFrom(...authors), { nil: undefined, freq: 5 }),
          action: fc.oneof(
            { weight: 2, arbitrary: fc.constantFrom<AuditAction>("warn", "suspend") },
            { weight: 1, arbitrary: fc.constantFrom(...AuditAction.literals) }
          )
        }),
        { maxLength: 12 }
      )
    })
  })

/** Every account status: active, suspended (still told), erased (never told). */
export const ACCOUNT_STATUSES: ReadonlyArray<AccountStatus> = ["active", "suspended", "erased"]

/** A person a notice is about, the channels asked, whether their number said STOP, and when. */
export interface NoticeCase {
  readonly account: FanOutAccount
  readonly channels: ReadonlyArray<Channel>
  readonly suppressedPhones: ReadonlyArray<PhoneE164>
  readonly now: DateTime.Utc
}

/** Accounts in every status with or without an e-mail, a phone, a verified phone, a STOP; channels any subset. */
export const noticeCaseArb: fc.Arbitrary<NoticeCase> = fc
  .record({
    id: fc.uuid(),
    status: fc.constantFrom(...ACCOUNT_STATUSES),
    hasEmail: fc.boolean(),
    hasPhone: fc.boolean(),
    phoneVerified: fc.boolean(),
    stop: fc.boolean(),
    strangerStop: fc.boolean(),
    channels: fc.subarray<Channel>(["sms", "email"]),
    now: nowArb
  })
  .map((d): NoticeCase => {
    const phone = "+33612000001" as PhoneE164
    return {
      account: {
        id: d.id as AccountId,
        status: d.status,
        email: d.hasEmail ? Option.some("averti@exemple.fr" as Email) : Option.none(),
        phone: d.hasPhone ? Option.some(phone) : Option.none(),
        // The schema refuses a verified phone without a phone.
        phoneVerified: d.hasPhone && d.phoneVerified
      },
      channels: d.channels,
      suppressedPhones: [...(d.stop ? [phone] : []), ...(d.strangerStop ? ["+33612000002" as PhoneE164] : [])],
      now: d.now
    }
  })
