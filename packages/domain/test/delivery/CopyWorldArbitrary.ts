import { DateTime, FastCheck as fc } from "effect"
import type { AccountId } from "../../src/accounts/Account.js"
import type { CopyFacts, EarlierDelivery } from "../../src/delivery/CopyRecipients.js"
import type { DeliveryStatus } from "../../src/delivery/Delivery.js"
import type { PhoneE164 } from "../../src/shared/Text.js"
import { nowArb } from "./WorldArbitrary.js"

/** One generated case: the earlier message's deliveries, who is left out, STOPs, and when the copy is written. */
export interface CopyCase {
  /** Everyone who got the earlier message (erased or not): the accounts of `facts.earlier`. */
  readonly accounts: ReadonlyArray<AccountId>
  /** The accounts that erased themselves since the earlier message (their deliveries wiped as erasure does). */
  readonly erased: ReadonlyArray<AccountId>
  readonly facts: CopyFacts
  readonly now: DateTime.Utc
}

/** Every status a delivery takes in the life of a message, except `cancelled`, which only erasure writes. */
export const LIVE_STATUSES: ReadonlyArray<DeliveryStatus> = [
  "pending",
  "sending",
  "sent",
  "delivered",
  "failed",
  "dead",
  "withheld"
]

/** The phone and e-mail address of the i-th generated person (unique, valid E.164). */
export const copyPhoneOf = (i: number) => `+3361200${String(i).padStart(4, "0")}` as PhoneE164
export const copyEmailOf = (i: number) => `voisine${i}@exemple.fr`

const STRANGER = "00000000-0000-4000-8000-0000000000ff" as AccountId

/** Minutes from `now`: long before, just before, exactly now, just after (quiet hours still running), hours later. */
const offsetMinutes = fc.oneof(
  fc.constantFrom(0, -1, 1, -600, 420),
  fc.integer({ min: -24 * 60, max: 12 * 60 })
)

const status = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<DeliveryStatus>("sent", "delivered", "pending") },
  { weight: 2, arbitrary: fc.constantFrom(...LIVE_STATUSES) }
)

const channelDraft = fc.option(fc.record({ status, offset: offsetMinutes }), { freq: 4, nil: undefined })

/**
 * Earlier messages of 0–12 people, each reached by SMS, e-mail, both or (rarely) neither, in every
 * status, not before some time around `now`; STOPs on some of their numbers and on strangers'; some
 * of them (and a stranger) excluded. With `erasures`, some people erased their account since: their
 * pending or sending deliveries are `cancelled` and every destination of theirs is wiped to "", as
 * PgPersonalData.erase does.
 */
export const copyCaseArb = (options: { readonly erasures: boolean }): fc.Arbitrary<CopyCase> =>
  fc
    .record({
      ids: fc.uniqueArray(fc.uuid(), { maxLength: 12 }),
      drafts: fc.array(
        fc.record({
          sms: channelDraft,
          email: channelDraft,
          suppressed: fc.boolean(),
          excluded: fc.nat({ max: 5 }).map((n) => n === 0),
          erased: options.erasures ? fc.nat({ max: 4 }).map((n) => n === 0) : fc.constant(false)
        }),
        { minLength: 12, maxLength: 12 }
      ),
      strangerPhones: fc.array(fc.integer({ min: 5000, max: 9999 }).map(copyPhoneOf), { maxLength: 2 }),
      excludeStranger: fc.boolean(),
      now: nowArb
    })
    .map(({ drafts, excludeStranger, ids, now, strangerPhones }): CopyCase => {
      const earlier: Array<EarlierDelivery> = []
      const suppressedPhones: Array<PhoneE164> = [...strangerPhones]
      const excluded: Array<AccountId> = excludeStranger ? [STRANGER] : []
      const erased: Array<AccountId> = []
      ids.forEach((raw, i) => {
        const accountId = raw as AccountId
        const d = drafts[i]!
        if (d.erased) erased.push(accountId)
        if (d.excluded) excluded.push(accountId)
        if (d.suppressed) suppressedPhones.push(copyPhoneOf(i))
        const channels = [["sms", d.sms, copyPhoneOf(i)], ["email", d.email, copyEmailOf(i)]] as const
        for (const [channel, draft, destination] of channels) {
          if (draft === undefined) continue
          earlier.push({
            accountId,
            channel,
            destination: d.erased ? "" : destination,
            status: d.erased && (draft.status === "pending" || draft.status === "sending") ? "cancelled" : draft.status,
            notBefore: DateTime.add(now, { minutes: draft.offset })
          })
        }
      })
      const accounts = ids as ReadonlyArray<string> as ReadonlyArray<AccountId>
      return { accounts, erased, facts: { earlier, excluded, suppressedPhones }, now }
    })

/** The same case with every array in another order. */
export const shuffledCopyCase = (c: CopyCase): fc.Arbitrary<CopyCase> => {
  const perm = <A>(xs: ReadonlyArray<A>) => fc.shuffledSubarray([...xs], { minLength: xs.length, maxLength: xs.length })
  return fc
    .record({
      earlier: perm(c.facts.earlier),
      excluded: perm(c.facts.excluded),
      suppressedPhones: perm(c.facts.suppressedPhones)
    })
    .map((facts) => ({ ...c, facts }))
}
