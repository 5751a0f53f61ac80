// @vitest-environment node
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Page } from "playwright-core"
import sharp from "sharp"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CHROMIUM, capture, hasChromium, journeySetup, type Browser, type Vigie } from "./Harness.js"

const PASSWORD = "voisins-vigilants-2026"
if (!hasChromium) {
  console.warn(
    `\n[vigie] Directory journey SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set VIGIE_CHROMIUM).\n`
  )
}

const logIn = async (page: Page, base: string, email: string) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail", { exact: true }).fill(email)
  await page.getByLabel("Mot de passe", { exact: true }).fill(PASSWORD)
  await page.getByRole("button", { name: "Se connecter" }).click()
  await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
}

const tab = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name, exact: true })

/** Opens the annuaire from the tab bar and waits for its list. */
const openAnnuaire = async (page: Page) => {
  await tab(page, "Annuaire").click()
  await page.getByRole("heading", { name: "L'annuaire · Le Bourg", level: 1 }).waitFor()
  await page.getByRole("list", { name: "Membres du quartier" }).waitFor()
}

const search = async (page: Page, words: string) => {
  await page.getByLabel("Nom, rue ou centre d'intérêt", { exact: true }).fill(words)
  await page.getByRole("button", { name: "Rechercher" }).click()
  await page.getByRole("heading", { name: new RegExp(`^Résultats pour « ${words} »`) }).waitFor()
}

describe.skipIf(!hasChromium)("Directory journey in Chromium", () => {
  let vigie: Vigie
  let chloeBrowser: Browser
  let arthurBrowser: Browser
  let photoDir: string
  const setup = journeySetup("directory", 2)
  beforeAll(async () => {
    vigie = setup.vigie
    ;[chloeBrowser, arthurBrowser] = setup.browsers as [Browser, Browser]
    photoDir = await mkdtemp(join(tmpdir(), "vigie-directory-photo-"))
  })
  afterAll(async () => {
    if (photoDir !== undefined) await rm(photoDir, { recursive: true, force: true })
  })

  it(
    "Chloé fills her profile and shows her street, finds Hugo by interest and sees « Écrire un message », chooses " +
      "him and Camille for « Écrire au groupe »; she blocks Arthur, who no longer finds her",
    async () => {
      const photoFile = join(photoDir, "chloe.jpg")
      await writeFile(
        photoFile,
        await sharp({ create: { width: 800, height: 800, channels: 3, background: "#7a3ac2" } }).jpeg().withExif({
          IFD0: { Make: "Telephone", Model: "Modele 12" }
        }).toBuffer()
      )

      // Arthur, before anything: he finds Chloé (listed by default, her name only).
      const arthur = await arthurBrowser.context.newPage()
      await logIn(arthur, vigie.url, "arthur.lefevre@example.org")
      await openAnnuaire(arthur)
      const arthurList = arthur.getByRole("list", { name: "Membres du quartier" })
      await arthurList.getByRole("link", { name: "Chloé M.", exact: true }).waitFor()

      // Chloé's profile, from the account area.
      const chloe = await chloeBrowser.context.newPage()
      await logIn(chloe, vigie.url, "chloe.moreau@example.org")
      await tab(chloe, "Profil").click()
      await chloe.getByRole("link", { name: "Mon profil dans l'annuaire" }).click()
      await chloe.getByRole("heading", { name: "Mon profil", level: 1 }).waitFor()
      // Hidden until she opts in (CNIL).
      expect(await chloe.getByLabel("Qui voit ma rue ?", { exact: true }).inputValue()).toBe("me")
      expect(await chloe.getByLabel("Qui voit mon téléphone ?", { exact: true }).inputValue()).toBe("me")
      await chloe.getByLabel("Choisir une photo", { exact: true }).setInputFiles(photoFile)
      await chloe.getByRole("list", { name: "Photos jointes" }).getByRole("button", { name: "Retirer chloe.jpg" })
        .waitFor({ timeout: 15_000 })
      await chloe.getByLabel("Ma présentation", { exact: true }).fill(
        "Infirmière, dans le quartier depuis dix ans. J'aime le jardin."
      )
      await chloe.getByRole("group", { name: "Mes centres d'intérêt" }).getByLabel("Jardinage", { exact: true }).check()
      await chloe.getByRole("group", { name: "Les coups de main que je propose" }).getByLabel(
        "Arrosage pendant les vacances"
      )
        .check()
      await chloe.getByRole("group", { name: "Les langues que je parle" }).getByLabel("Anglais", { exact: true })
        .check()
      await chloe.getByLabel("Qui voit ma rue ?", { exact: true }).selectOption("members")
      await chloe.getByRole("button", { name: "Enregistrer mon profil" }).click()
      await chloe.getByRole("status").filter({ hasText: "Profil enregistré" }).waitFor()
      await chloe.evaluate(() => window.scrollTo(0, 0))
      await capture(chloe, "80-mon-profil")

      // The annuaire of Le Bourg: Hugo found by his interest, a référent marked, « Écrire un message ».
      await openAnnuaire(chloe)
      const all = chloe.getByRole("list", { name: "Membres du quartier" })
      await all.getByText("Référent").first().waitFor()
      await chloe.getByRole("list", { name: "Nouveaux membres de la semaine" }).waitFor()
      const chloePath = await all.getByRole("link", { name: "Chloé M.", exact: true }).getAttribute("href")
      expect(chloePath).toMatch(/^\/annuaire\/membres\/[0-9a-f-]{36}$/)
      await capture(chloe, "81-annuaire")
      await search(chloe, "vélo")
      const found = chloe.getByRole("list", { name: "Membres du quartier" })
      await found.getByRole("link", { name: "Hugo P.", exact: true }).waitFor()
      expect(await found.getByRole("listitem").count()).toBe(1)
      const write = found.getByRole("link", { name: "Écrire un message à Hugo P." })
      expect(await write.getAttribute("href")).toMatch(/^\/messages\/nouveau\?a=[0-9a-f-]{36}$/)
      await capture(chloe, "82-annuaire-recherche")
      await found.getByRole("link", { name: "Hugo P.", exact: true }).click()
      await chloe.getByRole("heading", { name: "Hugo P.", level: 1 }).waitFor()
      await chloe.getByText("Cycliste du dimanche").waitFor()
      expect(await chloe.getByRole("link", { name: "Écrire un message" }).getAttribute("href"))
        .toMatch(/^\/messages\/nouveau\?a=[0-9a-f-]{36}$/)
      await capture(chloe, "83-annuaire-membre")

      // Several neighbours at once: chosen by their checkboxes (kept across a search), then « Écrire au groupe ».
      await openAnnuaire(chloe)
      await all.getByRole("checkbox", { name: "Choisir Camille Dubois pour un message de groupe" }).check()
      await search(chloe, "vélo")
      await found.getByRole("checkbox", { name: "Choisir Hugo P. pour un message de groupe" }).press("Space")
      const group = chloe.getByRole("region", { name: "Message de groupe" })
      await group.getByText("2 membres choisis : Camille Dubois, Hugo P.").waitFor()
      await capture(chloe, "87-annuaire-groupe")
      await group.getByRole("button", { name: "Écrire au groupe" }).click()
      const heading = chloe.getByRole("heading", { name: /^Écrire à /, level: 1 })
      await heading.waitFor()
      // (The messagerie names everyone « Prénom I. » for now, whatever name style the annuaire shows.)
      expect((await heading.innerText()).split(/, | à /).slice(1).sort()).toEqual([
        expect.stringMatching(/^Camille D/),
        "Hugo P."
      ])
      expect(chloe.url()).toMatch(/\/messages\/nouveau\?a=[0-9a-f-]{36},[0-9a-f-]{36}$/)

      // Chloé blocks Arthur: told what it does first; he is not told.
      await openAnnuaire(chloe)
      await search(chloe, "Arthur")
      await chloe.getByRole("button", { name: "Bloquer Arthur L." }).click()
      const confirm = chloe.getByRole("group", { name: "Bloquer Arthur L." })
      await confirm.getByText("n'en sera pas informée").waitFor()
      await capture(chloe, "84-annuaire-bloquer")
      await confirm.getByRole("button", { name: "Oui, bloquer Arthur L." }).click()
      await chloe.getByRole("button", { name: "Débloquer Arthur L." }).waitFor()
      await tab(chloe, "Profil").click()
      await chloe.getByRole("link", { name: "Membres bloqués" }).click()
      await chloe.getByRole("list", { name: "Membres bloqués" }).getByRole("button", { name: "Débloquer Arthur L." })
        .waitFor()
      await capture(chloe, "85-membres-bloques")

      // Arthur no longer finds her: not in the list, not by her name, her page « introuvable ».
      await arthur.reload()
      await arthur.getByRole("list", { name: "Membres du quartier" }).waitFor()
      await arthurList.getByRole("link", { name: "Hugo P.", exact: true }).waitFor()
      expect(await arthur.getByRole("link", { name: "Chloé M.", exact: true }).count()).toBe(0)
      await search(arthur, "Chloé")
      await arthur.getByText("Aucun membre ne correspond à votre recherche.").waitFor()
      await capture(arthur, "86-annuaire-bloque")
      await arthur.goto(`${vigie.url}${chloePath}`)
      await arthur.getByRole("heading", { name: "Membre introuvable" }).waitFor()
      await chloe.close()
      await arthur.close()
    },
    240_000
  )
})
