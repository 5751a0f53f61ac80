import { describe, expect, it } from "@effect/vitest"
import { gsm7Segments } from "@vigie/domain/channels/Gsm7"
import { bulletinEmailText, bulletinSmsText } from "@vigie/domain/mairie/BulletinTexts"
import fc from "fast-check"

const publicUrl = "https://vigie.example.fr/"

describe("BulletinTexts", () => {
  it("names the mairie or the municipal police of the commune, to the référents", () => {
    expect(bulletinSmsText({ origin: "mairie", communeName: "Le Havre", text: "Réunion jeudi à 18 h" }))
      .toBe("Vigie - Mairie du Havre aux référents : Réunion jeudi à 18 h")
    const mail = bulletinEmailText({ origin: "police", communeName: "Angers", text: "Opération" }, publicUrl)
    expect(mail.subject).toBe("Vigie – Police municipale de Angers aux référents")
    expect(mail.text).toContain("Retrouvez-le dans votre boîte de référent sur Vigie : https://vigie.example.fr\n")
    expect(mail.text.endsWith("Gérer vos notifications : https://vigie.example.fr/preferences")).toBe(true)
  })

  it("keeps the SMS to one GSM-7 part whatever the text", () => {
    const origins = fc.constantFrom("mairie" as const, "police" as const)
    fc.assert(
      fc.property(origins, fc.string({ minLength: 1, maxLength: 1000 }), (origin, text) => {
        const sms = bulletinSmsText({ origin, communeName: "Saint-Étienne", text })
        expect(gsm7Segments(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 })
      }),
      { numRuns: 300 }
    )
  })

  it("escapes the bulletin's text in the HTML", () => {
    const mail = bulletinEmailText({ origin: "mairie", communeName: "Lyon", text: "<script>x</script>" }, publicUrl)
    expect(mail.html).toContain("<p>&lt;script&gt;x&lt;/script&gt;</p>")
    expect(mail.text).toContain("<script>x</script>")
  })
})
