import { describe, expect, it } from "@effect/vitest"
import { inactivityWarningEmail } from "@vigie/domain/administration/RetentionTexts"

describe("RetentionTexts", () => {
  it("says when the account goes and how to keep it, in text paragraphs and in the shared HTML layout", () => {
    const mail = inactivityWarningEmail("Zoé", "https://vigie.example.fr//", 24, 23)
    expect(mail.subject).toBe("Votre compte Vigie va être supprimé faute de connexion")
    const paragraphs = mail.text.split("\n\n")
    expect(paragraphs[0]).toBe("Bonjour Zoé,")
    expect(paragraphs[1]).toContain("depuis 23 mois")
    expect(paragraphs[1]).toContain("inactifs depuis 24 mois")
    expect(paragraphs[1]).toContain("signées « Ancien membre »")
    expect(paragraphs.slice(2)).toStrictEqual([
      "Pour garder votre compte, il suffit de vous connecter : https://vigie.example.fr",
      "L'équipe Vigie"
    ])
    expect(mail.html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/)
    expect(mail.html).toContain("<p>Pour garder votre compte, il suffit de vous connecter.</p>")
    expect(mail.html).toContain("href=\"https://vigie.example.fr\" style=\"font-size:18px\">Me connecter à Vigie</a>")
    expect(mail.html.indexOf("Bonjour Zoé")).toBeLessThan(mail.html.indexOf("Me connecter à Vigie"))
    expect(mail.html).not.toContain("Gérer vos notifications")
  })

  it("escapes a hostile first name in the HTML and leaves it as typed in the text", () => {
    const mail = inactivityWarningEmail("<img src=x onerror=\"alert(1)\">&amp;", "https://vigie.example.fr", 24, 23)
    expect(mail.text.split("\n\n")[0]).toBe("Bonjour <img src=x onerror=\"alert(1)\">&amp;,")
    expect(mail.html).toContain("<p>Bonjour &lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;,</p>")
    expect(mail.html).not.toContain("<img")
  })

  it("keeps a path of PUBLIC_URL in the link", () => {
    const mail = inactivityWarningEmail("Zoé", new URL("https://example.fr/vigie/"), 24, 23)
    expect(mail.text).toContain("connecter : https://example.fr/vigie\n")
    expect(mail.html).toContain("<a href=\"https://example.fr/vigie\"")
  })
})
