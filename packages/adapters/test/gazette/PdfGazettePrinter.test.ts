import { assert, describe, it } from "@effect/vitest"
import * as PdfGazettePrinter from "@vigie/adapters/gazette/PdfGazettePrinter"
import { GazettePrinter } from "@vigie/domain/gazette/GazettePrinter"
import { GazetteAnnonce } from "@vigie/domain/gazette/GazetteWeek"
import { Effect } from "effect"
import { PageSizes, PDFDocument } from "pdf-lib"
import { pageTexts } from "./PdfText"
import { longWeek, sampleWeek } from "./SampleWeek"

// Node's TextDecoder("windows-1252") decodes 0x80–0x9F as C1 controls, like latin1: map them here.
const flat = (text: string) => text.replace(/\s+/g, " ")

const render = (week = sampleWeek()) =>
  Effect.gen(function*() {
    const printer = yield* GazettePrinter
    const bytes = yield* printer.render(week)
    const pdf = yield* Effect.promise(() => PDFDocument.load(bytes))
    const pages = yield* Effect.promise(() => pageTexts(bytes))
    return { bytes, pdf, pages }
  }).pipe(Effect.provide(PdfGazettePrinter.layer))

describe("PdfGazettePrinter", () => {
  it.effect("prints a sample week on both sides of an A4 sheet: every section, the emergency numbers, the SMS number", () =>
    Effect.gen(function*() {
      const { pages, pdf } = yield* render()
      assert.strictEqual(pdf.getPageCount(), 2)
      for (const page of pdf.getPages()) {
        assert.closeTo(page.getSize().width, PageSizes.A4[0], 0.01)
        assert.closeTo(page.getSize().height, PageSizes.A4[1], 0.01)
      }
      assert.strictEqual(pdf.getTitle(), "La Gazette des Graves — semaine du 7 au 13 décembre 2026")
      assert.include(flat(pages[0]!), "La Gazette des Graves Semaine du 7 au 13 décembre 2026 Cadaujac")
      assert.include(pages[0]!, "page 1 / 2")
      assert.include(pages[1]!, "page 2 / 2")
      assert.include(pages[1]!, "La Gazette des Graves (suite)")
      const text = flat(pages.join("\n"))
      const order = [
        "Les nouvelles de la mairie",
        "Les prochains événements",
        "Annonces et entraide",
        "Perdu / trouvé",
        "En cas d’urgence : 17 Police · 18 Pompiers · 15 SAMU · 112 Urgences"
      ].map((heading) => text.indexOf(heading))
      assert.isTrue(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!)), String(order))
      assert.include(text, "Alerter vos voisins par SMS : 07 57 59 12 34")
      assert.include(text, "Rejoindre Vigie : vigie.example/rejoindre")
      assert.include(text, "Travaux rue des Écoles")
      assert.include(text, "Petite fête de Noël des voisins")
      assert.include(text, "samedi 12 décembre à 15 h")
      assert.include(text, "12 places restantes")
      assert.include(text, "Vends : Vélo d’enfant 16 pouces")
      assert.include(text, "40 €")
      assert.include(text, "Chat tigré « Filou »")
    }))

  it.effect("runs a busy week over several pages, each numbered, and keeps the emergency box whole on the last", () =>
    Effect.gen(function*() {
      const { pages, pdf } = yield* render(longWeek())
      assert.strictEqual(pdf.getPageCount(), 4)
      pages.forEach((page, i) => {
        assert.include(page, `page ${i + 1} / 4`)
        if (i > 0) assert.include(page, "La Gazette des Graves (suite)")
        assert.closeTo(pdf.getPage(i).getSize().height, PageSizes.A4[1], 0.01)
      })
      const last = flat(pages[3]!)
      assert.include(last, "En cas d’urgence : 17 Police · 18 Pompiers · 15 SAMU · 112 Urgences")
      assert.include(last, "Alerter vos voisins par SMS : 07 57 59 12 34")
      assert.notInclude(flat(pages.slice(0, 3).join("\n")), "112 Urgences")
      const all = flat(pages.join("\n"))
      assert.include(all, "Et 4 autres annonces sur Vigie.")
      assert.include(all, "Et 2 autres avis sur Vigie.")
      // The count of the rest stays on the page of the last entry shown.
      const withRest = pages.find((page) => flat(page).includes("Et 2 autres avis sur Vigie."))!
      assert.include(flat(withRest), "Trousseau de clés avec un porte-clés Bordeaux 2")
      // Long texts are cut with an ellipsis, never spilled whole.
      assert.include(all, "…")
      assert.notInclude(all, "Annonce numéro 1 de la semaine")
    }))

  it.effect("says kindly that a section is empty", () =>
    Effect.gen(function*() {
      const { pages } = yield* render(sampleWeek({ news: [], events: [], annonces: [], lostFound: [] }))
      const text = flat(pages[0]!)
      assert.include(text, "Pas de nouvelle de la mairie cette semaine.")
      assert.include(text, "Pas d’événement prévu pour le moment.")
      assert.include(text, "Pas d’annonce cette semaine.")
      assert.include(text, "Rien de perdu ni de trouvé cette semaine.")
    }))

  it.effect("draws names the standard fonts lack without failing, and wraps a word longer than a line", () =>
    Effect.gen(function*() {
      const { pages } = yield* render(sampleWeek({
        quartierName: "Les Œillets\u202FNord",
        joinUrl: `vigie.example/${"x".repeat(120)}`,
        annonces: sampleWeek().annonces.slice(0, 1).map((a) => new GazetteAnnonce({ ...a, author: "Nguyễn T. 🙂" }))
      }))
      const text = flat(pages.join("\n"))
      assert.include(text, "La Gazette des Œillets Nord")
      assert.include(text, "De la part de Nguyen T. ?")
      assert.include(text, "xxxxxxxx")
    }))
})
