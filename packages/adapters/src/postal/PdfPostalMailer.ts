import { mkdir, rename, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { siteUrl } from "@vigie/domain/channels/Links"
import { formatActivationCode } from "@vigie/domain/verification/ActivationCode"
import { PostalMailer, PostalUnavailable } from "@vigie/domain/verification/PostalMailer"
import type { AccountClaimLetter, ActivationLetter, PostalLetter } from "@vigie/domain/verification/PostalMailer"
import { Clock, Config, DateTime, Effect, Layer, Option, Schema } from "effect"
import type { ConfigError } from "effect"
import { PageSizes, PDFDocument, rgb, StandardFonts } from "pdf-lib"
import type { PDFFont, PDFPage } from "pdf-lib"

export interface PdfPostalOptions {
  /** Root of the print batches; each day's letters go to `<directory>/<yyyy-mm-dd>/`. */
  readonly directory: string
  /** The site members type their code into, e.g. `https://vigie.example`. */
  readonly publicUrl: string
  /** Keep the code in postal_outbox for the dev inbox. Development only: never in production. */
  readonly keepCodeForDevInbox?: boolean
}

/**
 * `PUBLIC_URL`; `POSTAL_LETTERS_DIR` (default `<VIGIE_DATA_DIR>/letters`, VIGIE_DATA_DIR defaulting
 * to `.data`); `POSTAL_KEEP_CODES` (default false, development only).
 */
export const config: Config.Config<PdfPostalOptions> = Config.all({
  dataDir: Config.string("VIGIE_DATA_DIR").pipe(Config.withDefault(".data")),
  directory: Config.option(Config.string("POSTAL_LETTERS_DIR")),
  publicUrl: Config.url("PUBLIC_URL").pipe(Config.map((url) => siteUrl(url))),
  keepCodeForDevInbox: Config.boolean("POSTAL_KEEP_CODES").pipe(Config.withDefault(false))
}).pipe(
  Config.map(({ dataDir, directory, ...rest }): PdfPostalOptions => ({
    ...rest,
    directory: Option.getOrElse(directory, () => join(dataDir, "letters"))
  }))
)

const parisDay = (date: Date, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", ...options }).format(date)

/** "22 décembre 2026", "1er janvier 2027": the way a French letter writes a date. */
export const frenchDate = (date: Date): string => {
  const text = parisDay(date, { day: "numeric", month: "long", year: "numeric" })
  return text.replace(/^1 /, "1er ")
}

/** The print batch a letter made at `date` belongs to: yyyy-mm-dd in Paris. */
export const batchFolder = (date: Date): string => {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Paris",
    year: "numeric",
    month: "2-digit",
    day: "2-digit"
  }).formatToParts(date)
  const part = (type: string) => parts.find((p) => p.type === type)!.value
  return `${part("year")}-${part("month")}-${part("day")}`
}

/** Latin letters with a stroke, which Unicode does not decompose into a base letter and a mark. */
const undecomposable: Record<string, string> = { Ł: "L", ł: "l", Đ: "D", đ: "d", Ħ: "H", ħ: "h", ı: "i", Ŧ: "T",
  ŧ: "t" }

/**
 * Makes a string drawable with a standard PDF font (WinAnsi): characters the font lacks lose their
 * accent when that helps (ễ → e, Ł → L), spaces become plain spaces, anything else becomes "?". pdf-lib
 * would throw on them otherwise, e.g. on a Vietnamese or Polish name, or Intl's narrow no-break space.
 */
export const winAnsiSafe = (font: PDFFont) => {
  const supported = new Set(font.getCharacterSet())
  return (text: string): string =>
    Array.from(text.normalize("NFC"), (char) => {
      if (supported.has(char.codePointAt(0)!)) return char
      if (/\s/u.test(char)) return " "
      const stripped = (undecomposable[char] ?? char).normalize("NFD").replace(/\p{M}/gu, "")
      return Array.from(stripped).every((c) => supported.has(c.codePointAt(0)!)) && stripped.length > 0 ? stripped : "?"
    }).join("")
}

const mm = (value: number) => (value * 72) / 25.4

const wrap = (text: string, font: PDFFont, size: number, width: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/ +/)) {
    const candidate = line === "" ? word : `${line} ${word}`
    if (line !== "" && font.widthOfTextAtSize(candidate, size) > width) {
      lines.push(line)
      line = word
    } else {
      line = candidate
    }
  }
  if (line !== "") lines.push(line)
  return lines
}

/** What every letter ends with. */
const closing = {
  emergency: "En cas d’urgence, appelez le 17 (police), le 18 (pompiers) ou le 15 (SAMU), ou le 112. " +
    "Vigie ne remplace jamais les secours : ses membres observent et signalent, ils n’interviennent pas.",
  signature: "L’équipe Vigie",
  footer: "Vigie — réseau de vigilance et de solidarité entre voisins. Ne communiquez ce code à personne."
}

/** The activation letter's words, in French. Kept apart from the layout so they read as a letter. */
const activationWording = (letter: ActivationLetter, publicUrl: string, today: Date) => ({
  title: "Votre code d’activation Vigie",
  date: `Le ${frenchDate(today)}`,
  subject: "Objet : votre code d’activation Vigie",
  greeting: "Madame, Monsieur,",
  intro: `Vigie est le réseau de vigilance et de solidarité entre voisins. Vous avez demandé à rejoindre ` +
    `la communauté « ${letter.communityName} » à ${letter.communeName}. Pour vérifier que vous habitez bien ` +
    `à cette adresse, voici votre code d’activation personnel :`,
  steps: [
    `1. Rendez-vous sur ${publicUrl} et connectez-vous à votre compte.`,
    "2. Ouvrez le menu « Activer mon adresse ».",
    "3. Saisissez le code ci-dessus (les tirets et les majuscules n’ont pas d’importance)."
  ],
  expiry: `Ce code est valable jusqu’au ${frenchDate(DateTime.toDate(letter.expiresAt))}. Passé cette date, ` +
    `vous pourrez demander un nouveau courrier depuis votre compte.`,
  notYou: "Vous n’avez rien demandé ? Ignorez simplement ce courrier : sans ce code, personne ne peut " +
    `rattacher votre adresse à un compte. Vous pouvez aussi nous le signaler sur ${siteUrl(publicUrl, "/contact")}.`,
  ...closing
})

/**
 * The words of the letter that lets a neighbour registered on paper create their web access: the
 * code, what to do with it, until when it works.
 */
const accountClaimWording = (letter: AccountClaimLetter, publicUrl: string, today: Date) => ({
  title: "Votre code pour créer votre accès à Vigie",
  date: `Le ${frenchDate(today)}`,
  subject: "Objet : votre code pour créer votre accès à Vigie",
  greeting: "Madame, Monsieur,",
  intro: `Vigie est le réseau de vigilance et de solidarité entre voisins. Vous avez été inscrit(e) sur ` +
    `papier dans le quartier « ${letter.communityName} » à ${letter.communeName}, et vous avez demandé à ` +
    `recevoir par courrier le code qui vous permet de créer votre accès en ligne. Le voici :`,
  steps: [
    `1. Rendez-vous sur ${siteUrl(publicUrl, "/inscrit-sur-papier")} (lien « J’ai été inscrit(e) sur papier » ` +
    "de la page de connexion).",
    "2. Saisissez le numéro de téléphone donné lors de votre inscription, puis choisissez « J’ai déjà " +
    "reçu mon code ».",
    "3. Saisissez le code ci-dessus (les tirets et les majuscules n’ont pas d’importance), puis l’adresse " +
    "e-mail et le mot de passe de votre choix."
  ],
  expiry: `Ce code est valable jusqu’au ${frenchDate(DateTime.toDate(letter.expiresAt))}. Passé cette date, ` +
    `vous pourrez demander un nouveau courrier sur la même page, ou demander de l’aide à votre référent.`,
  notYou: "Vous n’avez rien demandé ? Ignorez simplement ce courrier : sans ce code, personne ne peut " +
    `créer d’accès à votre nom. Vous pouvez aussi nous le signaler sur ${siteUrl(publicUrl, "/contact")}.`,
  ...closing
})

/** The words of a letter of any kind. */
const wording = (letter: PostalLetter, publicUrl: string, today: Date) =>
  letter.kind === "account_claim"
    ? accountClaimWording(letter, publicUrl, today)
    : activationWording(letter, publicUrl, today)

/** Draws one letter (activation or account claim) on one A4 page and returns the PDF's bytes. */
export const renderLetter = async (letter: PostalLetter, publicUrl: string, today: Date): Promise<Uint8Array> => {
  const pdf = await PDFDocument.create()
  pdf.setTitle(wording(letter, publicUrl, today).title)
  pdf.setAuthor("Vigie")
  pdf.setCreationDate(today)
  pdf.setModificationDate(today)
  const page: PDFPage = pdf.addPage(PageSizes.A4)
  const [, height] = PageSizes.A4
  const regular = await pdf.embedFont(StandardFonts.Helvetica)
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold)
  const mono = await pdf.embedFont(StandardFonts.CourierBold)
  const safe = winAnsiSafe(regular)
  const ink = rgb(0.1, 0.1, 0.12)
  const accent = rgb(0.05, 0.3, 0.55)
  const words = wording(letter, publicUrl, today)
  const left = mm(20)
  const textWidth = mm(170)

  const text = (value: string, x: number, yFromTop: number, font: PDFFont, size: number, color = ink) =>
    page.drawText(safe(value), { x, y: height - yFromTop, font, size, color })

  // Letterhead.
  text("Vigie", left, mm(25), bold, 24, accent)
  text("Voisins vigilants et solidaires", left, mm(31), regular, 10)
  text(publicUrl, left, mm(36), regular, 9)

  // Recipient, inside the window of a DL envelope (right-hand window, 45 to 90 mm from the top).
  const address = letter.address
  const addressLines = [
    letter.recipientName,
    address.line1,
    ...Option.toArray(address.line2),
    `${address.postcode} ${address.city.toUpperCase()}`
  ]
  // The window is about 85 mm wide: a long line is set smaller rather than cut by the envelope.
  addressLines.forEach((line, i) => {
    const size = Math.max(7, Math.min(11, (11 * mm(85)) / regular.widthOfTextAtSize(safe(line), 11)))
    text(line, mm(110), mm(55) + i * mm(5.5), regular, size)
  })

  let y = mm(100)
  text(words.date, left, y, regular, 10)
  y += mm(10)
  text(words.subject, left, y, bold, 11)
  y += mm(10)
  text(words.greeting, left, y, regular, 10.5)
  y += mm(8)
  const paragraph = (value: string, size = 10.5, font = regular) => {
    for (const line of wrap(safe(value), font, size, textWidth)) {
      text(line, left, y, font, size)
      y += size * 1.45
    }
  }
  paragraph(words.intro)

  // The code, large and grouped, in a box.
  y += mm(4)
  const code = formatActivationCode(letter.code)
  const codeSize = 30
  const codeWidth = mono.widthOfTextAtSize(code, codeSize)
  const boxWidth = codeWidth + mm(20)
  const boxX = (PageSizes.A4[0] - boxWidth) / 2
  page.drawRectangle({
    x: boxX,
    y: height - y - mm(18),
    width: boxWidth,
    height: mm(18),
    borderColor: accent,
    borderWidth: 1.5
  })
  text(code, boxX + mm(10), y + mm(12), mono, codeSize)
  y += mm(26)

  for (const step of words.steps) paragraph(step)
  y += mm(3)
  paragraph(words.expiry, 10.5, bold)
  y += mm(3)
  paragraph(words.notYou)
  y += mm(5)
  text(words.signature, left, y, regular, 10.5)
  y += mm(10)

  // The emergency reminder, framed.
  const emergencyLines = wrap(safe(words.emergency), bold, 10, textWidth - mm(8))
  const emergencyHeight = emergencyLines.length * mm(5) + mm(5)
  page.drawRectangle({
    x: left,
    y: height - y - emergencyHeight,
    width: textWidth,
    height: emergencyHeight,
    borderColor: rgb(0.75, 0.1, 0.1),
    borderWidth: 1
  })
  emergencyLines.forEach((line, i) => text(line, left + mm(4), y + mm(6) + i * mm(5), bold, 10, rgb(0.6, 0.05, 0.05)))

  text(words.footer, left, mm(287), regular, 8)
  return pdf.save({ useObjectStreams: false })
}

/**
 * Writes each letter (activation or account claim) as a one-page A4 PDF into the day's print batch folder, ready for a
 * print-and-post service, and records it in postal_outbox. Letter ids are `letter-<n>`.
 */
export const make = (options: PdfPostalOptions) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const send = (letter: PostalLetter) =>
      Effect.gen(function*() {
        const now = new Date(yield* Clock.currentTimeMillis)
        const [reserved] = yield* sql<{ id: string }>`
SELECT nextval(pg_get_serial_sequence('postal_outbox', 'id'))::text AS id`
        const id = reserved!.id
        const folder = join(options.directory, batchFolder(now))
        const filePath = join(folder, `letter-${id.padStart(6, "0")}.pdf`)
        yield* Effect.tryPromise({
          try: async () => {
            const bytes = await renderLetter(letter, options.publicUrl, now)
            await mkdir(folder, { recursive: true })
            // Written aside then renamed, so a print run never picks up half a letter.
            const partial = join(folder, `.letter-${id}.pdf.partial`)
            await writeFile(partial, bytes)
            await rename(partial, filePath)
          },
          catch: (error) => new PostalUnavailable({ reason: `letter: ${String(error)}` })
        })
        const code = options.keepCodeForDevInbox === true ? letter.code : null
        yield* sql`
INSERT INTO postal_outbox (id, kind, recipient_name, address, code, expires_at, file_path)
VALUES (${id}::bigint, ${letter.kind ?? "activation"}, ${letter.recipientName},
  ${JSON.stringify(addressJson(letter))}::jsonb, ${code}, ${DateTime.toDate(letter.expiresAt)}, ${filePath})`.pipe(
          // Unrecorded, the letter must not be printed either: the caller will ask again.
          Effect.tapError(() => Effect.promise(() => rm(filePath, { force: true })))
        )
        return { letterId: `letter-${id}` }
      }).pipe(
        Effect.catchTag("SqlError", (error) => new PostalUnavailable({ reason: `outbox: ${error.message}` })),
        Effect.withSpan("PdfPostalMailer.send")
      )

    return PostalMailer.of({ send })
  })

const addressJson = (letter: PostalLetter) => ({
  line1: letter.address.line1,
  line2: Option.getOrNull(letter.address.line2),
  postcode: letter.address.postcode,
  city: letter.address.city
})

/** The PDF mailer with explicit options (tests, tools). */
export const layerWith = (options: PdfPostalOptions): Layer.Layer<PostalMailer, never, SqlClient.SqlClient> =>
  Layer.effect(PostalMailer, make(options))

/** The PDF mailer configured from the environment. */
export const layer: Layer.Layer<PostalMailer, ConfigError.ConfigError, SqlClient.SqlClient> = Layer.effect(
  PostalMailer,
  Effect.flatMap(config, make)
)

/** One printed letter as the dev inbox shows it; `code` is null unless codes are kept (development). */
export class PostalOutboxEntry extends Schema.Class<PostalOutboxEntry>("PostalOutboxEntry")({
  letterId: Schema.String,
  kind: Schema.Literal("activation", "account_claim"),
  recipientName: Schema.String,
  address: Schema.Struct({
    line1: Schema.String,
    line2: Schema.NullOr(Schema.String),
    postcode: Schema.String,
    city: Schema.String
  }),
  code: Schema.NullOr(Schema.String),
  expiresAt: Schema.DateTimeUtcFromDate,
  filePath: Schema.String,
  createdAt: Schema.DateTimeUtcFromDate
}) {}

/** The latest `limit` letters, newest first, for the dev inbox. */
export const listPostalOutbox = (
  limit: number
): Effect.Effect<ReadonlyArray<PostalOutboxEntry>, SqlError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* SqlSchema.findAll({
      Request: Schema.Int,
      Result: PostalOutboxEntry,
      execute: (limit) =>
        sql`SELECT 'letter-' || id AS "letterId", kind, recipient_name AS "recipientName", address, code,
  expires_at AS "expiresAt", file_path AS "filePath", created_at AS "createdAt"
FROM postal_outbox ORDER BY id DESC LIMIT ${limit}`
    })(limit)
  }).pipe(
    Effect.catchTag("ParseError", Effect.die),
    Effect.withSpan("PdfPostalMailer.list")
  )
