import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from "pdf-lib"
import type { PDFObject } from "pdf-lib"

const cp1252High = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ"
const winAnsi = (bytes: Buffer) =>
  Array.from(bytes, (b) => (b >= 0x80 && b <= 0x9f ? cp1252High[b - 0x80]! : String.fromCharCode(b))).join("")

/**
 * The text each page of a PDF made with pdf-lib's standard fonts draws, in drawing order: every `<hex> Tj`
 * string of its content, decoded from WinAnsi.
 */
export const pageTexts = async (bytes: Uint8Array): Promise<Array<string>> => {
  const pdf = await PDFDocument.load(bytes)
  return pdf.getPages().map((page) => {
    const contents: PDFObject | undefined = page.node.Contents()
    const streams = contents instanceof PDFArray
      ? contents.asArray().map((ref) => pdf.context.lookup(ref))
      : [contents]
    return streams.flatMap((stream) => {
      if (!(stream instanceof PDFRawStream)) return []
      const content = Buffer.from(decodePDFRawStream(stream).decode()).toString("latin1")
      return [...content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)].map((m) => winAnsi(Buffer.from(m[1]!, "hex")))
    }).join("\n")
  })
}
