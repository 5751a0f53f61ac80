import { describe, expect, it } from "@effect/vitest"
import {
  button,
  escapeHtml,
  facts,
  highlighted,
  layout,
  paragraphs,
  together
} from "@vigie/domain/channels/EmailLayout"
import fc from "fast-check"

const page = (words: string) =>
  layout({
    subject: `Vigie – ${words}`,
    heading: words,
    headingInText: true,
    blocks: [
      facts([["Lieu", words]]),
      paragraphs([words, "seconde ligne"]),
      together(paragraphs([words]), button(`https://vigie.example.fr/${words}`, "Ouvrir Vigie")),
      highlighted(words)
    ],
    footer: { note: words, preferences: "https://vigie.example.fr/preferences" }
  })

const tagsOf = (html: string) => [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]).sort()

describe("EmailLayout", () => {
  it("lays the heading, the blocks and the footer out in the same order in the text and the HTML", () => {
    const mail = page("Coupure")
    expect(mail.text).toBe([
      "COUPURE",
      "Lieu : Coupure",
      "Coupure\nseconde ligne",
      "Coupure\nOuvrir Vigie : https://vigie.example.fr/Coupure",
      "Coupure",
      "Coupure Gérer vos notifications : https://vigie.example.fr/preferences"
    ].join("\n\n"))
    expect(mail.html).toContain("<h1 style=\"font-size:22px\">Coupure</h1>")
    expect(mail.html.indexOf("<ul>")).toBeLessThan(mail.html.indexOf("Ouvrir Vigie"))
    expect(mail.html)
      .toContain("<a href=\"https://vigie.example.fr/preferences\">Gérer vos notifications</a></p>\n</body></html>")
  })

  it("leaves the footer out of e-mails one cannot turn off, and the heading out of their text when asked", () => {
    const mail = layout({ subject: "s", heading: "Titre", blocks: [paragraphs(["Bonjour"])] })
    expect(mail.text).toBe("Bonjour")
    expect(mail.html).not.toContain("Gérer vos notifications")
  })

  it("escapes every word it is given: no text adds a tag or an attribute", () => {
    const hostile = fc.oneof(
      fc.string({ minLength: 1 }),
      fc.constantFrom("<script>x</script>", "\"><img src=x onerror=alert(1)>", "</p><a href='//evil'>x</a>", "<!--"),
      fc.array(fc.constantFrom("<", ">", "&", "\"", "'", "a", " ", "/", "="), { minLength: 1, maxLength: 40 })
        .map((a) => a.join(""))
    )
    fc.assert(
      fc.property(hostile, (words) => {
        const html = page(words).html
        expect(tagsOf(html)).toEqual(tagsOf(page("mot").html))
        expect(html.split("\"").length).toBe(page("mot").html.split("\"").length)
        expect(html).toContain(escapeHtml(words))
      }),
      { numRuns: 500 }
    )
  })
})
