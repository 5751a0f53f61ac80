import { describe, expect, it } from "@effect/vitest"
import { noticeEmailText } from "@vigie/domain/moderation/NoticeTexts"

describe("NoticeTexts", () => {
  it("sends the notice's own words by e-mail, escaped, with a link to Vigie and no way to turn it off", () => {
    const mail = noticeEmailText("Votre alerte « <b>Feu</b> » a été masquée.", "https://vigie.example.fr/")
    expect(mail.subject).toBe("Vigie – message de la modération")
    expect(mail.text).toBe("Votre alerte « <b>Feu</b> » a été masquée.\n\nVigie : https://vigie.example.fr")
    expect(mail.html).toContain("<p>Votre alerte « &lt;b&gt;Feu&lt;/b&gt; » a été masquée.</p>")
    expect(mail.html).toContain("<a href=\"https://vigie.example.fr\" style=\"font-size:18px\">Ouvrir Vigie</a>")
    expect(mail.html).not.toContain("Gérer vos notifications")
  })
})
