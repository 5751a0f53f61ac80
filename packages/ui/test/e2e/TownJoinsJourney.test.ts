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
  postAlert,
  totpCode,
  type Vigie
} from "./Harness.js"

const DEMO_PASSWORD = "voisins-vigilants-2026"
const ADMIN = "admin.vigie.staff@example.org"
/** Villenave-d'Ornon's first agent: invited by the admin, not a demo account (her own second factor). */
const AGENT = { first: "Mathilde", last: "Fargues", email: "mathilde.fargues@villenave.example.org" }
const AGENT_PASSWORD = "Mathilde ouvre les quartiers de Villenave"
const QUARTIER = "Pont-de-la-Maye"
const PERIMETER = "-0.566, 44.788\n-0.548, 44.788\n-0.548, 44.799\n-0.566, 44.799"
/** Two residents of the new quartier: the first becomes its référent, the second posts an alert. */
const REFERENT = { first: "Bernadette", last: "Lasserre", email: "bernadette.lasserre@example.org",
  password: "les glycines de la Maye", street: "14 Route de Toulouse" }
const NEIGHBOUR = { first: "Karim", last: "Boucher", email: "karim.boucher@example.org",
  password: "le tramway passe devant chez moi", street: "3 Rue Pierre Curie" }

/** A resident of a street without quartier, who proposes one (and signs up with it). */
const PROPOSER = { first: "Lucien", last: "Garrigues", email: "lucien.garrigues@example.org",
  password: "le chemin de Courréjean au bord de l'eau", street: "27 Chemin de Courréjean" }
const PROPOSED = "Courréjean"
const PROPOSED_PERIMETER = "-0.540, 44.768\n-0.528, 44.768\n-0.528, 44.778\n-0.540, 44.778"

const logInAsDemoStaff = async (page: Page, base: string, email: string) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail").fill(email)
  await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD)
  await page.getByRole("button", { name: "Se connecter" }).click()
  await demoStaffSecondStep(page, email)
  await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
}

const logOut = async (page: Page) => {
  await page.getByRole("link", { name: "Profil" }).click()
  await page.getByRole("button", { name: "Se déconnecter" }).click()
  await page.getByRole("heading", { name: "Se connecter" }).waitFor()
}

/** Signs a resident of Villenave-d'Ornon up in the new quartier and activates them with the letter's code. */
const signUpAndActivate = async (
  page: Page,
  vigie: Vigie,
  person: typeof REFERENT
) => {
  await page.goto(`${vigie.url}/inscription`)
  await page.getByLabel("Code postal de mon domicile").fill("33140")
  await page.getByRole("button", { name: "Rechercher ma commune" }).click()
  await page.getByRole("radio", { name: "Villenave-d'Ornon" }).check()
  await page.getByRole("group", { name: "Mon quartier à Villenave-d'Ornon" }).waitFor()
  await page.getByRole("radio", { name: QUARTIER }).check()
  await page.getByLabel("Prénom", { exact: true }).fill(person.first)
  await page.getByLabel("Nom", { exact: true }).fill(person.last)
  await page.getByLabel("Adresse e-mail").fill(person.email)
  await page.getByLabel("Mot de passe").fill(person.password)
  await page.getByLabel("Numéro et rue").fill(person.street)
  await page.getByRole("button", { name: "M'inscrire" }).click()
  await page.getByRole("heading", { name: "Activer mon adresse" }).waitFor()
  const letters = (await devOutbox(vigie.server)).letters.filter((l) => l.recipient.includes(person.last))
  expect(letters).toHaveLength(1)
  expect(letters[0]!.address).toContain("33140 Villenave-d'Ornon")
  await page.getByLabel("Code d'activation").fill(letters[0]!.code!)
  await page.getByRole("button", { name: "Activer mon adresse" }).click()
  await page.getByText("C'est fait : votre adresse est activée.").waitFor()
}

describe.skipIf(!hasChromium)("a real town joins, in Chromium", () => {
  let vigie: Vigie
  /** The agent's page, left on her quartiers by the first journey for the second. */
  let agentPage: Page | undefined
  let adminBrowser: Browser
  let agentBrowser: Browser
  let residentBrowser: Browser
  const setup = journeySetup("town-joins", 3)
  beforeAll(() => {
    vigie = setup.vigie
    ;[adminBrowser, agentBrowser, residentBrowser] = setup.browsers as [Browser, Browser, Browser]
  })

  it(
    "the admin makes Villenave-d'Ornon a Mairie Vigilante and invites its agent, who draws its first quartier and " +
      "appoints a signed-up neighbour référent; another neighbour's alert reaches the référent",
    async () => {
      // The demo admin opens Villenave-d'Ornon from the official list.
      const admin = await adminBrowser.context.newPage()
      await logInAsDemoStaff(admin, vigie.url, ADMIN)
      await admin.getByRole("link", { name: "Administration" }).click()
      await admin.getByRole("heading", { name: "Administration de Vigie" }).waitFor()
      await admin.getByLabel("Commune : nom, code postal ou code INSEE").fill("villenave")
      await admin.getByRole("button", { name: "Chercher" }).click()
      await admin.getByRole("button", { name: "Rendre Villenave-d'Ornon (33550) Mairie Vigilante" }).click()
      await admin.getByText("Villenave-d'Ornon est maintenant une Mairie Vigilante.").waitFor()
      const figures = admin.getByRole("region", { name: "Chiffres des Mairies Vigilantes" })
      const row = figures.getByRole("row", { name: /Villenave-d'Ornon \(33550\)/ })
      await row.waitFor()
      expect(await row.getByRole("link", { name: "Quartiers de Villenave-d'Ornon" }).getAttribute("href"))
        .toBe("/communes/33550/quartiers")

      // …and invites its first mairie agent.
      await admin.getByLabel("Commune (Mairie Vigilante)").selectOption("33550")
      await admin.getByRole("radio", { name: "Agent de la mairie" }).check()
      const invitation = admin.getByRole("form", { name: "Invitation d'un agent" })
      await invitation.getByLabel("Prénom", { exact: true }).fill(AGENT.first)
      await invitation.getByLabel("Nom", { exact: true }).fill(AGENT.last)
      await invitation.getByLabel("Adresse e-mail").fill(AGENT.email)
      await invitation.getByRole("button", { name: "Envoyer l'invitation" }).click()
      await admin.getByText(`Invitation envoyée à ${AGENT.first} ${AGENT.last} : le lien est valable 7 jours.`)
        .waitFor()
      await admin.evaluate(() => window.scrollTo(0, 0))
      await capture(admin, "50-administration")

      // The agent opens the link of her e-mail, chooses a password and enrols her second factor.
      const mail = (await devOutbox(vigie.server)).emails.find((m) => m.recipient === AGENT.email)
      expect(mail?.body).toContain("Villenave-d'Ornon")
      const token = /\/invitation#([A-Za-z0-9_-]+)/.exec(mail!.body)![1]!
      const agent = await agentBrowser.context.newPage()
      await agent.goto(`${vigie.url}/invitation#${token}`)
      await agent.getByRole("heading", { name: "Bienvenue dans l'équipe Vigie" }).waitFor()
      await agent.getByLabel("Mot de passe", { exact: true }).fill(AGENT_PASSWORD)
      await agent.getByLabel("Confirmer le mot de passe").fill(AGENT_PASSWORD)
      await agent.getByRole("button", { name: "Choisir ce mot de passe" }).click()
      await agent.getByRole("heading", { name: "Double authentification" }).waitFor()
      const secret = (await agent.locator("[data-secret]").getAttribute("data-secret"))!
      await agent.getByLabel("Code à 6 chiffres affiché par l'application").fill(await totpCode(secret, AGENT.email))
      await agent.getByRole("button", { name: "Activer la double authentification" }).click()
      await agent.getByRole("list", { name: "Codes de secours" }).waitFor()
      await agent.getByLabel("Je les ai notés en lieu sûr").check()
      await agent.getByRole("button", { name: "Terminer" }).click()

      // Her commune has no quartier yet: the drawing map starts by its neighbours of the Gironde
      // (Cadaujac's quartiers), not on all of France.
      await agent.getByRole("link", { name: "Mairie" }).click()
      await agent.getByRole("heading", { name: /Mairie — tableau de bord/ }).waitFor()
      await agent.getByRole("link", { name: "Gérer les quartiers et leurs référents" }).click()
      await agent.getByRole("heading", { name: "Quartiers de Villenave-d'Ornon", level: 1 }).waitFor()
      await agent.getByText("Aucun quartier n'est encore ouvert dans la commune.").waitFor()
      await agent.getByRole("button", { name: "Ouvrir un quartier" }).click()
      await agent.getByLabel("Nom du quartier").fill(QUARTIER)
      const points = agent.getByLabel("Points du périmètre, un par ligne : longitude, latitude")
      await agent.getByRole("button", { name: "Ajouter le point au centre de la carte" }).click()
      const [lon, lat] = (await points.inputValue()).split(", ").map(Number) as [number, number]
      expect(lon).toBeGreaterThan(-0.7)
      expect(lon).toBeLessThan(-0.4)
      expect(lat).toBeGreaterThan(44.65)
      expect(lat).toBeLessThan(44.85)
      // The corners typed in (the path without the map), then drawn on it.
      await points.fill(PERIMETER)
      await agent.getByText("4 points — le périmètre est fermé automatiquement").waitFor()
      expect(await agent.locator("path.draft-point").count()).toBe(4)
      // The drawn perimeter is in view, at phone and desktop widths, with the map at the top of the screen.
      await agent.getByRole("group", { name: "Périmètre du quartier" }).evaluate((el) => el.scrollIntoView())
      for (const width of [1280, 390]) {
        await agent.setViewportSize({ width, height: 844 })
        await agent.waitForTimeout(200)
        const map = (await agent.locator(".quartier-map").boundingBox())!
        const drawn = (await agent.locator("path.draft").boundingBox())!
        expect(drawn.x).toBeGreaterThanOrEqual(map.x)
        expect(drawn.y).toBeGreaterThanOrEqual(map.y)
        expect(drawn.x + drawn.width).toBeLessThanOrEqual(map.x + map.width)
        expect(drawn.y + drawn.height).toBeLessThanOrEqual(map.y + map.height)
      }
      await capture(agent, "51-premier-quartier-dessin")
      await agent.getByRole("button", { name: "Ouvrir le quartier" }).click()
      await agent.getByText(`Le quartier « ${QUARTIER} » est ouvert.`).waitFor()
      await agent.getByRole("img", { name: `Plan des quartiers : ${QUARTIER}` }).waitFor()
      await capture(agent, "52-premier-quartier-ouvert")

      // A resident of Villenave-d'Ornon signs up in it and activates with the letter's code.
      const resident = await residentBrowser.context.newPage()
      await signUpAndActivate(resident, vigie, REFERENT)
      await logOut(resident)

      // The agent appoints her référent: she is a verified member of the quartier.
      await agent.getByRole("button", { name: `Référents de ${QUARTIER}` }).click()
      const members = agent.getByRole("list", { name: "Membres du quartier" })
      await members.getByRole("button", { name: "Nommer Bernadette L. référent" }).click()
      await agent.getByText("Bernadette L. est référent du quartier.").waitFor()
      await agent.getByRole("button", { name: "Retour à la liste des quartiers" }).click()
      await agent.getByRole("list", { name: "Quartiers de la commune" }).getByText(/Référent : Bernadette L\./)
        .waitFor()

      // The commune's public page, without signing in: a Mairie Vigilante with one quartier.
      const publicPage = await residentBrowser.context.newPage()
      await publicPage.goto(`${vigie.server}/commune/33550`)
      await publicPage.getByRole("heading", { name: /^Vigie à Villenave-d'Ornon/, level: 1 }).waitFor()
      expect(await publicPage.locator("body").innerText()).toMatch(/Villenave-d'Ornon est une Mairie Vigilante/)
      expect(await publicPage.locator("body").innerText()).toMatch(/1 quartier ouvert/)
      await capture(publicPage, "53-commune-publique")
      await publicPage.close()

      // A second neighbour signs up in the quartier, activates, and posts an alert.
      await signUpAndActivate(resident, vigie, NEIGHBOUR)
      await resident.getByRole("link", { name: "Fil", exact: true }).click()
      const text = "Voiture grise qui fait le tour du lotissement depuis une heure, route de Toulouse"
      const alertPath = await postAlert(resident, { category: "Véhicule suspect", urgency: "Urgent", text })
      const alertId = alertPath.split("/").pop()!

      // A new member's first alerts wait for a moderator: the admin approves it, then it goes out.
      await admin.getByRole("link", { name: "Modération" }).click()
      const held = admin.locator(`article.queue-item[data-alert-id="${alertId}"][data-kind="held"]`)
      await held.getByRole("button", { name: "Approuver et envoyer" }).click()
      await held.getByRole("button", { name: "Oui, approuver et envoyer" }).click()
      await admin.getByText("Alerte approuvée : elle part aux voisins.").waitFor()

      // The référent receives it (the dev inbox); its author does not.
      const isOurs = (body: string) => body.includes("fait le tour du lotissement")
      await expect.poll(
        async () => (await devOutbox(vigie.server)).emails.filter((m) => isOurs(m.body)).map((m) => m.recipient),
        { timeout: 20_000, interval: 250 }
      ).toContain(REFERENT.email)
      const emails = (await devOutbox(vigie.server)).emails.filter((m) => isOurs(m.body))
      expect(emails.map((m) => m.recipient)).not.toContain(NEIGHBOUR.email)
      await logOut(resident)
      for (const page of [admin, resident]) await page.close()
      agentPage = agent
    },
    180_000
  )

  it(
    "a resident whose street has no quartier proposes one; the agent accepts it and the quartier opens with them " +
      "as its référent",
    async () => {
      const agent = agentPage!
      const page = await residentBrowser.context.newPage()
      await page.goto(`${vigie.url}/proposer`)
      await page.getByRole("heading", { name: "Proposer un quartier" }).waitFor()
      await page.getByLabel("Code postal de mon domicile").fill("33140")
      await page.getByRole("button", { name: "Rechercher ma commune" }).click()
      // Choosing the commune replaces the list by the proposal's form.
      await page.getByRole("radio", { name: "Villenave-d'Ornon" }).click()
      const form = page.getByRole("form", { name: "Ma proposition de quartier" })
      await form.getByLabel("Nom proposé pour le quartier").fill(PROPOSED)
      await form.getByLabel("Pourquoi ce quartier ?").fill(
        "Une vingtaine de maisons le long du chemin, beaucoup de personnes âgées seules."
      )
      await form.getByLabel("Points du périmètre, un par ligne : longitude, latitude").fill(PROPOSED_PERIMETER)
      await form.getByText("4 points — le périmètre est fermé automatiquement").waitFor()
      await form.getByLabel("Numéro et rue").fill(PROPOSER.street)
      await form.getByLabel("Prénom", { exact: true }).fill(PROPOSER.first)
      await form.getByLabel("Nom", { exact: true }).fill(PROPOSER.last)
      await form.getByLabel("Adresse e-mail").fill(PROPOSER.email)
      await form.getByLabel("Mot de passe").fill(PROPOSER.password)
      await form.getByRole("group", { name: "Périmètre proposé" }).evaluate((el) => el.scrollIntoView())
      await capture(page, "54-proposer-un-quartier")
      await form.getByRole("button", { name: "Envoyer ma proposition" }).click()
      await page.getByRole("heading", { name: "Mes propositions de quartier" }).waitFor()
      const mine = page.getByRole("list", { name: "Mes propositions" })
      await mine.getByRole("heading", { name: PROPOSED }).waitFor()
      await mine.getByRole("button", { name: `Retirer la proposition ${PROPOSED}` }).waitFor()
      await capture(page, "55-mes-propositions")

      // The agent finds it beside her quartiers and accepts it as proposed.
      await agent.reload()
      await agent.getByRole("heading", { name: "Quartiers de Villenave-d'Ornon", level: 1 }).waitFor()
      await agent.getByRole("list", { name: "Propositions en attente" }).getByRole("heading", { name: PROPOSED })
        .waitFor()
      await agent.getByRole("button", { name: `Accepter ${PROPOSED}` }).click()
      const accept = agent.getByRole("form", { name: `Accepter ${PROPOSED}` })
      expect(await accept.getByLabel("Nom du quartier").inputValue()).toBe(PROPOSED)
      // The proposed perimeter, then the form: the name as proposed, the perimeter kept unless adjusted.
      await agent.getByRole("img", { name: `Périmètre proposé pour ${PROPOSED}` }).evaluate((el) => el.scrollIntoView())
      await capture(agent, "56-propositions-a-decider")
      await accept.getByRole("button", { name: "Ouvrir ce quartier" }).click()
      await agent.getByText(`Le quartier « ${PROPOSED} » est ouvert ; Lucien G. en est le référent.`).waitFor()
      const quartiers = agent.getByRole("list", { name: "Quartiers de la commune" })
      await quartiers.getByRole("button", { name: PROPOSED, exact: true }).waitFor()
      // His address still awaits its verification: he is its référent, listed with the members.
      await agent.getByRole("button", { name: `Référents de ${PROPOSED}` }).click()
      await agent.getByRole("list", { name: "Membres du quartier" }).getByText("Lucien G.").waitFor()
      expect(await agent.getByRole("list", { name: "Membres du quartier" }).innerText()).toContain("(référent)")

      // The requester is told by e-mail.
      await expect.poll(
        async () =>
          (await devOutbox(vigie.server)).emails.filter((m) =>
            m.recipient === PROPOSER.email && m.subject === "Vigie – votre proposition de quartier"
          ).map((m) => m.body.replace(/\s+/g, " ")).join("\n"),
        { timeout: 20_000, interval: 250 }
      ).toContain(`le quartier « ${PROPOSED} » que vous avez proposé à Villenave-d'Ornon est ouvert sur Vigie`)
      await page.close()
      await agent.close()
    },
    120_000
  )
})
