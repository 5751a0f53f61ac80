import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it, layer } from "@effect/vitest"
import * as PdfPostalMailer from "@vigie/adapters/postal/PdfPostalMailer"
import { Postcode } from "@vigie/domain/communities/Commune"
import { HomeAddress } from "@vigie/domain/membership/Membership"
import { ActivationCode, formatActivationCode } from "@vigie/domain/verification/ActivationCode"
import { PostalMailer } from "@vigie/domain/verification/PostalMailer"
import type { AccountClaimLetter, ActivationLetter } from "@vigie/domain/verification/PostalMailer"
import { ConfigProvider, DateTime, Effect, Layer, Option } from "effect"
import { decodePDFRawStream, PageSizes, PDFDocument, PDFRawStream, StandardFonts } from "pdf-lib"
import { databases } from "../support/TestDatabase"

// Node's TextDecoder("windows-1252") decodes 0x80–0x9F as C1 controls, like latin1: map them here.
const cp1252High = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ"
const decoder = {
  decode: (bytes: Buffer) =>
    Array.from(bytes, (b) => (b >= 0x80 && b <= 0x9f ? cp1252High[b - 0x80]! : String.fromCharCode(b))).join("")
}

/** The text a PDF's content streams draw: every `<hex> Tj` string, decoded from WinAnsi. */
const pdfText = async (bytes: Uint8Array): Promise<string> => {
  const pdf = await PDFDocument.load(bytes)
  const shown: Array<string> = []
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue
    const content = Buffer.from(decodePDFRawStream(object).decode()).toString("latin1")
    for (const match of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) {
      shown.push(decoder.decode(Buffer.from(match[1]!, "hex")))
    }
  }
  return shown.join("\n")
}

const letter = (overrides: Partial<ActivationLetter> = {}): ActivationLetter => ({
  recipientName: "Gaëlle Lefèvre-Noël",
  address: HomeAddress.make({
    line1: "12 rue de l’Église",
    line2: Option.some("Bâtiment C, 3e étage"),
    postcode: Postcode.make("69003"),
    city: "Lyon",
    location: Option.none()
  }),
  communityName: "Quartier Saint-Étienne",
  communeName: "Lyon",
  code: ActivationCode.make("7K3M9QX2TA"),
  expiresAt: DateTime.unsafeMake("2026-12-22T10:00:00Z"),
  ...overrides
})

const publicUrl = "https://vigie.example"

const claimLetter = (): AccountClaimLetter => {
  const { kind: _kind, ...rest } = letter({ code: ActivationCode.make("CK41MC0DE9") })
  return { ...rest, kind: "account_claim" }
}

describe("PdfPostalMailer rendering", () => {
  it.effect("draws one A4 page with the grouped code, the expiry in French and the emergency numbers", () =>
    Effect.gen(function*() {
      const bytes = yield* Effect.promise(() =>
        PdfPostalMailer.renderLetter(letter(), publicUrl, new Date("2026-11-22T09:00:00Z"))
      )
      const pdf = yield* Effect.promise(() => PDFDocument.load(bytes))
      assert.strictEqual(pdf.getPageCount(), 1)
      const { width, height } = pdf.getPage(0).getSize()
      assert.closeTo(width, PageSizes.A4[0], 0.01)
      assert.closeTo(height, PageSizes.A4[1], 0.01)
      const text = yield* Effect.promise(() => pdfText(bytes))
      assert.include(text, "7K3M-9QX2-TA")
      assert.include(text, "Gaëlle Lefèvre-Noël")
      assert.include(text, "12 rue de l’Église")
      assert.include(text, "69003 LYON")
      assert.include(text, "22 décembre 2026")
      assert.include(text, "« Activer mon adresse »")
      assert.include(text, publicUrl)
      assert.include(text, "17 (police)")
      assert.include(text, "Le 22 novembre 2026")
    }))

  it.effect("a claim letter has its own words: the code to create one's access, what to do with it, until when", () =>
    Effect.gen(function*() {
      const bytes = yield* Effect.promise(() =>
        PdfPostalMailer.renderLetter(claimLetter(), publicUrl, new Date("2026-11-22T09:00:00Z"))
      )
      const pdf = yield* Effect.promise(() => PDFDocument.load(bytes))
      assert.strictEqual(pdf.getPageCount(), 1)
      assert.strictEqual(pdf.getTitle(), "Votre code pour créer votre accès à Vigie")
      const text = yield* Effect.promise(() => pdfText(bytes))
      assert.include(text, "Objet : votre code pour créer votre accès à Vigie")
      assert.include(text, "CK41-MC0D-E9")
      assert.include(text, "inscrit(e) sur")
      assert.include(text, `${publicUrl}/inscrit-sur-papier`)
      assert.include(text, "« J’ai déjà")
      assert.include(text, "22 décembre 2026")
      assert.include(text, "69003 LYON")
      assert.include(text, "17 (police)")
      assert.notInclude(text, "Activer mon adresse")
      // The activation letter keeps its own words.
      const activation = yield* Effect.promise(() =>
        PdfPostalMailer.renderLetter(letter(), publicUrl, new Date("2026-11-22T09:00:00Z"))
      )
      const activationText = yield* Effect.promise(() => pdfText(activation))
      assert.include(activationText, "Objet : votre code d’activation Vigie")
      assert.notInclude(activationText, "inscrit-sur-papier")
    }))

  it.effect("does not throw on names the standard fonts cannot draw", () =>
    Effect.gen(function*() {
      const bytes = yield* Effect.promise(() =>
        PdfPostalMailer.renderLetter(
          letter({ recipientName: "Nguyễn Thị Łucja Ðặng 🙂", communityName: "Les Œillets\u202F« Nord »" }),
          publicUrl,
          new Date("2026-11-22T09:00:00Z")
        )
      )
      const text = yield* Effect.promise(() => pdfText(bytes))
      assert.include(text, "Nguyen Thi Lucja")
      assert.include(text, "Les Œillets « Nord »")
    }))

  it("writes dates the French way", () => {
    assert.strictEqual(PdfPostalMailer.frenchDate(new Date("2026-12-22T10:00:00Z")), "22 décembre 2026")
    assert.strictEqual(PdfPostalMailer.frenchDate(new Date("2027-01-01T10:00:00Z")), "1er janvier 2027")
    // 23:30 UTC on 31 December is already 1 January in Paris.
    assert.strictEqual(PdfPostalMailer.batchFolder(new Date("2026-12-31T23:30:00Z")), "2027-01-01")
  })

  it.effect("prints PUBLIC_URL without its trailing slashes, like every other link (siteUrl)", () =>
    Effect.gen(function*() {
      const options = yield* PdfPostalMailer.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PUBLIC_URL", "https://vigie.example//"]])))
      )
      assert.strictEqual(options.publicUrl, "https://vigie.example")
      const bytes = yield* Effect.promise(() =>
        PdfPostalMailer.renderLetter(letter(), "https://vigie.example/", new Date("2026-11-22T09:00:00Z"))
      )
      const text = yield* Effect.promise(() => pdfText(bytes))
      assert.include(text, "https://vigie.example/contact")
      assert.notInclude(text, "//contact")
    }))

  it.effect("every glyph the letter needs exists in Helvetica's WinAnsi set", () =>
    Effect.gen(function*() {
      const pdf = yield* Effect.promise(() => PDFDocument.create())
      const font = yield* Effect.promise(() => pdf.embedFont(StandardFonts.Helvetica))
      const safe = PdfPostalMailer.winAnsiSafe(font)
      assert.strictEqual(safe("l’Église « œ » 5 € — ç à è"), "l’Église « œ » 5 € — ç à è")
    }))
})

for (const db of databases) {
  const directory = Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "vigie-letters-"))),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )
  const database = db.layer

  layer(database, { excludeTestServices: true })(`PdfPostalMailer [${db.name}]`, (it) => {
    it.scoped("writes the letter into today's batch folder and records it without the code", () =>
      Effect.gen(function*() {
        const dir = yield* directory
        const mailer = yield* PdfPostalMailer.make({ directory: dir, publicUrl })
        const { letterId } = yield* mailer.send(letter())
        const today = PdfPostalMailer.batchFolder(new Date())
        const files = yield* Effect.promise(() => readdir(join(dir, today)))
        assert.strictEqual(files.length, 1)
        assert.match(files[0]!, /^letter-\d{6,}\.pdf$/)
        const bytes = yield* Effect.promise(() => readFile(join(dir, today, files[0]!)))
        assert.include(yield* Effect.promise(() => pdfText(bytes)), formatActivationCode(letter().code))

        const [entry] = yield* PdfPostalMailer.listPostalOutbox(1)
        assert.strictEqual(entry?.letterId, letterId)
        assert.strictEqual(entry?.recipientName, "Gaëlle Lefèvre-Noël")
        assert.deepStrictEqual(entry?.address, {
          line1: "12 rue de l’Église",
          line2: "Bâtiment C, 3e étage",
          postcode: "69003",
          city: "Lyon"
        })
        assert.strictEqual(entry?.code, null)
        assert.strictEqual(entry?.filePath, join(dir, today, files[0]!))
      }))

    it.scoped("keeps the code for the dev inbox only when asked to", () =>
      Effect.gen(function*() {
        const dir = yield* directory
        const mailer = yield* Layer.build(
          PdfPostalMailer.layerWith({ directory: dir, publicUrl, keepCodeForDevInbox: true })
        ).pipe(
          Effect.map((context) => context.unsafeMap.get(PostalMailer.key) as PostalMailer["Type"])
        )
        yield* mailer.send(letter({ code: ActivationCode.make("ABCDEFGH12") }))
        const [entry] = yield* PdfPostalMailer.listPostalOutbox(1)
        assert.strictEqual(entry?.code, "ABCDEFGH12")
        assert.strictEqual(entry?.kind, "activation")
        yield* mailer.send(claimLetter())
        const [claim] = yield* PdfPostalMailer.listPostalOutbox(1)
        assert.strictEqual(claim?.kind, "account_claim")
        assert.strictEqual(claim?.code, "CK41MC0DE9")
      }))
  })
}
