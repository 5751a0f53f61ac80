// @vitest-environment node
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { type Browser, capture, demoStaffSecondStep, hasChromium, journeySetup, type Vigie } from "./Harness.js"

const PASSWORD = "voisins-vigilants-2026"
const AGENT = "sophie.lacoste.staff@example.org"

const logIn = async (page: Page, base: string, email: string) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail").fill(email)
  await page.getByLabel("Mot de passe").fill(PASSWORD)
  await page.getByRole("button", { name: "Se connecter" }).click()
  await demoStaffSecondStep(page, email)
  await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
}

const pointsField = (page: Page) => page.getByLabel("Points du périmètre, un par ligne : longitude, latitude")
const quartierList = (page: Page) => page.getByRole("list", { name: "Quartiers de la commune" })

describe.skipIf(!hasChromium)("the mairie's quartiers in Chromium", () => {
  let vigie: Vigie
  let browser: Browser
  const setup = journeySetup("quartiers")
  beforeAll(() => {
    vigie = setup.vigie
    ;[browser] = setup.browsers as [Browser]
  })

  it(
    "the mairie agent opens a quartier by drawing it, is refused an overlapping one, redraws one after seeing who " +
      "falls outside, appoints a référent and archives the new quartier",
    async () => {
      const page = await browser.context.newPage()
      await logIn(page, vigie.url, AGENT)
      await page.getByRole("link", { name: "Mairie" }).click()
      await page.getByRole("link", { name: "Gérer les quartiers et leurs référents" }).click()
      await page.getByRole("heading", { name: "Quartiers de Cadaujac", exact: true }).waitFor()
      await page.getByRole("img", { name: "Plan des quartiers : Bord de Garonne, Le Bourg, Les Graves" }).waitFor()
      expect(await page.locator("path.quartier").count()).toBe(3)
      expect(await quartierList(page).getByRole("listitem").count()).toBe(3)
      await capture(page, "40-mairie-quartiers")

      // Open "Les Vignes" south of Les Graves: one point under the crosshair, then the others as text.
      await page.getByRole("button", { name: "Ouvrir un quartier" }).click()
      await page.getByLabel("Nom du quartier").fill("Les Vignes")
      await page.getByRole("button", { name: "Ajouter le point au centre de la carte" }).click()
      await page.getByText("1 point — encore 2 points au minimum").waitFor()
      await pointsField(page).fill("-0.566, 44.730\n-0.545, 44.730\n-0.545, 44.739\n-0.566, 44.739")
      await page.getByText("4 points — le périmètre est fermé automatiquement").waitFor()
      expect(await page.locator("path.draft-point").count()).toBe(4)
      await capture(page, "41-mairie-quartier-dessin")
      await page.getByRole("button", { name: "Ouvrir le quartier" }).click()
      await page.getByText("Le quartier « Les Vignes » est ouvert.").waitFor()
      await quartierList(page).getByRole("button", { name: "Les Vignes", exact: true }).waitFor()
      expect(await quartierList(page).getByRole("listitem").count()).toBe(4)

      // A perimeter over Le Bourg is refused, the other quartier named, nothing opened.
      await page.getByRole("button", { name: "Ouvrir un quartier" }).click()
      await page.getByLabel("Nom du quartier").fill("Le Centre")
      await pointsField(page).fill("-0.540, 44.750\n-0.530, 44.750\n-0.530, 44.755")
      await page.getByRole("button", { name: "Ouvrir le quartier" }).click()
      await page.getByText(/Ce périmètre chevauche le quartier « Le Bourg »/).waitFor()
      await page.getByRole("button", { name: "Annuler" }).click()
      expect(await quartierList(page).getByRole("listitem").count()).toBe(4)

      // Redraw Le Bourg to a corner: its members outside are listed before anything changes.
      await page.getByRole("button", { name: "Redessiner Le Bourg" }).click()
      expect(await pointsField(page).inputValue()).toMatch(/^-0\.545, 44\.748\n/)
      await pointsField(page).fill("-0.5445, 44.7482\n-0.5400, 44.7482\n-0.5400, 44.7500\n-0.5445, 44.7500")
      await page.getByRole("button", { name: "Vérifier" }).click()
      const outside = page.getByRole("list", { name: "Membres hors du nouveau périmètre" })
      await outside.waitFor()
      const names = await outside.getByRole("listitem").allInnerTexts()
      expect(names.length).toBeGreaterThan(0)
      for (const line of names) expect(line).toMatch(/^.+ — .+$/)
      await capture(page, "42-mairie-quartier-redessin")
      // Not confirmed: the perimeter stays; back to the list.
      await page.getByRole("button", { name: "Annuler" }).click()

      // Référents of Les Graves: a verified member is appointed.
      await page.getByRole("button", { name: "Référents de Les Graves" }).click()
      const members = page.getByRole("list", { name: "Membres du quartier" })
      await members.waitFor()
      const appoint = members.getByRole("button", { name: /^Nommer .+ référent$/ }).first()
      const label = (await appoint.getAttribute("aria-label"))!
      const who = /^Nommer (.+) référent$/.exec(label)![1]!
      await appoint.click()
      await page.getByText(`${who} est référent du quartier.`).waitFor()
      await members.getByRole("button", { name: `Retirer ${who} des référents` }).waitFor()
      await page.getByRole("button", { name: "Retour à la liste des quartiers" }).click()
      await quartierList(page).getByText(new RegExp(`Référents : .*${who}`)).waitFor()

      // Archive Les Vignes, after the confirmation.
      await page.getByRole("button", { name: "Archiver Les Vignes" }).click()
      const dialog = page.getByRole("alertdialog", { name: "Archiver « Les Vignes » ?" })
      await dialog.getByText(
        "Il n'a aucun membre vérifié ; ceux en attente de vérification seront prévenus par e-mail."
      ).waitFor()
      await dialog.getByRole("button", { name: "Archiver le quartier" }).click()
      await page.getByText("Le quartier « Les Vignes » est archivé.").waitFor()
      await page.waitForFunction(() =>
        document.querySelectorAll("ul[aria-label='Quartiers de la commune'] > li").length === 3
      )
      await page.close()
    },
    180_000
  )
})
