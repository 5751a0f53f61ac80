import { describe, expect, it } from "@effect/vitest"
import type { AlertCategory, AlertId, AlertOrigin, Urgency } from "@vigie/domain/alerts/Alert"
import { AlertCategory as AlertCategorySchema } from "@vigie/domain/alerts/Alert"
import { mairieOf } from "@vigie/domain/alerts/AlertLabels"
import {
  alertIdFromShortId,
  alertLink,
  emailText,
  escapeHtml,
  gsm7Segments,
  shortAlertId,
  smsText,
  toGsm7
} from "@vigie/domain/delivery/MessageTexts"
import type { AlertForMessage, MessageSpec } from "@vigie/domain/delivery/MessageTexts"
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

/** Reference: pack each character, one by one, into parts; the plain textbook rules. */
const GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
const GSM_EXT = "\f^{}\\[~]|€"
const referenceSegments = (text: string) => {
  const chars = [...text]
  const gsm = chars.every((c) => GSM_BASIC.includes(c) || GSM_EXT.includes(c))
  const size = (c: string) => gsm ? (GSM_EXT.includes(c) ? 2 : 1) : c.length
  const single = gsm ? 160 : 70
  const multi = gsm ? 153 : 67
  const total = chars.reduce((n, c) => n + size(c), 0)
  if (total <= single) return { encoding: gsm ? "GSM-7" : "UCS-2", segments: 1 }
  const parts: Array<Array<string>> = [[]]
  for (const c of chars) {
    const current = parts[parts.length - 1]!
    if (current.reduce((n, x) => n + size(x), 0) + size(c) > multi) parts.push([c])
    else current.push(c)
  }
  return { encoding: gsm ? "GSM-7" : "UCS-2", segments: parts.length }
}

const gsmChar = fc.constantFrom(...GSM_BASIC, ...GSM_EXT)
const anyChar = fc.oneof(gsmChar, gsmChar, fc.constantFrom("œ", "ê", "ç", "’", "…", "🚗", "🙂", "É", "«", "»", "°", "\u00a0", "文"))
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

describe("gsm7Segments", () => {
  it("counts parts at 160/153 septets in GSM-7 and 70/67 code units in UCS-2", () => {
    expect(gsm7Segments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(gsm7Segments("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 })
    expect(gsm7Segments("a".repeat(306)).segments).toBe(2)
    expect(gsm7Segments("a".repeat(307)).segments).toBe(3)
    expect(gsm7Segments("€".repeat(80))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 })
    expect(gsm7Segments("Cœur").encoding).toBe("UCS-2")
    expect(gsm7Segments("a".repeat(70) + "œ").segments).toBe(2)
    expect(gsm7Segments("é".repeat(70)).encoding).toBe("GSM-7")
    expect(gsm7Segments("🚗".repeat(35))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 })
    expect(gsm7Segments("🚗".repeat(36)).segments).toBe(2)
  })

  it("never splits an escape pair or a surrogate pair across parts", () => {
    expect(gsm7Segments("a".repeat(152) + "€" + "a".repeat(10)).segments).toBe(2)
    expect(gsm7Segments("a".repeat(152) + "€" + "a".repeat(152)).segments).toBe(3)
    expect(gsm7Segments("a".repeat(66) + "🚗" + "a".repeat(66)).segments).toBe(3)
  })

  it("agrees with a character-by-character reference on generated texts", () => {
    fc.assert(fc.property(fc.oneof(textArb(500), fc.fullUnicodeString({ maxLength: 400 })), (text) => {
      const ours = gsm7Segments(text)
      expect({ encoding: ours.encoding, segments: ours.segments }).toEqual(referenceSegments(text))
    }), { numRuns: 1000 })
  })
})

describe("SMS texts", () => {
  it("says Vigie, urgency, category, place, text and link, in one segment", () => {
    const sms = smsText(base, { kind: "alert" }, publicUrl)
    expect(sms).toBe(
      `Vigie ALERTE Véhicule suspect - rue des Lilas: Voiture grise, deux hommes à bord, tourne depuis 20 min ${publicUrl}/a/${shortAlertId(alertId)}`
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
    expect(emailText({ ...town, origin: "mairie", communeName: "Le Havre" }, { kind: "alert" }, publicUrl).text).toContain("Mairie du Havre")
    expect([mairieOf("Lyon"), mairieOf("Orléans"), mairieOf("Les Mureaux")]).toEqual(["Mairie de Lyon", "Mairie d'Orléans", "Mairie des Mureaux"])
  })

  it("writes the follow-up and the closing notes", () => {
    expect(smsText(base, { kind: "followup" }, publicUrl)).toContain("un autre voisin confirme")
    expect(smsText(base, { kind: "closing", outcome: "resolved" }, publicUrl)).toContain("résolue")
    expect(smsText(base, { kind: "closing", outcome: "retracted" }, publicUrl)).toContain("retirée")
    expect(emailText(base, { kind: "closing", outcome: "retracted" }, publicUrl).subject).toContain("Alerte retirée")
  })

  it("shortens a long text with \"...\" (GSM-7) and keeps the link whole", () => {
    const long = { ...base, text: "Une voiture grise stationne devant le numéro 12 depuis ce matin, moteur allumé, deux hommes observent les maisons et prennent des photos des entrées" }
    const sms = smsText(long, { kind: "alert" }, publicUrl)
    expect(sms).toContain("... https://vigie.example.fr/a/")
    expect(gsm7Segments(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 })
  })

  it("turns non-GSM French characters into GSM ones instead of paying UCS-2", () => {
    expect(toGsm7("Cœur fenêtre ça l’été « oui » 🚗 n°3…")).toBe("Coeur fenetre ca l'été \" oui \" no3...")
  })

  it("always holds the link intact, and fits one GSM-7 segment whenever the link leaves room", () => {
    fc.assert(fc.property(alertArb, specArb, (alert, spec) => {
      const sms = smsText(alert, spec, publicUrl)
      const link = alertLink(publicUrl, alert.alertId)
      expect(sms.endsWith(" " + link)).toBe(true)
      expect(sms.startsWith("Vigie")).toBe(true)
      expect(gsm7Segments(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 })
    }), { numRuns: 1000 })
  })

  it("keeps the link even when it alone is too long for one segment", () => {
    const longUrl = "https://vigie.example.fr/" + "x".repeat(150)
    const sms = smsText(base, { kind: "alert" }, longUrl)
    expect(sms).toContain(alertLink(longUrl, alertId))
  })

  it("short ids are 22 URL-safe characters and give the alert id back", () => {
    fc.assert(fc.property(fc.uuid(), (uuid) => {
      const short = shortAlertId(uuid as AlertId)
      expect(short).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(alertIdFromShortId(short)).toEqual(Option.some(uuid.toLowerCase()))
    }))
    expect(alertIdFromShortId("not-a-short-id")).toEqual(Option.none())
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
      fc.constantFrom("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "</p><a href='//evil'>x</a>", "&lt;b&gt;", "<!--", "]]>"),
      fc.array(fc.constantFrom("<", ">", "&", "\"", "'", "a", " ", "/", "=", "script"), { minLength: 1, maxLength: 40 }).map((a) => a.join(""))
    )
    fc.assert(fc.property(alertArb, specArb, hostile, hostile, hostile, (alert, spec, text, place, commune) => {
      const attacked = { ...alert, text, place: Option.some(place), communeName: commune }
      const benign = { ...alert, text: "texte", place: Option.some("lieu"), communeName: "Angers" }
      const html = emailText(attacked, spec, publicUrl).html
      expect(tagsOf(html)).toEqual(tagsOf(emailText(benign, spec, publicUrl).html))
      expect(html.split("\"").length).toBe(emailText(benign, spec, publicUrl).html.split("\"").length)
      if (spec.kind === "alert") expect(html).toContain(escapeHtml(text.split(/\r?\n/)[0]!))
    }), { numRuns: 500 })
  })

  it("keeps the subject on one line", () => {
    const mail = emailText({ ...base, place: Option.some("rue\r\nBcc: x@evil.example") }, { kind: "alert" }, publicUrl)
    expect(mail.subject).not.toMatch(/[\r\n]/)
  })
})
