import { describe, expect, it } from "@effect/vitest"
import { gsm7Segments } from "@vigie/domain/channels/Gsm7"
import { ALERT_TEXT_LIMIT, categoryOf, parseInbound, senderPhone, truncateText } from "@vigie/domain/sms/SmsKeywords"
import { replyTexts } from "@vigie/domain/sms/SmsReplyTexts"
import { FastCheck as fc, Option } from "effect"

describe("SMS keywords", () => {
  it("whole-message keywords, accents, case, punctuation and spaces ignored", () => {
    for (const text of ["STOP", "stop", " Stop ! ", "ARRET", "Arrêt.", "arrêt", "STOP SMS", "stop-sms"]) {
      expect(parseInbound(text)._tag, text).toBe("Stop")
    }
    for (const text of ["START", "start", "Marche", "MARCHE !"]) expect(parseInbound(text)._tag, text).toBe("Start")
    for (const text of ["AIDE", "aide ?", "Help", "HELP!"]) expect(parseInbound(text)._tag, text).toBe("Help")
    for (const text of ["", "   ", "\n\t"]) expect(parseInbound(text)._tag).toBe("Empty")
    // A keyword inside a longer message is an alert, never a command.
    expect(parseInbound("stop au voleur rue Pasteur")._tag).toBe("Alert")
    expect(parseInbound("aide moi, mon voisin ne répond plus")._tag).toBe("Alert")
  })

  it("the category comes from the leading keyword, else other; the text is kept as written", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["VOL de vélo", "burglary"],
      ["vol: sac arraché", "burglary"],
      ["Cambriolage en cours au 3", "burglary"],
      ["SUSPECT homme cagoulé", "suspicious_person"],
      ["Véhicule sans plaque", "suspicious_vehicle"],
      ["VEHICULE rouge", "suspicious_vehicle"],
      ["ANIMAL chien errant", "lost_or_found_animal"],
      ["FEU dans le bois", "fire_or_smoke"],
      ["Fumée noire", "fire_or_smoke"],
      ["DANGER verglas", "road_danger"],
      ["Sans nouvelles de Mme Roux depuis hier", "vulnerable_person_without_news"],
      ["SANS-NOUVELLES M. Petit", "vulnerable_person_without_news"],
      ["Volet ouvert chez les Martin", "other"],
      ["Bonjour, une camionnette tourne", "other"],
      ["🚨 VOL", "burglary"]
    ]
    for (const [text, category] of cases) {
      expect(categoryOf(text), text).toBe(category)
      const parsed = parseInbound(text)
      expect(parsed).toMatchObject({ _tag: "Alert", category, text, truncated: false })
    }
  })

  it("any text parses without throwing; an alert text is never over the limit, never splits an emoji", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 3000 }),
          fc.string({ unit: "grapheme", maxLength: 1500 }),
          fc.string({ unit: "binary", maxLength: 2000 })
        ),
        (text) => {
          const parsed = parseInbound(text)
          if (parsed._tag === "Alert") {
            expect(parsed.text.length).toBeLessThanOrEqual(ALERT_TEXT_LIMIT)
            expect(parsed.text.trim()).not.toBe("")
            expect(parsed.text).not.toMatch(
              /[\u0000-\u0008]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
            )
          }
        }
      ),
      { numRuns: 500 }
    )
    const emoji = "😀".repeat(800)
    const cut = truncateText(emoji, ALERT_TEXT_LIMIT)
    expect(cut.length).toBeLessThanOrEqual(ALERT_TEXT_LIMIT)
    expect(cut.endsWith("😀…")).toBe(true)
  })

  it("sender numbers: Plivo's digits, +, 00 and spaces become E.164; sender names are none", () => {
    expect(senderPhone("33612345678")).toStrictEqual(Option.some("+33612345678"))
    expect(senderPhone("+33 6 12 34 56 78")).toStrictEqual(Option.some("+33612345678"))
    expect(senderPhone("0033612345678")).toStrictEqual(Option.some("+33612345678"))
    for (const from of ["MYBANK", "", "0612", "+0612345678", "3361234567890123456"]) {
      expect(senderPhone(from), from).toStrictEqual(Option.none())
    }
  })

  it("every reply is one GSM-7 part and the alert replies carry 17, 18, 15", () => {
    const texts = [
      replyTexts.published(0, false),
      replyTexts.published(1, false),
      replyTexts.published(1234, true),
      replyTexts.held(false),
      replyTexts.held(true),
      replyTexts.rateLimited(3600),
      replyTexts.stopped,
      replyTexts.started,
      replyTexts.help,
      replyTexts.join("https://vigie.example.fr"),
      replyTexts.pending
    ]
    for (const text of texts) {
      expect(gsm7Segments(text), text).toStrictEqual({ encoding: "GSM-7", units: expect.any(Number), segments: 1 })
    }
    for (
      const text of [replyTexts.published(3, false), replyTexts.held(false), replyTexts.rateLimited(60),
        replyTexts.help]
    ) {
      expect(text).toMatch(/17, 18, 15/)
    }
    expect(replyTexts.published(1, false)).toContain("1 voisin.")
  })
})
