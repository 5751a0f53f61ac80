import { describe, expect, it } from "@effect/vitest"
import {
  emailChangedEmail,
  passwordChangedEmail,
  resetLink,
  resetLinkEmail
} from "@vigie/domain/accounts/LifecycleTexts"

describe("LifecycleTexts", () => {
  it("builds links on PUBLIC_URL with the token encoded", () => {
    expect(resetLink("https://vigie.example.fr/", "a b/c"))
      .toBe("https://vigie.example.fr/mot-de-passe/nouveau?jeton=a%20b%2Fc")
  })

  it("puts the link after the first paragraph, in the text and in the HTML", () => {
    const mail = resetLinkEmail("Zoé", "https://vigie.example.fr/mot-de-passe/nouveau?jeton=t")
    const [first, link, second] = mail.text.split("\n\n")
    expect(first).toContain("Bonjour Zoé")
    expect(link).toBe("Choisir un nouveau mot de passe : https://vigie.example.fr/mot-de-passe/nouveau?jeton=t")
    expect(second).toBe("Ce lien est valable une heure et ne sert qu'une fois.")
    expect(mail.html.indexOf("Bonjour Zoé")).toBeLessThan(mail.html.indexOf("Choisir un nouveau mot de passe"))
    expect(passwordChangedEmail("Zoé", "https://vigie.example.fr//").text)
      .toContain("https://vigie.example.fr/mot-de-passe-oublie")
  })

  it("escapes the names and addresses it shows", () => {
    const mail = emailChangedEmail("<b>Zoé</b>", "z***@example.org")
    expect(mail.html).toContain("Bonjour &lt;b&gt;Zoé&lt;/b&gt;")
    expect(mail.html).not.toContain("<b>")
  })
})
