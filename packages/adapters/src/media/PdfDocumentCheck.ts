import { DocumentCheck } from "@vigie/domain/media/DocumentCheck"
import { NotAPdf } from "@vigie/domain/media/MediaErrors"
import { Effect, Layer } from "effect"
import { PDFDocument } from "pdf-lib"

/** The bytes every PDF starts with (after at most a few bytes of junk, which readers tolerate). */
const hasPdfHeader = (bytes: Uint8Array) => {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024))
  return head.includes("%PDF-")
}

export const make = DocumentCheck.of({
  checkPdf: (bytes) =>
    (hasPdfHeader(bytes)
      ? Effect.tryPromise({
        // Encrypted PDFs (a password to open) are refused too: nobody could read them here.
        // A damaged file may parse without a catalog: counting its pages then throws, inside the try.
        try: async () => (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount(),
        catch: () => new NotAPdf()
      }).pipe(Effect.filterOrFail((pages) => pages > 0, () => new NotAPdf()))
      : Effect.fail(new NotAPdf())).pipe(
        Effect.asVoid,
        Effect.withSpan("PdfDocumentCheck.checkPdf", { attributes: { bytes: bytes.byteLength } })
      )
})

/** PDF attachments opened with pdf-lib: a file that does not parse as a PDF with pages is refused. */
export const layer = Layer.succeed(DocumentCheck, make)
