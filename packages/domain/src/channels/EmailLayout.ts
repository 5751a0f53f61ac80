/**
 * The one layout of Vigie's e-mails, in HTML and in plain text: a heading, blocks (paragraphs, facts,
 * a button link, the emergency reminder), and a footer with the link to the notification preferences
 * where the e-mail is one a member may turn off. Everything a member or a town hall wrote is escaped.
 */

/** An e-mail's subject, plain text and HTML, ready for the EmailSender. */
export interface EmailText {
  readonly subject: string
  readonly text: string
  readonly html: string
}

/** Escapes the five characters that matter in HTML text and attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "\"" ? "&quot;" : "&#39;"
  )

/**
 * One part of an e-mail's body in both forms: its lines of plain text (one paragraph of the text
 * version; none leaves it out there) and its HTML elements.
 */
export interface EmailBlock {
  readonly text: ReadonlyArray<string>
  readonly html: ReadonlyArray<string>
}

/** Paragraphs: one `<p>` each in HTML, one line each in the text (a member's text, line by line). */
export const paragraphs = (lines: ReadonlyArray<string>): EmailBlock => ({
  text: lines,
  html: lines.map((line) => `<p>${escapeHtml(line)}</p>`)
})

/** Labelled facts ("Catégorie : Météo"): a list in HTML, one line each in the text. */
export const facts = (pairs: ReadonlyArray<readonly [string, string]>): EmailBlock => ({
  text: pairs.map(([k, v]) => `${k} : ${v}`),
  html: ["<ul>", ...pairs.map(([k, v]) => `<li><strong>${escapeHtml(k)} :</strong> ${escapeHtml(v)}</li>`), "</ul>"]
})

/** Escapes what matters in HTML text between tags (not in attribute values): "&", "<" and ">". */
const escapeTextNode = (text: string): string =>
  text.replace(/[&<>]/g, (c) => c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;")

/** A large link; the text says `textLine`, by default "label : href". */
export const button = (href: string, label: string, textLine = `${label} : ${href}`): EmailBlock => ({
  text: [textLine],
  html: [`<p><a href="${escapeHtml(href)}" style="font-size:18px">${escapeTextNode(label)}</a></p>`]
})

/** A highlighted sentence (the 17 / 18 / 15 reminder). */
export const highlighted = (sentence: string): EmailBlock => ({
  text: [sentence],
  html: [`<p style="background:#fff4e5;padding:12px"><strong>${escapeHtml(sentence)}</strong></p>`]
})

/** Blocks that make one paragraph of the text version (their HTML elements one after the other). */
export const together = (...blocks: ReadonlyArray<EmailBlock>): EmailBlock => ({
  text: blocks.flatMap((b) => b.text),
  html: blocks.flatMap((b) => b.html)
})

/** What one e-mail says, for `layout`. */
export interface EmailPage {
  readonly subject: string
  readonly heading: string
  /** The heading's colour (red for an urgent alert); the body's colour when absent. */
  readonly headingColor?: string
  /** Whether the text version opens with the heading in capitals, as alerts and bulletins do. */
  readonly headingInText?: boolean
  readonly blocks: ReadonlyArray<EmailBlock>
  /** The small print: why the member receives it, and the link to the notification preferences. */
  readonly footer?: { readonly note?: string; readonly preferences: string }
}

const PREFERENCES = "Gérer vos notifications"

/** The e-mail: plain text (paragraphs between blank lines) and HTML, from one page. */
export const layout = (page: EmailPage): EmailText => {
  const e = escapeHtml
  const footer = page.footer
  const note = footer?.note === undefined ? "" : `${footer.note} `
  const text = [
    ...(page.headingInText === true ? [page.heading.toUpperCase()] : []),
    ...page.blocks.filter((b) => b.text.length > 0).map((b) => b.text.join("\n")),
    ...(footer === undefined ? [] : [`${note}${PREFERENCES} : ${footer.preferences}`])
  ].join("\n\n")
  const style = page.headingColor === undefined ? "font-size:22px" : `font-size:22px;color:${page.headingColor}`
  const small = footer === undefined
    ? []
    : [`<p style="font-size:14px;color:#555">${e(note)}<a href="${e(footer.preferences)}">${PREFERENCES}</a></p>`]
  const html = [
    "<!DOCTYPE html>",
    `<html lang="fr"><head><meta charset="utf-8"><title>${e(page.subject)}</title></head>`,
    "<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a\">",
    `<h1 style="${style}">${e(page.heading)}</h1>`,
    ...page.blocks.flatMap((b) => b.html),
    ...small,
    "</body></html>"
  ].join("\n")
  return { subject: page.subject, text, html }
}
