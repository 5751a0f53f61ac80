// Writes docs/screenshots/gazette-papier.png: the first page of the printed Gazette of a sample week, at 60 dpi
// (pdftoppm, from poppler-utils). Run from the repository's root: `npx tsx packages/adapters/test/gazette/GazettePaperScreenshot.ts`
// (add a folder argument to also keep the PDF and every page there).
import { execFileSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { renderGazette } from "../../src/gazette/PdfGazettePrinter.js"
import { sampleWeek } from "./SampleWeek.js"

const root = resolve(import.meta.dirname, "../../../..")
const keep = process.argv[2]
const dir = keep ?? mkdtempSync(join(tmpdir(), "vigie-gazette-"))
const pdfPath = join(dir, "gazette.pdf")
writeFileSync(pdfPath, await renderGazette(sampleWeek()))
execFileSync("pdftoppm", [
  "-png",
  "-r",
  "60",
  "-singlefile",
  pdfPath,
  join(root, "docs/screenshots/gazette-papier")
])
if (keep !== undefined) execFileSync("pdftoppm", ["-png", "-r", "60", pdfPath, join(dir, "page")])
else rmSync(dir, { recursive: true, force: true })
console.log("docs/screenshots/gazette-papier.png")
