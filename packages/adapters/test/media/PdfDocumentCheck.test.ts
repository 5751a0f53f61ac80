import { assert, describe, it } from "@effect/vitest"
import { make as check } from "@vigie/adapters/media/PdfDocumentCheck"
import { Effect } from "effect"
import { PDFDocument, StandardFonts } from "pdf-lib"
import sharp from "sharp"

const minutes = () =>
  Effect.promise(async () => {
    const document = await PDFDocument.create()
    const page = document.addPage([595, 842])
    page.drawText("Compte-rendu de l'assemblée générale", { x: 50, y: 780,
      font: await document.embedFont(StandardFonts.Helvetica) })
    return document.save()
  })

describe("PdfDocumentCheck", () => {
  it.effect("accepts a real PDF", () =>
    Effect.gen(function*() {
      yield* check.checkPdf(yield* minutes())
    }))

  it.effect("refuses a PNG sent as a PDF, a text, a truncated PDF and nothing at all", () =>
    Effect.gen(function*() {
      const png = yield* Effect.promise(() =>
        sharp({ create: { width: 20, height: 20, channels: 3, background: "#fff" } }).png().toBuffer()
      )
      const pdf = yield* minutes()
      const text = new TextEncoder().encode("%PDF-1.7 but nothing after the header")
      for (const bytes of [png, text, pdf.subarray(0, 200), new Uint8Array()]) {
        const error = yield* Effect.flip(check.checkPdf(bytes))
        assert.strictEqual(error._tag, "NotAPdf")
      }
    }))
})
