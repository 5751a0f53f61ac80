// @vitest-environment node
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import {
  CHROMIUM,
  postAlert,
  devOutbox,
  hasChromium,
  launchChromium,
  type Browser,
  type Vigie,
  demoStaffSecondStep,
  capture,
  journeySetup
} from "./Harness.js"

const PASSWORD = "voisins-vigilants-2026"
if (!hasChromium) {
  console.warn(
    `\n[vigie] End-to-end journeys SKIPPED: no Chromium at ${CHROMIUM}. Install Debian's package ` +
      "(`apt-get install -y chromium`) or set VIGIE_CHROMIUM. CI installs it, so CI never skips them.\n"
  )
}

const logIn = async (page: Page, base: string, email: string, password = PASSWORD) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail").fill(email)
  await page.getByLabel("Mot de passe").fill(password)
  await page.getByRole("button", { name: "Se connecter" }).click()
  await demoStaffSecondStep(page, email)
  await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
}

describe.skipIf(!hasChromium)("journeys in Chromium", () => {
  let vigie: Vigie
  let browser: Browser
  const setup = journeySetup("journey")
  beforeAll(() => {
    vigie = setup.vigie
    ;[browser] = setup.browsers as [Browser]
  })

  it("a new resident registers, reads the letter's code in the dev inbox, activates, logs out and in", async () => {
    const page = await browser.context.newPage()
    await page.goto(vigie.url)
    await page.getByRole("heading", { name: "Voisins vigilants et solidaires" }).waitFor()
    await capture(page, "01-accueil")

    await page.getByRole("link", { name: "Rejoindre mon quartier" }).click()
    await page.getByLabel("Code postal de mon domicile").fill("33140")
    await page.getByRole("button", { name: "Rechercher ma commune" }).click()
    const cadaujac = page.getByRole("radio", { name: "Cadaujac" })
    await cadaujac.waitFor()
    if (!(await cadaujac.isChecked())) await cadaujac.check()
    await page.getByRole("img", { name: /Plan des quartiers/ }).waitFor()
    await page.getByRole("radio", { name: "Le Bourg" }).check()
    await page.getByLabel("Prénom", { exact: true }).fill("Odette")
    await page.getByLabel("Nom", { exact: true }).fill("Lamarque")
    await page.getByLabel("Adresse e-mail").fill("odette.lamarque@example.org")
    await page.getByLabel("Mot de passe").fill("les hortensias du jardin")
    await page.getByLabel("Numéro et rue").fill("5 Rue de l'Église")
    await capture(page, "02-inscription")
    await page.getByRole("button", { name: "M'inscrire" }).click()

    await page.getByRole("heading", { name: "Activer mon adresse" }).waitFor()
    await page.getByText("Bienvenue !").waitFor()
    const letters = (await devOutbox(vigie.server)).letters.filter((l) => l.recipient.includes("Lamarque"))
    expect(letters).toHaveLength(1)
    const code = letters[0]!.code
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/)

    await page.getByLabel("Code d'activation").fill("AAAA-AAAA-AA")
    await page.getByRole("button", { name: "Activer mon adresse" }).click()
    await expect.poll(() => page.locator("#code-error").textContent()).toMatch(/^Code incorrect/)
    await capture(page, "03-activer")
    await page.getByLabel("Code d'activation").fill(code!.toLowerCase())
    await page.getByRole("button", { name: "Activer mon adresse" }).click()
    await page.getByText("C'est fait : votre adresse est activée.").waitFor()

    await page.getByRole("link", { name: "Profil" }).click()
    await page.getByText("Adresse vérifiée").waitFor()
    await capture(page, "08-profil")
    await page.getByRole("button", { name: "Se déconnecter" }).click()
    await page.getByRole("heading", { name: "Se connecter" }).waitFor()
    await capture(page, "04-connexion")

    await logIn(page, vigie.url, "odette.lamarque@example.org", "les hortensias du jardin")
    await page.close()
  }, 180_000)

  it(
    "a resident posts an alert: a neighbour's open page shows it live, and the dev inbox has the SMS and e-mails to the others, none to the author",
    async () => {
      const neighbourBrowser = await launchChromium()
      const neighbour = await neighbourBrowser.context.newPage()
      await logIn(neighbour, vigie.url, "chloe.moreau@example.org")
      await neighbour.getByText("En direct").waitFor()
      await capture(neighbour, "05-fil-voisin")
      const author = await browser.context.newPage()
      // Hugo has posted before (the demo seed's history): a member in good standing, so his alert goes out at once.
      await logIn(author, vigie.url, "hugo.petit@example.org")
      await capture(author, "05-fil")
      await author.getByRole("link", { name: "Signaler quelque chose" }).click()
      await author.getByRole("radio", { name: "Véhicule suspect" }).check()
      await author.getByRole("radio", { name: /^Urgent/ }).check()
      await author.getByLabel("Ce que vous avez vu").fill(
        "Camionnette blanche sans plaque, arrêtée devant l'école depuis 20 minutes"
      )
      await author.getByLabel("Lieu (facultatif)").fill("Rue de l'Église")
      await capture(author, "06-signaler")
      await author.getByRole("button", { name: "Continuer" }).click()
      await author.getByRole("heading", { name: "Avant d'envoyer" }).waitFor()
      await author.getByRole("button", { name: "Envoyer l'alerte" }).click()
      await author.getByRole("heading", { name: "Véhicule suspect" }).waitFor()
      await capture(author, "07-alerte")

      // The neighbour's page, never reloaded, shows it through the live stream.
      await neighbour.getByText("Camionnette blanche sans plaque").first().waitFor({ timeout: 10_000 })
      await capture(neighbour, "05-fil-voisin-en-direct")
      await neighbourBrowser.close()

      // The workers deliver to every other member, paced (5 SMS/s in all, in no promised order): wait for
      // Chloé's. The author gets nothing of their own alert.
      const isOurs = (text: string) => text.includes("Camionnette blanche")
      const chloeHasIt = (sms: ReadonlyArray<{ readonly text: string; readonly recipient: string }>) =>
        sms.some((m) => isOurs(m.text) && m.recipient === "+33639980007")
      let outbox = await devOutbox(vigie.server)
      for (let i = 0; i < 150 && !chloeHasIt(outbox.sms); i++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        outbox = await devOutbox(vigie.server)
      }
      const sms = outbox.sms.filter((m) => isOurs(m.text))
      const emails = outbox.emails.filter((m) => isOurs(m.body))
      expect(sms.length).toBeGreaterThan(0)
      expect(emails.length).toBeGreaterThan(0)
      expect(sms.map((m) => m.recipient)).toContain("+33639980007") // Chloé, same quartier
      expect(sms.filter((m) => m.recipient === "+33639980004")).toEqual([])
      expect(emails.filter((m) => m.recipient === "hugo.petit@example.org")).toEqual([])

      await author.getByRole("link", { name: "Réglages" }).click()
      await author.getByRole("heading", { name: "Mes notifications" }).waitFor()
      await capture(author, "09-preferences")
      await author.close()
    },
    180_000
  )
  it(
    "the mairie agent previews and sends a town alert, and sees its deliveries reach the end; the police inbox is live",
    async () => {
      const page = await browser.context.newPage()
      await logIn(page, vigie.url, "sophie.lacoste.staff@example.org")
      await page.getByRole("link", { name: "Mairie" }).click()
      await page.getByRole("heading", { name: /Mairie — tableau de bord/ }).waitFor()
      await page.getByRole("table").first().waitFor()
      // The quartiers on a map with their figures, and the same figures as a list.
      const mapPanel = page.getByRole("region", { name: "Carte des quartiers" })
      await mapPanel.getByRole("img", { name: /Plan des quartiers/ }).waitFor()
      expect(await mapPanel.locator("path.quartier").count()).toBe(3)
      expect(await mapPanel.getByRole("list", { name: "Quartiers et leurs chiffres" }).getByRole("listitem").count())
        .toBe(3)
      await mapPanel.getByRole("button", { name: "Les Graves" }).click()
      expect(await mapPanel.locator(".quartier-label.selected .name").first().textContent()).toBe("Les Graves")
      await mapPanel.scrollIntoViewIfNeeded()
      await capture(page, "12-mairie-carte")
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.getByRole("radio", { name: "Coupure d'eau ou d'électricité" }).check()
      // Urgent: sent at once even to members in their quiet hours, so every delivery is handled now.
      await page.getByRole("radio", { name: /^Urgent/ }).check()
      await page.getByLabel("Texte de l'annonce").fill("Coupure d'eau jeudi de 8 h à 12 h, avenue de la Gare")
      await page.getByRole("button", { name: "Prévisualiser" }).click()
      const preview = page.getByRole("region", { name: "Prévisualisation" })
      await preview.waitFor()
      expect(await preview.getByTestId("preview-email").innerText()).toMatch(/^[0-9]+ destinataires?$/)
      await capture(page, "10-mairie")
      await page.getByRole("button", { name: "Confirmer l'envoi" }).click()
      const sent = page.locator(".ok-note")
      await sent.waitFor()
      const alertId = await sent.getAttribute("data-alert-id")
      expect(alertId).toBeTruthy()
      // The workers run in the server: the live figures show every queued delivery handled.
      const done = page.locator(`li.town-alert[data-alert-id="${alertId}"][data-finished="yes"]`)
      await done.waitFor({ timeout: 30_000 })
      expect(await done.innerText()).toMatch(/En attente : 0/)
      expect(await done.innerText()).toMatch(/Envoi terminé/)
      await capture(page, "10-mairie-envoi")

      await page.getByRole("link", { name: "Autorités" }).click()
      await page.getByRole("heading", { name: "Alertes partagées avec la mairie et la police" }).waitFor()
      await page.getByText("En direct").waitFor()
      await capture(page, "11-autorites")
      await page.close()
    },
    180_000
  )

  it(
    "a resident of another quartier never sees a quartier's alert: not live, not by its address, not in the dev inbox",
    async () => {
      const text = "Homme qui relève les numéros des boîtes aux lettres, chemin des Vignes"
      // Léa lives in Les Graves only; Chloé and Hugo in Le Bourg.
      const strangerBrowser = await launchChromium()
      const neighbourBrowser = await launchChromium()
      try {
        const stranger = await strangerBrowser.context.newPage()
        await logIn(stranger, vigie.url, "lea.durand@example.org")
        await stranger.getByText("En direct").waitFor()
        const neighbour = await neighbourBrowser.context.newPage()
        await logIn(neighbour, vigie.url, "chloe.moreau@example.org")
        await neighbour.getByText("En direct").waitFor()

        const author = await browser.context.newPage()
        await logIn(author, vigie.url, "hugo.petit@example.org")
        const alertPath = await postAlert(author, { category: "Personne suspecte", urgency: "Urgent", text })
        expect(alertPath).toMatch(/^\/alertes\/[0-9a-f-]{36}$/)

        // The live event reached Le Bourg's open page: from then on, its absence elsewhere means something.
        await neighbour.getByText(text).first().waitFor({ timeout: 10_000 })
        // Léa's page stayed open and connected the whole time, and never showed it.
        expect(await stranger.getByText("En direct").count()).toBe(1)
        expect(await stranger.getByText(text).count()).toBe(0)
        await stranger.reload()
        await stranger.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
        await stranger.locator("ol.feed, p.empty").first().waitFor()
        expect(await stranger.getByText(text).count()).toBe(0)

        // Its address, typed by hand: the French "not found", nothing of the alert.
        await stranger.goto(`${vigie.url}${alertPath}`)
        await stranger.getByText("Cette alerte n'existe pas ou ne vous est pas visible.").waitFor()
        expect(await stranger.getByText(text).count()).toBe(0)
        await capture(stranger, "13-alerte-introuvable")

        // The dev inbox, through the link every page shows in development: SMS and e-mails to Le Bourg, none to Léa.
        const devLink = stranger.getByRole("link", { name: "Boîte de développement (SMS, e-mails, lettres)" })
        await devLink.scrollIntoViewIfNeeded()
        expect(await devLink.isVisible()).toBe(true)
        await devLink.click()
        await stranger.getByRole("heading", { name: "Boîte de développement" }).waitFor()
        // SMS go out in GSM-7 ("boîtes" becomes "boites"): match the start of the text.
        const isOurs = (body: string) => body.includes("Homme qui relève les num")
        let outbox = await devOutbox(vigie.server)
        for (let i = 0; i < 50 && !outbox.sms.some((m) => isOurs(m.text) && m.recipient === "+33639980007"); i++) {
          await new Promise((resolve) => setTimeout(resolve, 200))
          outbox = await devOutbox(vigie.server)
        }
        expect(outbox.sms.filter((m) => isOurs(m.text)).map((m) => m.recipient)).toContain("+33639980007") // Chloé
        expect(outbox.emails.filter((m) => isOurs(m.body)).map((m) => m.recipient)).toContain(
          "chloe.moreau@example.org"
        )
        expect(outbox.sms.filter((m) => isOurs(m.text) && m.recipient === "+33639980005")).toEqual([]) // Léa
        expect(outbox.emails.filter((m) => isOurs(m.body) && m.recipient === "lea.durand@example.org")).toEqual([])
        await author.close()
      } finally {
        await strangerBrowser.close()
        await neighbourBrowser.close()
      }
    },
    240_000
  )

  it(
    "a neighbour answers 'J'y vais' and 'Vu': the author's open page shows it live; the police take note and the author sees it",
    async () => {
      const text = "Chien noir sans collier qui erre près de l'école, il a l'air perdu"
      const neighbourBrowser = await launchChromium()
      try {
        const neighbour = await neighbourBrowser.context.newPage()
        await logIn(neighbour, vigie.url, "chloe.moreau@example.org")
        await neighbour.getByText("En direct").waitFor()

        const author = await browser.context.newPage()
        await logIn(author, vigie.url, "hugo.petit@example.org")
        await postAlert(author, { category: "Animal perdu ou trouvé", urgency: "Information", text, shared: true })
        const marks = author.getByRole("region", { name: "Entre voisins" })
        await marks.locator("dd[data-kind=\"going\"]", { hasText: "Personne pour l'instant" }).waitFor()
        const authorities = author.getByRole("region", { name: "Mairie et police municipale" })
        await authorities.getByText("La police municipale : pas encore pris en compte").waitFor()

        // Chloé's feed shows it live; she opens it and answers.
        const card = neighbour.locator("article.alert-card", { hasText: text })
        await card.waitFor({ timeout: 10_000 })
        await card.getByRole("link", { name: "Animal perdu ou trouvé" }).click()
        const hers = neighbour.getByRole("region", { name: "Entre voisins" })
        await hers.getByRole("button", { name: "J'y vais" }).click()
        await hers.locator("dd[data-kind=\"going\"]", { hasText: "Chloé M. (vous)" }).waitFor()
        // The author is named as neighbours name each other, never with the full last name.
        await neighbour.getByText("Hugo P.", { exact: true }).waitFor()
        expect(await neighbour.locator("main").innerText()).not.toContain("Petit")
        expect(await hers.getByRole("button", { name: "J'y vais" }).getAttribute("aria-pressed")).toBe("true")

        // Hugo's page, never reloaded, shows her answer.
        await marks.locator("dd[data-kind=\"going\"]", { hasText: "Chloé M." }).waitFor({ timeout: 10_000 })
        await hers.getByRole("button", { name: "Vu" }).click()
        await marks.locator("dd[data-kind=\"seen\"]", { hasText: "Chloé M." }).waitFor({ timeout: 10_000 })
        expect(await marks.getByText("J'y vais (1)").count()).toBe(1)
        expect(await marks.getByText("Vu (1)").count()).toBe(1)
        await capture(author, "14-alerte-reponses")

        // Her feed card says it in short.
        await neighbour.getByRole("link", { name: "Fil", exact: true }).click()
        await neighbour.locator("article.alert-card", { hasText: text }).getByText("Voisins : 1 y va · 1 l'a vue")
          .waitFor()
        await neighbour.getByText("En direct").waitFor()
        await capture(neighbour, "15-fil-reponses")

        // The police take note in their inbox; the author's page shows it (never their note).
        await neighbour.getByRole("link", { name: "Profil" }).click()
        await neighbour.getByRole("button", { name: "Se déconnecter" }).click()
        await neighbour.getByRole("heading", { name: "Se connecter" }).waitFor()
        await logIn(neighbour, vigie.url, "marc.dufour.staff@example.org")
        await neighbour.getByRole("link", { name: "Autorités" }).click()
        const shared = neighbour.locator("article.alert-card", { hasText: text })
        await shared.waitFor({ timeout: 10_000 })
        await shared.getByLabel(/Note interne/).fill("Patrouille passée, chien confié à la fourrière")
        await shared.getByRole("button", { name: "Pris en compte" }).click()
        await shared.getByText(/Police municipale : pris en compte le/).waitFor()
        await author.reload()
        await authorities.getByText(/^La police municipale : pris en compte le/).waitFor()
        expect(await author.getByText("Patrouille passée").count()).toBe(0)
        await capture(author, "14-alerte-reponses")
        await author.close()
      } finally {
        await neighbourBrowser.close()
      }
    },
    240_000
  )
})
