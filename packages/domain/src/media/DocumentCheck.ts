import { Context } from "effect"
import type { Effect } from "effect"
import type { NotAPdf } from "./MediaErrors.js"

/**
 * Checks that the bytes of an attachment are a PDF document that opens (its structure parses and
 * it has a page), and fails NotAPdf otherwise. The bytes are stored as sent when they pass. The
 * caller checks the size in bytes before (MediaPolicy.checkSize).
 */
export class DocumentCheck extends Context.Tag("@vigie/domain/DocumentCheck")<
  DocumentCheck,
  { readonly checkPdf: (bytes: Uint8Array) => Effect.Effect<void, NotAPdf> }
>() {}
