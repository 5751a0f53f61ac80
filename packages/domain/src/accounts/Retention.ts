import { DateTime, Duration, Option } from "effect"
import { SESSION_IDLE_TIMEOUT } from "./AuthPolicy.js"

/**
 * How long Vigie keeps what it keeps (issue 12, item 10). Every period is configurable (see the
 * app's RetentionConfig); these defaults are the ones the "Vos données" page states.
 */
export interface RetentionPeriods {
  /** Failed log-ins (a counter per login key) are forgotten this long after the latest one. */
  readonly loginFailures: Duration.DurationInput
  /** Deliveries keep their destination (phone, e-mail) this long, then it is blanked. */
  readonly deliveryDestinations: Duration.DurationInput
  /** Inbound SMS keep their sender and text this long, then they are blanked. */
  readonly inboundSms: Duration.DurationInput
  /** Activation letters (PDF and the record of the address they went to) are deleted after this. */
  readonly letters: Duration.DurationInput
  /** Browsers known for their device cookie are forgotten when unused this long. */
  readonly loginDevices: Duration.DurationInput
  /**
   * The ledger of verification SMS (it serves 24-hour budgets) is deleted after this; the phone codes
   * of an account whose address is not verified yet stay (they count in its 2 codes in all).
   */
  readonly verificationSms: Duration.DurationInput
  /**
   * Password-reset links and codes, e-mail change links, staff sign-in challenges and invitations
   * (keyed hashes, used or not) are deleted this long after they expire.
   */
  readonly expiredLinks: Duration.DurationInput
  /** An account inactive this many months is warned by e-mail ... */
  readonly inactivityWarningMonths: number
  /** ... and erased at this many months, at least one month after the warning. */
  readonly inactivityErasureMonths: number
  /** How often the retention job runs, all processes together. */
  readonly every: Duration.DurationInput
}

export const defaultRetentionPeriods: RetentionPeriods = {
  loginFailures: Duration.days(7),
  deliveryDestinations: Duration.days(90),
  inboundSms: Duration.days(90),
  letters: Duration.days(60),
  loginDevices: Duration.days(365),
  verificationSms: Duration.days(7),
  expiredLinks: Duration.days(7),
  inactivityWarningMonths: 23,
  inactivityErasureMonths: 24,
  every: Duration.days(1)
}

/** Whether periods make sense together: erasure strictly after the warning, nothing negative. */
export const validRetentionPeriods = (p: RetentionPeriods): boolean =>
  Number.isInteger(p.inactivityWarningMonths) && Number.isInteger(p.inactivityErasureMonths) &&
  p.inactivityWarningMonths >= 1 && p.inactivityErasureMonths > p.inactivityWarningMonths &&
  Duration.greaterThan(Duration.decode(p.every), Duration.zero)

/** The dates before which each kind of data is due, for a run at `now`. */
export interface RetentionCutoffs {
  readonly now: DateTime.Utc
  /** Sessions expired at `now`, or idle since before this. */
  readonly sessionsIdleBefore: DateTime.Utc
  readonly loginFailuresBefore: DateTime.Utc
  readonly deliveriesBefore: DateTime.Utc
  readonly inboundSmsBefore: DateTime.Utc
  readonly lettersBefore: DateTime.Utc
  /** Known browsers last used before this. */
  readonly loginDevicesBefore: DateTime.Utc
  readonly verificationSmsBefore: DateTime.Utc
  /** Links, codes, challenges and invitations that expired before this. */
  readonly linksExpiredBefore: DateTime.Utc
  /** The veille's check-ins and their steps (issue 17) from before this are deleted: one year. */
  readonly veilleHistoryBefore: DateTime.Utc
  /** Accounts last active before this and not yet warned are warned. */
  readonly warnInactiveBefore: DateTime.Utc
  /** Accounts last active before this ... */
  readonly eraseInactiveBefore: DateTime.Utc
  /** ... and warned before this (a month's notice at least) are erased. */
  readonly eraseWarnedBefore: DateTime.Utc
}

export const retentionCutoffs = (now: DateTime.Utc, p: RetentionPeriods): RetentionCutoffs => ({
  now,
  sessionsIdleBefore: DateTime.subtractDuration(now, SESSION_IDLE_TIMEOUT),
  loginFailuresBefore: DateTime.subtractDuration(now, p.loginFailures),
  deliveriesBefore: DateTime.subtractDuration(now, p.deliveryDestinations),
  inboundSmsBefore: DateTime.subtractDuration(now, p.inboundSms),
  lettersBefore: DateTime.subtractDuration(now, p.letters),
  loginDevicesBefore: DateTime.subtractDuration(now, p.loginDevices),
  verificationSmsBefore: DateTime.subtractDuration(now, p.verificationSms),
  linksExpiredBefore: DateTime.subtractDuration(now, p.expiredLinks),
  veilleHistoryBefore: DateTime.subtract(now, { years: 1 }),
  warnInactiveBefore: DateTime.subtract(now, { months: p.inactivityWarningMonths }),
  eraseInactiveBefore: DateTime.subtract(now, { months: p.inactivityErasureMonths }),
  eraseWarnedBefore: DateTime.subtract(now, {
    months: Math.max(1, p.inactivityErasureMonths - p.inactivityWarningMonths)
  })
})

/** Whether the job is due at `now`, given when it last ran (by any process). */
export const isRunDue = (
  lastRunAt: Option.Option<DateTime.Utc>,
  now: DateTime.Utc,
  every: Duration.DurationInput
): boolean =>
  Option.match(lastRunAt, {
    onNone: () => true,
    onSome: (last) => !DateTime.lessThan(now, DateTime.addDuration(last, every))
  })

/**
 * What becomes of one account for inactivity: nothing; a warning e-mail; or erasure. The SQL of the
 * retention job selects by the same rule (an agreement test checks both on generated accounts).
 * `lastActiveAt` is the latest of its creation, log-ins, sessions in use and alerts; a warning
 * older than the latest activity no longer counts. Staff accounts are never erased for inactivity
 * (an administrator removes them).
 */
export type InactivityStep = "none" | "warn" | "erase"

export const inactivityStep = (
  account: {
    readonly lastActiveAt: DateTime.Utc
    readonly warnedAt: Option.Option<DateTime.Utc>
    readonly staff: boolean
    readonly erased: boolean
  },
  c: RetentionCutoffs
): InactivityStep => {
  if (account.erased || account.staff) return "none"
  if (!DateTime.lessThan(account.lastActiveAt, c.warnInactiveBefore)) return "none"
  const warned = Option.filter(account.warnedAt, (at) => DateTime.greaterThan(at, account.lastActiveAt))
  if (Option.isNone(warned)) return "warn"
  return DateTime.lessThan(account.lastActiveAt, c.eraseInactiveBefore) &&
      DateTime.lessThan(warned.value, c.eraseWarnedBefore)
    ? "erase"
    : "none"
}
