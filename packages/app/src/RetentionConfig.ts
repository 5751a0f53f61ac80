import { defaultRetentionPeriods, validRetentionPeriods } from "@vigie/domain/accounts/Retention"
import type { RetentionPeriods } from "@vigie/domain/accounts/Retention"
import { Config, Duration } from "effect"

/** The retention job's periods and how often each process checks whether it is due. */
export interface RetentionConfig {
  readonly periods: RetentionPeriods
  /** Each process looks this often; the job itself runs once per `periods.every` across all. */
  readonly check: Duration.DurationInput
}

const duration = (name: string, fallback: Duration.DurationInput) =>
  Config.duration(name).pipe(Config.withDefault(Duration.decode(fallback)))

/**
 * From the environment, every value optional: `RETENTION_LOGIN_FAILURES` ("7 days"),
 * `RETENTION_DELIVERY_DESTINATIONS` ("90 days"), `RETENTION_INBOUND_SMS` ("90 days"),
 * `RETENTION_LETTERS` ("60 days"), `RETENTION_LOGIN_DEVICES` ("365 days"), `RETENTION_VERIFICATION_SMS`
 * ("7 days"), `RETENTION_EXPIRED_LINKS` ("7 days"), `INACTIVE_ACCOUNT_WARNING_MONTHS` (23),
 * `INACTIVE_ACCOUNT_ERASURE_MONTHS` (24), `RETENTION_EVERY` ("1 day"), `RETENTION_CHECK` ("1 hour").
 */
export const config: Config.Config<RetentionConfig> = Config.all({
  periods: Config.all({
    loginFailures: duration("RETENTION_LOGIN_FAILURES", defaultRetentionPeriods.loginFailures),
    deliveryDestinations: duration("RETENTION_DELIVERY_DESTINATIONS", defaultRetentionPeriods.deliveryDestinations),
    inboundSms: duration("RETENTION_INBOUND_SMS", defaultRetentionPeriods.inboundSms),
    letters: duration("RETENTION_LETTERS", defaultRetentionPeriods.letters),
    loginDevices: duration("RETENTION_LOGIN_DEVICES", defaultRetentionPeriods.loginDevices),
    verificationSms: duration("RETENTION_VERIFICATION_SMS", defaultRetentionPeriods.verificationSms),
    expiredLinks: duration("RETENTION_EXPIRED_LINKS", defaultRetentionPeriods.expiredLinks),
    inactivityWarningMonths: Config.integer("INACTIVE_ACCOUNT_WARNING_MONTHS").pipe(
      Config.withDefault(defaultRetentionPeriods.inactivityWarningMonths)
    ),
    inactivityErasureMonths: Config.integer("INACTIVE_ACCOUNT_ERASURE_MONTHS").pipe(
      Config.withDefault(defaultRetentionPeriods.inactivityErasureMonths)
    ),
    every: duration("RETENTION_EVERY", defaultRetentionPeriods.every)
  }),
  check: duration("RETENTION_CHECK", Duration.hours(1))
}).pipe(
  Config.validate({
    message:
      "INACTIVE_ACCOUNT_ERASURE_MONTHS must be greater than INACTIVE_ACCOUNT_WARNING_MONTHS (at least 1), and RETENTION_EVERY positive",
    validation: (c) => validRetentionPeriods(c.periods)
  })
)
