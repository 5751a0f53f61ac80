import { describe, expect, it } from "@effect/vitest"
import type { AlertCategory, AlertId, AlertOrigin, Urgency } from "@vigie/domain/alerts/Alert"
import { AlertCategory as AlertCategorySchema } from "@vigie/domain/alerts/Alert"
import { mairieOf } from "@vigie/domain/alerts/AlertLabels"
import { emailText, smsText } from "@vigie/domain/alerts/AlertTexts"
import type { AlertForMessage, MessageSpec } from "@vigie/domain/alerts/AlertTexts"
import { escapeHtml } from "@vigie/domain/channels/EmailLayout"
import { gsm7Segments } from "@vigie/domain/channels/Gsm7"
import { alertLink, shortAlertId } from "@vigie/domain/channels/Links"
import { Option } from "effect"
import fc from "fast-check"

const publicUrl = "https://vigie.example.fr"
const alertId = "0b6f1c2e-8a3d-4c1e-9f2a-1234567890ab" as AlertId

const base: AlertForMessage = {
  alertId,
  category: "suspicious_vehicle",
  urgency: "urgent",
  origin: "web",
  text: "Voiture grise, deux hommes à bord, tourne depuis 20 min",
  place: Option.some("rue des Lilas"),
  communeName: "Angers"
}

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const GSM_EXT = "\f^{}\\[~]|€"
const gsmChar = fc.constantFrom(...GSM_BASIC, ...GSM_EXT)
const anyChar = fc.oneof(
  gsmChar,
  gsmChar,
  fc.constantFrom("œ", "ê", "ç", "’", "…", "🚗", "🙂", "É", "«", "»", "°", "\u00a0", "文")
)
const textArb = (max: number) => fc.array(anyChar, { maxLength: max }).map((cs) => cs.join(""))

const alertArb: fc.Arbitrary<AlertForMessage> = fc.record({
  alertId: fc.uuid().map((u) => u as AlertId),
  category: fc.constantFrom(...AlertCategorySchema.members.flatMap((m) => m.literals)) as fc.Arbitrary<AlertCategory>,
  urgency: fc.constantFrom<Urgency>("urgent", "info"),
  origin: fc.constantFrom<AlertOrigin>("web", "sms", "mairie", "police"),
  text: fc.oneof(textArb(300), fc.string({ minLength: 1, maxLength: 1000 }), fc.fullUnicodeString({ maxLength: 400 })),
  place: fc.option(fc.oneof(textArb(60), fc.string({ maxLength: 200 })), { nil: undefined }).map(Option.fromNullable),
  communeName: fc.constantFrom("Angers", "Le Havre", "Saint-Étienne", "Les Mureaux", "Œuilly")
})
const specArb: fc.Arbitrary<MessageSpec> = fc.oneof(
  fc.constant({ kind: "alert" as const }),
  fc.constant({ kind: "followup" as const }),
  fc.constantFrom("resolved" as const, "retracted" as const).map((outcome) => ({ kind: "closing" as const, outcome }))
)

describe("SMS texts", () => {
  it("says Vigie, urgency, category, place, text and link, in one segment", () => {
    const sms = smsText(base, { kind: "alert" }, publicUrl)
    expect(sms).toBe(
      `Vigie ALERTE Véhicule suspect - rue des Lilas: Voiture grise, deux hommes à bord, tourne depuis 20 min ${publicUrl}/a/${
        shortAlertId(alertId)
      }`
    )
    expect(gsm7Segments(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 })
  })

  it("words urgent and info alerts differently", () => {
    const urgent = smsText(base, { kind: "alert" }, publicUrl)
    const info = smsText({ ...base, urgency: "info" }, { kind: "alert" }, publicUrl)
    expect(urgent.startsWith("Vigie ALERTE ")).toBe(true)
    expect(info.startsWith("Vigie info ")).toBe(true)
    expect(info).not.toContain("ALERTE")
    expect(emailText(base, { kind: "alert" }, publicUrl).subject).toContain("Alerte urgente")
    expect(emailText({ ...base, urgency: "info" }, { kind: "alert" }, publicUrl).subject).not.toContain("urgente")
  })

  it("names the mairie or the municipal police for town alerts", () => {
    const town = { ...base, category: "water_or_power_cut" as const, text: "Coupure d'eau de 14 h à 18 h" }
    expect(smsText({ ...town, origin: "mairie" }, { kind: "alert" }, publicUrl)).toContain("Mairie d'Angers - Coupure")
    expect(smsText({ ...town, origin: "police" }, { kind: "alert" }, publicUrl)).toContain("Police municipale - ")
    expect(emailText({ ...town, origin: "mairie", communeName: "Le Havre" }, { kind: "alert" }, publicUrl).text)
      .toContain("Mairie du Havre")
    expect([mairieOf("Lyon"), mairieOf("Orléans"), mairieOf("Les Mureaux")]).toEqual(["Mairie de Lyon",
      "Mairie d'Orléans", "Mairie des Mureaux"])
  })

  it("writes the follow-up and the closing notes", () => {
    expect(smsText(base, { kind: "followup" }, publicUrl)).toContain("un autre voisin confirme")
    expect(smsText(base, { kind: "closing", outcome: "resolved" }, publicUrl)).toContain("résolue")
    expect(smsText(base, { kind: "closing", outcome: "retracted" }, publicUrl)).toContain("retirée")
    expect(emailText(base, { kind: "closing", outcome: "retracted" }, publicUrl).subject).toContain("Alerte retirée")
  })

  it("shortens a long text with \"...\" (GSM-7) and keeps the link whole", () => {
    const long = { ...base,
      text:
        "Une voiture grise stationne devant le numéro 12 depuis ce matin, moteur allumé, deux hommes observent les maisons et prennent des photos des entrées" }
    const sms = smsText(long, { kind: "alert" }, publicUrl)
    expect(sms).toContain("... https://vigie.example.fr/a/")
    expect(gsm7Segments(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 })
  })

  it("always holds the link intact, and fits one GSM-7 segment whenever the link leaves room", () => {
    fc.assert(
      fc.property(alertArb, specArb, (alert, spec) => {
        const sms = smsText(alert, spec, publicUrl)
        const link = alertLink(publicUrl, alert.alertId)
        expect(sms.endsWith(" " + link)).toBe(true)
        expect(sms.startsWith("Vigie")).toBe(true)
        expect(gsm7Segments(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 })
      }),
      { numRuns: 1000 }
    )
  })

  it("keeps the link even when it alone is too long for one segment", () => {
    const longUrl = "https://vigie.example.fr/" + "x".repeat(150)
    const sms = smsText(base, { kind: "alert" }, longUrl)
    expect(sms).toContain(alertLink(longUrl, alertId))
  })
})

describe("e-mail texts", () => {
  it("links to the alert and to the preferences and reminds 17/18/15", () => {
    const mail = emailText(base, { kind: "alert" }, publicUrl)
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain(alertLink(publicUrl, alertId))
      expect(part).toContain(`${publicUrl}/preferences`)
      expect(part).toContain("17 (police), le 18 (pompiers) ou le 15 (SAMU)")
    }
    expect(mail.subject).toBe("Vigie – Alerte urgente : Véhicule suspect – rue des Lilas")
  })

  const tagsOf = (html: string) => [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]).sort()

  it("escapes everything a member writes: no generated text adds a tag or an attribute", () => {
    const hostile = fc.oneof(
      fc.string({ minLength: 1 }),
      fc.constantFrom(
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "</p><a href='//evil'>x</a>",
        "&lt;b&gt;",
        "<!--",
        "]]>"
      ),
      fc.array(fc.constantFrom("<", ">", "&", "\"", "'", "a", " ", "/", "=", "script"), { minLength: 1, maxLength: 40 })
        .map((a) => a.join(""))
    )
    fc.assert(
      fc.property(alertArb, specArb, hostile, hostile, hostile, (alert, spec, text, place, commune) => {
        const attacked = { ...alert, text, place: Option.some(place), communeName: commune }
        const benign = { ...alert, text: "texte", place: Option.some("lieu"), communeName: "Angers" }
        const html = emailText(attacked, spec, publicUrl).html
        expect(tagsOf(html)).toEqual(tagsOf(emailText(benign, spec, publicUrl).html))
        expect(html.split("\"").length).toBe(emailText(benign, spec, publicUrl).html.split("\"").length)
        if (spec.kind === "alert") expect(html).toContain(escapeHtml(text.split(/\r?\n/)[0]!))
      }),
      { numRuns: 500 }
    )
  })

  it("keeps the subject on one line", () => {
    const mail = emailText({ ...base, place: Option.some("rue\r\nBcc: x@evil.example") }, { kind: "alert" }, publicUrl)
    expect(mail.subject).not.toMatch(/[\r\n]/)
  })
})
