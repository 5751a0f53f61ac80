import { Duration } from "effect"

/** Plivo drops a queued message after 3 hours: a town alert that needs longer must be warned about. */
export const PROVIDER_QUEUE_LIMIT = Duration.hours(3)

export interface DeliveryEstimate {
  /** Billed SMS parts: recipients × parts per SMS. */
  readonly billedSegments: number
  /** Euros, rounded to the cent. */
  readonly costEur: number
  /** Seconds to hand every SMS part to the provider at its rate. */
  readonly seconds: number
  readonly exceedsProviderQueue: boolean
}

/**
 * What a town alert costs and how long its SMS take: every part is billed and paced (Plivo counts
 * a multi-part SMS as that many messages for its rate), e-mail is free and not the bottleneck.
 */
export const estimate = (input: {
  readonly sms: number
  readonly segments: number
  readonly pricePerSegmentEur: number
  readonly ratePerSecond: number
}): DeliveryEstimate => {
  const billedSegments = input.sms * input.segments
  const seconds = billedSegments === 0 ? 0 : Math.ceil(billedSegments / input.ratePerSecond)
  return {
    billedSegments,
    costEur: Math.round(billedSegments * input.pricePerSegmentEur * 100) / 100,
    seconds,
    exceedsProviderQueue: seconds > Duration.toSeconds(PROVIDER_QUEUE_LIMIT)
  }
}

export interface BudgetState {
  readonly monthlySegments: number
  readonly usedSegments: number
}

/** Parts left this month (never negative). */
export const remaining = (budget: BudgetState): number => Math.max(0, budget.monthlySegments - budget.usedSegments)

/** Whether `billedSegments` more parts fit in the month's budget: the budget is a hard ceiling. */
export const fits = (budget: BudgetState, billedSegments: number): boolean =>
  budget.usedSegments + billedSegments <= budget.monthlySegments
