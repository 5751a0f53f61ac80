import { describe, expect, it } from "@effect/vitest"
import { DateTime, FastCheck as fc } from "effect"
import type { CommunityId } from "../../src/communities/Community.js"
import {
  type DigestCandidate,
  digestContent,
  digestDue,
  digestWeek,
  digestWindow,
  latestDigestAt,
  nextDigestAt
} from "../../src/gazette/GazetteDigest.js"
import { digestEmail, excerptOf } from "../../src/gazette/GazetteDigestTexts.js"
import type { GazettePostId } from "../../src/gazette/GazettePost.js"

const paris = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  weekday: "short",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23"
})
/** "Mon 08:00:00" as a Paris wall clock reads the instant. */
const parisClock = (at: DateTime.Utc) => paris.format(DateTime.toDateUtc(at)).replace(",", "")

// 2000 to 2100: every daylight-saving change of the century, both ways.
const instants = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"),
  noInvalidDate: true })
  .map((d) => DateTime.unsafeFromDate(d))
const HOUR = 3_600_000

describe("nextDigestAt", () => {
  it("is a Monday at 08:00 in Paris, after now, with no Monday 08:00 in between", () =>
    fc.assert(
      fc.property(instants, (now) => {
        const next = nextDigestAt(now)
        expect(parisClock(next)).toBe("Mon 08:00:00")
        expect(DateTime.greaterThan(next, now)).toBe(true)
        // Consecutive Mondays 08:00 are 167, 168 or 169 hours apart (a daylight-saving change in the week).
        const gap = DateTime.toEpochMillis(next) - DateTime.toEpochMillis(now)
        expect(gap).toBeLessThanOrEqual(169 * HOUR)
        expect(DateTime.lessThanOrEqualTo(latestDigestAt(now), now)).toBe(true)
        expect(nextDigestAt(latestDigestAt(now))).toEqual(next)
      }),
      { numRuns: 2000 }
    ))

  it("is stable over the week: any instant up to the next Monday 08:00 leads to it", () =>
    fc.assert(
      fc.property(instants, fc.double({ min: 0, max: 1, noNaN: true }), (now, f) => {
        const previous = latestDigestAt(now)
        const next = nextDigestAt(now)
        const between = DateTime.unsafeMake(
          Math.floor(
            DateTime.toEpochMillis(previous) + f * (DateTime.toEpochMillis(next) - DateTime.toEpochMillis(previous) - 1)
          )
        )
        expect(nextDigestAt(between)).toEqual(next)
        expect(latestDigestAt(between)).toEqual(previous)
      }),
      { numRuns: 1000 }
    ))

  it("keeps 08:00 Paris on both sides of the changes to and from summer time", () => {
    // Summer time starts on Sunday 29 March 2026 and ends on Sunday 25 October 2026.
    expect(DateTime.formatIso(nextDigestAt(DateTime.unsafeMake("2026-03-28T12:00:00Z")))).toBe(
      "2026-03-30T06:00:00.000Z"
    )
    expect(DateTime.formatIso(nextDigestAt(DateTime.unsafeMake("2026-03-23T06:59:59Z")))).toBe(
      "2026-03-23T07:00:00.000Z"
    )
    expect(DateTime.formatIso(nextDigestAt(DateTime.unsafeMake("2026-10-24T12:00:00Z")))).toBe(
      "2026-10-26T07:00:00.000Z"
    )
    expect(DateTime.formatIso(nextDigestAt(DateTime.unsafeMake("2026-10-19T06:00:00Z")))).toBe(
      "2026-10-26T07:00:00.000Z"
    )
    expect(digestWeek(DateTime.unsafeMake("2026-12-07T07:00:00Z"))).toBe("2026-12-07")
  })

  it("is due from its Monday 08:00 until the late limit, never before", () => {
    const runAt = DateTime.unsafeMake("2026-12-07T07:00:00Z")
    expect(digestDue(runAt, DateTime.unsafeMake("2026-12-07T06:59:59Z"))).toBe(false)
    expect(digestDue(runAt, runAt)).toBe(true)
    expect(digestDue(runAt, DateTime.unsafeMake("2026-12-07T20:00:00Z"))).toBe(true)
    expect(digestDue(runAt, DateTime.unsafeMake("2026-12-08T07:00:00Z"))).toBe(false)
  })
})

const A = "00000000-0000-4000-a000-00000000000a" as CommunityId
const B = "00000000-0000-4000-a000-00000000000b" as CommunityId
const C = "00000000-0000-4000-a000-00000000000c" as CommunityId
const runAt = DateTime.unsafeMake("2026-12-07T07:00:00Z")
const post = (n: number, over: Partial<DigestCandidate>): DigestCandidate => ({
  id: `00000000-0000-4000-b000-${String(n).padStart(12, "0")}` as GazettePostId,
  kind: "annonce",
  reach: [A],
  title: `Annonce ${n}`,
  excerpt: "Un vélo d'enfant, bon état",
  createdAt: DateTime.subtract(runAt, { days: 1, minutes: n }),
  startsAt: null,
  place: null,
  quartier: "Les Lilas",
  ...over
})

describe("digestContent", () => {
  const candidates = [
    post(1, {}),
    post(2, { kind: "communication", reach: [A, B], title: "Travaux rue Victor-Hugo", quartier: null }),
    post(3, { reach: [C] }),
    post(4, { kind: "evenement", startsAt: DateTime.add(runAt, { days: 3 }), place: "Square des Lilas" }),
    post(5, { kind: "entraide", reach: [B] }),
    post(6, { kind: "covoiturage" })
  ]

  it("puts the mairie first, keeps only the group's topics and quartiers, each post once", () => {
    const content = digestContent({ communities: [A, B],
      topics: ["communication", "annonce", "evenement", "entraide"] }, [
      ...candidates,
      post(2, { kind: "communication", reach: [B], quartier: null })
    ])
    expect(content.map((c) => c.title)).toEqual([
      "Travaux rue Victor-Hugo",
      "Annonce 5",
      "Annonce 1",
      "Annonce 4"
    ])
    expect(content.map((c) => c.kind)).toEqual(["communication", "entraide", "annonce", "evenement"])
  })

  it("renders one French e-mail, escaped, with the mairie's section first and the event's date", () => {
    const window = digestWindow(runAt)
    const content = digestContent({ communities: [A], topics: ["communication", "annonce", "evenement"] }, [
      ...candidates,
      post(7, { title: "<script>x</script>" })
    ])
    const email = digestEmail(content, window, 1, "https://vigie.example")
    expect(email.subject).toBe("La Gazette de votre quartier – semaine du 7 décembre")
    expect(email.text.indexOf("COMMUNICATIONS DE LA MAIRIE")).toBeLessThan(email.text.indexOf("PETITES ANNONCES"))
    expect(email.text).toContain("jeudi 10 décembre")
    expect(email.text).toContain("https://vigie.example/gazette/00000000-0000-4000-b000-000000000002")
    expect(email.html).not.toContain("<script>")
    expect(email.html).toContain("&lt;script&gt;")
    expect(email.text).toContain("Gérer vos notifications : https://vigie.example/preferences")
    expect(excerptOf("mot ".repeat(100), 20)).toBe("mot mot mot mot mot…")
  })
})
