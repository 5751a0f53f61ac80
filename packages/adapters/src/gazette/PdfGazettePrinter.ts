import { GazettePrinter, gazetteSheet } from "@vigie/domain/gazette/GazettePrinter"
import type { GazetteSheet, SheetLimits } from "@vigie/domain/gazette/GazettePrinter"
import type { GazetteWeek } from "@vigie/domain/gazette/GazetteWeek"
import { DateTime, Effect, Layer, Option } from "effect"
import { PageSizes, PDFDocument, rgb, StandardFonts } from "pdf-lib"
import type { PDFFont, PDFPage } from "pdf-lib"
import { winAnsiSafe } from "../postal/PdfPostalMailer.js"

const mm = (value: number) => (value * 72) / 25.4

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4
const LEFT = mm(18)
const TEXT_WIDTH = PAGE_WIDTH - 2 * LEFT
const TOP = mm(16)
/** Where the text stops: the footer lives below. */
const BOTTOM = PAGE_HEIGHT - mm(20)
const BOX_PADDING = mm(4)
const black = rgb(0, 0, 0)

/** Type sizes in points: large, for elderly readers (body 14 pt at least). */
const SIZE = { title: 30, week: 19, subtitle: 15, heading: 21, itemTitle: 16, body: 14, emergency: 20, footer: 12 }
const LEADING = 1.3

interface Fonts {
  readonly regular: PDFFont
  readonly bold: PDFFont
  readonly italic: PDFFont
}

interface Line {
  readonly text: string
  readonly font: PDFFont
  readonly size: number
  /** Extra space above the line, in points. */
  readonly before: number
}

/** Lines drawn together on one page when they fit: an entry, a section heading with its first entry, the box. */
interface Block {
  readonly lines: ReadonlyArray<Line>
  readonly spaceBefore: number
  readonly boxed: boolean
  /** Number of first lines followed by a rule (a section heading). */
  readonly ruleAfter: number
}

const lineHeight = (line: Line) => line.before + line.size * LEADING

const blockHeight = (block: Block) =>
  block.lines.reduce((sum, line) => sum + lineHeight(line), 0) + (block.boxed ? 2 * BOX_PADDING : 0) +
  (block.ruleAfter > 0 ? mm(2) : 0)

/** Breaks a text into lines of at most `width` points, cutting a word longer than a line (a long URL) where it must. */
export const wrap = (text: string, font: PDFFont, size: number, width: number): ReadonlyArray<string> => {
  const fits = (value: string) => font.widthOfTextAtSize(value, size) <= width
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/ +/).filter((w) => w !== "")) {
    const candidate = line === "" ? word : `${line} ${word}`
    if (fits(candidate)) {
      line = candidate
      continue
    }
    if (line !== "") lines.push(line)
    let rest = word
    while (!fits(rest)) {
      let cut = 1
      while (cut < rest.length && fits(rest.slice(0, cut + 1))) cut++
      lines.push(rest.slice(0, cut))
      rest = rest.slice(cut)
    }
    line = rest
  }
  if (line !== "") lines.push(line)
  return lines
}

/** Lays the sheet's words out as blocks, in reading order. */
const blocks = (sheet: GazetteSheet, fonts: Fonts, safe: (text: string) => string): ReadonlyArray<Block> => {
  const lines = (text: string, font: PDFFont, size: number, before = 0, width = TEXT_WIDTH): Array<Line> =>
    wrap(safe(text), font, size, width).map((value, i) => ({ text: value, font, size, before: i === 0 ? before : 0 }))
  const result: Array<Block> = [{
    lines: [
      ...lines(sheet.name, fonts.bold, SIZE.title),
      ...lines(sheet.week, fonts.bold, SIZE.week, 2),
      ...lines(sheet.subtitle, fonts.regular, SIZE.subtitle, 2)
    ],
    spaceBefore: 0,
    boxed: false,
    ruleAfter: 0
  }]
  for (const section of sheet.sections) {
    const heading = lines(section.title, fonts.bold, SIZE.heading)
    const entries: Array<Array<Line>> = section.items.map((item) => [
      ...lines(
        Option.match(item.label, { onNone: () => item.title, onSome: (l) => `${l} : ${item.title}` }),
        fonts.bold,
        SIZE.itemTitle
      ),
      ...(item.details.length === 0 ? [] : lines(item.details.join(" · "), fonts.regular, SIZE.body)),
      ...Option.toArray(item.text).flatMap((text) => lines(text, fonts.regular, SIZE.body, 2))
    ])
    if (entries.length === 0) entries.push(lines(section.empty, fonts.italic, SIZE.body))
    // "Et 3 autres annonces sur Vigie." stays with the last entry shown.
    Option.map(section.more, (more) => entries.at(-1)!.push(...lines(more, fonts.italic, SIZE.body, mm(2))))
    // The heading stays with its first entry.
    entries.forEach((entry, i) =>
      result.push({
        lines: i === 0 ? [...heading, ...entry.map((l, j) => (j === 0 ? { ...l, before: mm(3) } : l))] : entry,
        spaceBefore: i === 0 ? mm(8) : mm(4),
        boxed: false,
        ruleAfter: i === 0 ? heading.length : 0
      })
    )
  }
  const inner = TEXT_WIDTH - 2 * BOX_PADDING
  // The emergency numbers on one line when a slightly smaller size allows it.
  let emergencySize = SIZE.emergency
  const numbersWidth = (size: number) => fonts.bold.widthOfTextAtSize(safe(sheet.emergency.numbers), size)
  while (emergencySize > SIZE.itemTitle && numbersWidth(emergencySize) > inner) {
    emergencySize -= 0.5
  }
  result.push({
    lines: [
      ...lines(sheet.emergency.lead, fonts.bold, SIZE.itemTitle, 0, inner),
      ...lines(sheet.emergency.numbers, fonts.bold, emergencySize, 0, inner),
      ...lines(sheet.reminder, fonts.regular, SIZE.body, 0, inner),
      ...lines(sheet.sms, fonts.bold, SIZE.itemTitle, mm(3), inner),
      ...lines(sheet.join, fonts.bold, SIZE.itemTitle, mm(1), inner),
      ...lines(sheet.joinSentence, fonts.regular, SIZE.body, 0, inner)
    ],
    spaceBefore: mm(10),
    boxed: true,
    ruleAfter: 0
  })
  return result
}

interface Placed {
  readonly block: Block
  /** Distance of the block's top from the page's top. */
  readonly top: number
}

/** Puts blocks on pages: a block that does not fit on what is left of a page starts the next one. */
const paginate = (all: ReadonlyArray<Block>, continuedTop: number): ReadonlyArray<ReadonlyArray<Placed>> => {
  const pages: Array<Array<Placed>> = [[]]
  let y = TOP
  for (const block of all) {
    const height = blockHeight(block)
    let current = pages[pages.length - 1]!
    if (current.length > 0 && y + block.spaceBefore + height > BOTTOM) {
      current = []
      pages.push(current)
      y = continuedTop
    } else if (current.length > 0) {
      y += block.spaceBefore
    }
    if (block.boxed) {
      // The box closes the last page, at its foot.
      current.push({ block, top: Math.max(y, BOTTOM - height) })
      y += height
      continue
    }
    if (y + height <= BOTTOM) {
      current.push({ block, top: y })
      y += height
      continue
    }
    // Taller than a whole page: its lines go on, page after page.
    let lines: Array<Line> = []
    let top = y
    for (const line of block.lines) {
      if (lines.length > 0 && y + lineHeight(line) > BOTTOM) {
        current.push({ block: { ...block, lines, ruleAfter: 0 }, top })
        current = []
        pages.push(current)
        lines = []
        y = continuedTop
        top = y
      }
      lines.push(line)
      y += lineHeight(line)
    }
    current.push({ block: { ...block, lines, ruleAfter: 0 }, top })
  }
  return pages
}

const drawBlock = (page: PDFPage, placed: Placed) => {
  const { block, top } = placed
  let y = top + (block.boxed ? BOX_PADDING : 0)
  const x = LEFT + (block.boxed ? BOX_PADDING : 0)
  if (block.boxed) {
    page.drawRectangle({
      x: LEFT,
      y: PAGE_HEIGHT - top - blockHeight(block),
      width: TEXT_WIDTH,
      height: blockHeight(block),
      borderColor: black,
      borderWidth: 2.5
    })
  }
  block.lines.forEach((line, i) => {
    y += line.before
    page.drawText(line.text, { x, y: PAGE_HEIGHT - y - line.size * 0.95, font: line.font, size: line.size,
      color: black })
    y += line.size * LEADING
    if (i + 1 === block.ruleAfter) {
      page.drawLine({
        start: { x: LEFT, y: PAGE_HEIGHT - y - mm(1) },
        end: { x: LEFT + TEXT_WIDTH, y: PAGE_HEIGHT - y - mm(1) },
        thickness: 1.5,
        color: black
      })
      y += mm(2)
    }
  })
}

/**
 * Draws the printed Gazette of a week: A4 portrait, black on white, large type, as many pages as it
 * takes, each with its footer "page 1 / 2"; further pages start with the Gazette's name.
 */
export const renderGazette = async (week: GazetteWeek, limits?: SheetLimits): Promise<Uint8Array> => {
  const sheet = gazetteSheet(week, limits)
  const pdf = await PDFDocument.create()
  const generatedAt = DateTime.toDate(week.generatedAt)
  pdf.setTitle(sheet.title)
  pdf.setAuthor("Vigie")
  pdf.setLanguage("fr-FR")
  pdf.setCreationDate(generatedAt)
  pdf.setModificationDate(generatedAt)
  const fonts: Fonts = {
    regular: await pdf.embedFont(StandardFonts.Helvetica),
    bold: await pdf.embedFont(StandardFonts.HelveticaBold),
    italic: await pdf.embedFont(StandardFonts.HelveticaOblique)
  }
  const safe = winAnsiSafe(fonts.regular)
  const continued = safe(`${sheet.name} (suite)`)
  const continuedTop = TOP + SIZE.itemTitle * LEADING + mm(4)
  const pages = paginate(blocks(sheet, fonts, safe), continuedTop)
  const footer = safe(sheet.footer)
  pages.forEach((placed, index) => {
    const page = pdf.addPage(PageSizes.A4)
    if (index > 0) {
      page.drawText(continued, {
        x: LEFT,
        y: PAGE_HEIGHT - TOP - SIZE.itemTitle,
        font: fonts.bold,
        size: SIZE.itemTitle,
        color: black
      })
    }
    for (const p of placed) drawBlock(page, p)
    const number = `page ${index + 1} / ${pages.length}`
    const footerY = mm(10)
    page.drawLine({
      start: { x: LEFT, y: footerY + SIZE.footer + mm(1.5) },
      end: { x: LEFT + TEXT_WIDTH, y: footerY + SIZE.footer + mm(1.5) },
      thickness: 0.75,
      color: black
    })
    const numberWidth = fonts.bold.widthOfTextAtSize(number, SIZE.footer)
    const footerText = wrap(footer, fonts.regular, SIZE.footer, TEXT_WIDTH - numberWidth - mm(6))[0] ?? ""
    page.drawText(footerText, { x: LEFT, y: footerY, font: fonts.regular, size: SIZE.footer, color: black })
    page.drawText(number, {
      x: LEFT + TEXT_WIDTH - numberWidth,
      y: footerY,
      font: fonts.bold,
      size: SIZE.footer,
      color: black
    })
  })
  return pdf.save({ useObjectStreams: false })
}

/** The printer with chosen limits (tests, tools). */
export const make = (limits?: SheetLimits) =>
  GazettePrinter.of({
    render: (week) =>
      Effect.promise(() => renderGazette(week, limits)).pipe(
        Effect.withSpan("PdfGazettePrinter.render")
      )
  })

/** The printed Gazette as A4 PDF (pdf-lib, standard fonts: French accents and the € sign included). */
export const layer: Layer.Layer<GazettePrinter> = Layer.succeed(GazettePrinter, make())
