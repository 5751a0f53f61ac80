// @vitest-environment node
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import {
  type Browser,
  capture,
  demoStaffSecondStep,
  devOutbox,
  hasChromium,
  journeySetup,
  type Vigie
} from "./Harness.js"

const PASSWORD = "voisins-vigilants-2026"
const AGENT = "sophie.lacoste.staff@example.org"
/** A demo resident of Le Bourg (packages/app/src/seed/DemoTown.ts), who joins Les Graves too. */
const RESIDENT = "arthur.lefevre@example.org"
/** A neighbour without internet, registered from the paper form; the phone is in the range kept for fiction. */
const PAPER = { first: "Marguerite", last: "Labat", street: "8 Chemin des Vignes", phone: "06 39 98 77 01",
  email: "marguerite.labat@example.org", password: "les rosiers de Marguerite" }

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
  /** Another Chromium, for the neighbours (the first one keeps the agent signed in). */
  let neighbours: Browser
  /** The agent's page, left signed in by the first journey for the second. */
  let agentPage: Page | undefined
  const setup = journeySetup("quartiers", 2)
  beforeAll(() => {
    vigie = setup.vigie
    ;[browser, neighbours] = setup.browsers as [Browser, Browser]
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
      agentPage = page
    },
    180_000
  )

  it(
    "the agent registers a neighbour without internet from the signed paper form; the neighbour later creates " +
      "their access with a code received by SMS",
    async () => {
      const agent = agentPage!
      await agent.getByRole("link", { name: "Mairie" }).click()
      await agent.getByRole("link", { name: "Inscrire un voisin sans internet" }).click()
      await agent.getByRole("heading", { name: "Inscrire un voisin sans internet" }).waitFor()
      await agent.getByLabel("Quartier du voisin").selectOption({ label: "Les Graves" })
      await agent.getByLabel("Prénom", { exact: true }).fill(PAPER.first)
      await agent.getByLabel("Nom", { exact: true }).fill(PAPER.last)
      await agent.getByLabel("Numéro et rue").fill(PAPER.street)
      await agent.getByLabel("Code postal").fill("33140")
      await agent.getByLabel("Commune", { exact: true }).fill("Cadaujac")
      await agent.getByLabel("Téléphone du voisin (portable ou fixe)").fill(PAPER.phone)
      await agent.getByRole("checkbox", { name: /Le voisin a coché et signé/ }).check()
      // On the phone: the address, the phone, the consent ticked and the button (the desktop shows it all).
      await agent.getByRole("button", { name: "Inscrire ce voisin" }).evaluate((el) =>
        el.scrollIntoView({ block: "end" })
      )
      await agent.evaluate(() => window.scrollBy(0, 80))
      await capture(agent, "57-voisin-sans-internet")
      await agent.getByRole("button", { name: "Inscrire ce voisin" }).click()
      const done = agent.getByRole("status").filter({ hasText: `${PAPER.first} ${PAPER.last} est inscrit(e)` })
      await done.getByText("Les alertes du quartier lui arriveront par SMS.").waitFor()
      await agent.close()

      // Later, someone helping her opens "J'ai été inscrit(e) sur papier" from the log-in page.
      const page = await neighbours.context.newPage()
      await page.goto(`${vigie.url}/connexion`)
      await page.getByRole("link", { name: "J'ai été inscrit(e) sur papier" }).click()
      await page.getByRole("heading", { name: "J'ai été inscrit(e) sur papier" }).waitFor()
      await page.getByLabel("Le numéro de portable donné sur le formulaire").fill(PAPER.phone)
      await page.getByRole("button", { name: "Recevoir le code par SMS" }).click()
      await page.getByText(/un code vient de partir par SMS/).waitFor()
      const codes = async () =>
        (await devOutbox(vigie.server)).sms.filter((m) => m.recipient.endsWith("639987701"))
          .map((m) => /\b([0-9]{6})\b/.exec(m.text)?.[1]).filter((c) => c !== undefined)
      await expect.poll(codes, { timeout: 20_000, interval: 250 }).toHaveLength(1)
      await page.getByLabel("Code reçu par SMS").fill((await codes())[0]!)
      await page.getByLabel("Mon adresse e-mail").fill(PAPER.email)
      await page.getByLabel("Mon mot de passe").fill(PAPER.password)
      await capture(page, "58-inscrit-sur-papier")
      await page.getByRole("button", { name: "Créer mon accès" }).click()
      await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
      await page.getByRole("link", { name: "Profil" }).click()
      await page.getByText(`${PAPER.first} ${PAPER.last}`).first().waitFor()
      expect(await page.locator("li.membership").allInnerTexts()).toEqual([expect.stringMatching(/^Les Graves/)])
      await page.getByRole("button", { name: "Se déconnecter" }).click()
      await page.getByRole("heading", { name: "Se connecter" }).waitFor()
      await page.close()
    },
    120_000
  )

  it(
    "a resident asks to join another quartier of Cadaujac, then opens the moving-home page",
    async () => {
      const page = await neighbours.context.newPage()
      await logIn(page, vigie.url, RESIDENT)
      await page.getByRole("link", { name: "Profil" }).click()
      await page.getByRole("button", { name: "Quitter ce quartier" }).first().waitFor()
      await page.getByRole("link", { name: "Rejoindre un autre quartier" }).click()
      await page.getByRole("heading", { name: "Rejoindre un autre quartier" }).waitFor()
      await page.getByLabel("Code postal de l'adresse").fill("33140")
      await page.getByRole("button", { name: "Rechercher la commune" }).click()
      // 33140 is Cadaujac's and Villenave-d'Ornon's: Cadaujac's quartiers, but Le Bourg (his own), are offered.
      await page.getByRole("radio", { name: "Cadaujac" }).check()
      const quartiers = page.getByRole("group", { name: "Quartier à Cadaujac" })
      await quartiers.waitFor()
      expect(await quartiers.getByRole("radio").count()).toBe(2)
      await quartiers.getByRole("radio", { name: "Les Graves" }).check()
      await page.getByLabel("Numéro et rue").fill("5 Allée des Graves")
      expect(await page.getByLabel("Commune", { exact: true }).inputValue()).toBe("Cadaujac")
      await quartiers.evaluate((el) => el.scrollIntoView())
      await capture(page, "59-rejoindre-un-quartier")
      await page.getByRole("button", { name: "Demander à rejoindre ce quartier" }).click()
      await page.getByRole("heading", { name: "Activer mon adresse" }).waitFor()

      await page.getByRole("link", { name: "Profil" }).click()
      const graves = page.locator("li.membership").filter({ hasText: "Les Graves" })
      await graves.getByRole("link", { name: "Saisir le code reçu par courrier" }).waitFor()
      await page.getByRole("link", { name: "Je déménage" }).click()
      await page.getByRole("heading", { name: "Je déménage" }).waitFor()
      await page.getByLabel("Code postal de l'adresse").fill("33140")
      await page.getByRole("button", { name: "Rechercher la commune" }).click()
      await page.getByRole("radio", { name: "Cadaujac" }).check()
      // Only Bord de Garonne is left: he is a member of the two others (one awaiting its letter).
      const left = page.getByRole("group", { name: "Quartier à Cadaujac" })
      await left.waitFor()
      await left.getByRole("radio", { name: "Bord de Garonne" }).waitFor()
      expect(await left.getByRole("radio").count()).toBe(1)
      await page.getByRole("heading", { name: "Je déménage" }).evaluate((el) => el.scrollIntoView())
      await capture(page, "60-demenagement")
      await page.close()
    },
    120_000
  )
})
