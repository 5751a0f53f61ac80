import { describe, expect, it } from "@effect/vitest"
import { DateTime, Option } from "effect"
import { directRecipients } from "../../src/delivery/DirectRecipients.js"
import { noticeCaseArb } from "../moderation/ModerationWorldArbitrary.js"

const runs = { fastCheck: { numRuns: 300 } }

describe("a message to one named person", () => {
  it.prop("SMS to a verified phone but STOP, e-mail to the address, as asked; erased: none", [noticeCaseArb], ([c]) => {
    const planned = directRecipients(c.account, c.channels, c.suppressedPhones, c.now)
    const a = c.account
    const sms = c.channels.includes("sms") && a.status !== "erased" && a.phoneVerified && Option.isSome(a.phone) &&
      !c.suppressedPhones.includes(a.phone.value)
    const email = c.channels.includes("email") && a.status !== "erased" && Option.isSome(a.email)
    expect(planned.map((p) => p.channel)).toEqual([...(email ? ["email"] : []), ...(sms ? ["sms"] : [])])
    for (const p of planned) {
      expect(p.accountId).toBe(a.id)
      expect(p.destination).toBe(p.channel === "sms" ? Option.getOrThrow(a.phone) : Option.getOrThrow(a.email))
      expect(DateTime.toEpochMillis(p.notBefore)).toBe(DateTime.toEpochMillis(c.now))
    }
  }, runs)

  it.prop("a suspended account is still told", [noticeCaseArb], ([c]) => {
    const active = directRecipients({ ...c.account, status: "active" }, c.channels, c.suppressedPhones, c.now)
    const suspended = directRecipients({ ...c.account, status: "suspended" }, c.channels, c.suppressedPhones, c.now)
    expect(suspended).toEqual(active)
  }, runs)
})
