// @vitest-environment node
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import {
  CHROMIUM,
  fillAlert,
  postAlert,
  devOutbox,
  hasChromium,
  type Browser,
  type Vigie,
  demoStaffSecondStep,
  capture,
  journeySetup
} from "./Harness.js"

const PASSWORD = "voisins-vigilants-2026"
if (!hasChromium) {
  console.warn(
    `\n[vigie] Moderation journey SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set VIGIE_CHROMIUM).\n`
  )
}

const logIn = async (page: Page, base: string, email: string) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail").fill(email)
  await page.getByLabel("Mot de passe").fill(PASSWORD)
  await page.getByRole("button", { name: "Se connecter" }).click()
  await demoStaffSecondStep(page, email)
  await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
}

const logOut = async (page: Page) => {
  await page.getByRole("link", { name: "Profil" }).click()
  await page.getByRole("button", { name: "Se déconnecter" }).click()
  await page.getByRole("heading", { name: "Se connecter" }).waitFor()
}

/** The queue item of one alert in one section of the console. */
const queueItem = (page: Page, alertId: string, kind: string) =>
  page.locator(`article.queue-item[data-alert-id="${alertId}"][data-kind="${kind}"]`)

describe.skipIf(!hasChromium)("moderation journey in Chromium", () => {
  let vigie: Vigie
  let browser: Browser
  let staffBrowser: Browser
  const setup = journeySetup("moderation", 2)
  beforeAll(() => {
    vigie = setup.vigie
    ;[browser, staffBrowser] = setup.browsers as [Browser, Browser]
  })

  it(
    "a new member's profiling alert is held, hidden with a reason, appealed, restored by a second moderator, and fans out",
    async () => {
      // Arthur Lefèvre lives in Le Bourg and has never posted: his first alerts are held anyway.
      const text = "Un homme de type maghrébin rôde autour des voitures du parking de la salle des fêtes"
      const isOurs = (body: string) => body.includes("autour des voitures du parking")
      const author = await browser.context.newPage()
      await logIn(author, vigie.url, "arthur.lefevre@example.org")
      await fillAlert(author, { category: "Personne suspecte", urgency: "Urgent", text })

      // The warning before posting, with the passage marked.
      await author.getByRole("heading", { name: /décrivez ce qui se passe, pas qui sont les personnes/ }).waitFor()
      expect(await author.locator("#flagged-text mark").allTextContents()).toEqual(["de type maghrébin"])
      await capture(author, "20-moderation-avertissement")
      await author.getByRole("button", { name: "Publier quand même" }).click()

      // Held: the author is told why and when it will be reviewed.
      await author.getByRole("heading", { name: "Personne suspecte" }).waitFor()
      const alertId = new URL(author.url()).pathname.split("/").pop()!
      expect(alertId).toMatch(/^[0-9a-f-]{36}$/)
      const state = author.getByRole("region", { name: "Modération" })
      await state.getByText("En attente de modération.").waitFor()
      expect(await state.innerText()).toMatch(
        /elle sera relue (sous 2 heures|ce matin avant 10 h|demain matin avant 10 h)\./
      )
      expect(await state.innerText()).toContain("votre message décrit des personnes par leur origine")
      await state.evaluate((el) => el.scrollIntoView({ block: "start" }))
      await capture(author, "21-alerte-retenue")

      // Nothing went out while it is held.
      expect((await devOutbox(vigie.server)).sms.filter((m) => isOurs(m.text))).toEqual([])

      // The moderator sees it first in the queue, the passage highlighted, and hides it with a reason.
      const moderator = await staffBrowser.context.newPage()
      await logIn(moderator, vigie.url, "nadia.benali.staff@example.org")
      await moderator.getByRole("link", { name: "Modération" }).click()
      await moderator.getByRole("heading", { name: "Modération", level: 1 }).waitFor()
      const held = queueItem(moderator, alertId, "held")
      await held.waitFor()
      expect(await held.locator("mark").allTextContents()).toEqual(["de type maghrébin"])
      expect(await held.innerText()).toContain("Arthur Lefèvre")
      expect(await held.innerText()).toMatch(/Retenue depuis/)
      expect(await held.innerText()).toContain("Description sensible des personnes")
      await moderator.evaluate(() => window.scrollTo(0, 0))
      await capture(moderator, "22-moderation-file")
      await held.getByRole("button", { name: "Masquer" }).click()
      const hideForm = held.getByRole("form", { name: "Masquer l'alerte" })
      // Without a reason, nothing is sent.
      await hideForm.getByRole("button", { name: "Masquer l'alerte" }).click()
      await moderator.locator("#reason-error").getByText("Choisissez un motif dans la liste").waitFor()
      await hideForm.getByRole("radio", { name: "Description discriminatoire ou au faciès" }).check()
      await hideForm.getByLabel("Précision pour l'auteur").fill("Décrivez ce que fait la personne, pas son origine.")
      await hideForm.getByRole("button", { name: "Masquer l'alerte" }).click()
      await moderator.getByText("Alerte masquée. L'auteur est informé du motif.").waitFor()
      await queueItem(moderator, alertId, "held").waitFor({ state: "detached" })

      // The author sees the reason and appeals, once.
      await author.reload()
      await state.getByText("Alerte masquée par la modération.").waitFor()
      expect(await state.innerText()).toContain("Motif : Description discriminatoire ou au faciès.")
      expect(await state.innerText()).toContain("Décrivez ce que fait la personne, pas son origine.")
      await state.evaluate((el) => el.scrollIntoView({ block: "start" }))
      await capture(author, "23-alerte-masquee")
      await state.getByRole("button", { name: "Envoyer ma contestation" }).click()
      await author.locator("#appeal-error").getByText("Expliquez en quelques mots").waitFor()
      await state.getByLabel("Pourquoi votre alerte devrait-elle être rétablie ?")
        .fill("Il essayait d'ouvrir les portières, je corrige : pas besoin de son origine.")
      await state.getByRole("button", { name: "Envoyer ma contestation" }).click()
      await state.getByText(/en attente d'un autre modérateur/).waitFor()
      expect(await state.getByRole("button", { name: "Envoyer ma contestation" }).count()).toBe(0)

      // The moderator who hid it may not decide the appeal.
      await moderator.reload()
      const ownAppeal = queueItem(moderator, alertId, "appeal")
      await ownAppeal.waitFor()
      expect(await ownAppeal.innerText()).toContain("un autre modérateur doit trancher")
      expect(await ownAppeal.getByRole("button", { name: "Trancher la contestation" }).count()).toBe(0)
      await logOut(moderator)

      // A second moderator restores it: it was never sent, so it fans out now.
      await logIn(moderator, vigie.url, "admin.vigie.staff@example.org")
      await moderator.getByRole("link", { name: "Modération" }).click()
      const appeal = queueItem(moderator, alertId, "appeal")
      await appeal.waitFor()
      expect(await appeal.innerText()).toContain("Il essayait d'ouvrir les portières")
      await appeal.getByRole("button", { name: "Trancher la contestation" }).click()
      const decide = appeal.getByRole("form", { name: "Trancher la contestation" })
      await decide.getByRole("radio", { name: /Rétablir l'alerte/ }).check()
      await decide.getByLabel(/Raison de la décision/).fill(
        "Le comportement est décrit ; l'alerte est utile aux voisins."
      )
      await decide.getByRole("button", { name: "Enregistrer la décision" }).click()
      await moderator.getByText("Contestation acceptée : l'alerte est rétablie.").waitFor()

      let outbox = await devOutbox(vigie.server)
      for (let i = 0; i < 75 && !outbox.sms.some((m) => isOurs(m.text) && m.recipient === "+33639980007"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        outbox = await devOutbox(vigie.server)
      }
      expect(outbox.sms.filter((m) => isOurs(m.text)).map((m) => m.recipient)).toContain("+33639980007") // Chloé, Le Bourg
      expect(outbox.emails.filter((m) => isOurs(m.body)).map((m) => m.recipient)).toContain("chloe.moreau@example.org")
      expect(outbox.sms.filter((m) => isOurs(m.text) && m.recipient === "+33639980010")).toEqual([]) // not to Arthur
      expect(outbox.sms.filter((m) => isOurs(m.text) && m.recipient === "+33639980005")).toEqual([]) // nor Léa, Les Graves

      // The audit log shows both actions: who, what, why, before and after.
      await moderator.getByRole("link", { name: "Journal de modération" }).click()
      await moderator.getByRole("heading", { name: "Journal de modération" }).waitFor()
      const entries = moderator.locator("li.audit-entry")
      await entries.first().waitFor()
      const restore = moderator.locator("li.audit-entry[data-action=\"appeal_restore\"]").first()
      await restore.waitFor()
      expect(await restore.innerText()).toContain("Admin Vigie")
      const hide = moderator.locator("li.audit-entry[data-action=\"hide\"]").first()
      expect(await hide.innerText()).toContain("Nadia Benali")
      expect(await hide.innerText()).toContain("Description discriminatoire ou au faciès")
      await moderator.getByLabel("Action", { exact: true }).selectOption("hide")
      await moderator.getByRole("button", { name: "Rechercher" }).click()
      await moderator.locator("li.audit-entry[data-action=\"appeal_restore\"]").waitFor({ state: "detached" })
      await moderator.getByLabel("Action", { exact: true }).selectOption("")
      await moderator.getByRole("button", { name: "Rechercher" }).click()
      await restore.waitFor()
      await capture(moderator, "24-moderation-journal")

      // The author's page: published again, the appeal accepted with the moderator's reason.
      await author.reload()
      await state.getByText(/acceptée : alerte rétablie/).waitFor()
      expect(await state.innerText()).toContain("Le comportement est décrit")
      await author.close()
      await moderator.close()
    },
    240_000
  )

  it("a member flags an alert, the quartier's référent hides it pending review, and a moderator confirms", async () => {
    // Hugo has posted before: his alert goes out at once.
    const text = "Camionnette grise garée en double file devant la pharmacie depuis une heure"
    const author = await browser.context.newPage()
    await logIn(author, vigie.url, "hugo.petit@example.org")
    const alertPath = await postAlert(author, { category: "Véhicule suspect", urgency: "Information", text })
    const alertId = alertPath.split("/").pop()!
    await author.getByRole("region", { name: "Modération" }).getByText(/^Publiée/).waitFor()
    // The author cannot flag his own alert.
    expect(await author.getByRole("button", { name: "Signaler cette alerte" }).count()).toBe(0)
    await logOut(author)

    // Chloé, same quartier, flags it.
    await logIn(author, vigie.url, "chloe.moreau@example.org")
    await author.goto(`${vigie.url}${alertPath}`)
    await author.getByRole("button", { name: "Signaler cette alerte" }).click()
    const flagForm = author.getByRole("form", { name: "Signaler cette alerte" })
    await flagForm.getByRole("radio", { name: /^Doublon/ }).check()
    await flagForm.getByLabel("Précisions (facultatif)").fill("Même chose signalée ce matin")
    await flagForm.getByRole("button", { name: "Envoyer le signalement" }).click()
    await author.getByText("Merci : votre signalement est transmis aux modérateurs et au référent du quartier.")
      .waitFor()
    await logOut(author)

    // Camille, référent of Le Bourg, sees it (not who flagged) and hides it pending a moderator.
    await logIn(author, vigie.url, "camille.dubois@example.org")
    await author.getByRole("link", { name: "Signalements", exact: true }).click()
    await author.getByRole("heading", { name: "Signalements des membres" }).waitFor()
    const flagged = author.locator(`article.flagged-alert[data-alert-id="${alertId}"]`)
    await flagged.waitFor()
    expect(await flagged.innerText()).toContain("Même chose signalée ce matin")
    expect(await flagged.innerText()).not.toContain("Chloé")
    // The author as members name each other: « Hugo P. », never the full last name.
    expect(await flagged.innerText()).toContain("Par Hugo P.")
    expect(await flagged.innerText()).not.toContain("Petit")
    await flagged.getByRole("button", { name: "Masquer en attendant un modérateur" }).click()
    await flagged.getByRole("radio", { name: "Doublon" }).check()
    await flagged.getByRole("button", { name: "Masquer l'alerte" }).click()
    await author.getByText("Alerte masquée en attendant la décision d'un modérateur.").waitFor()
    await author.evaluate(() => window.scrollTo(0, 0))
    await capture(author, "25-referent-signalements")

    // The moderator confirms the référent's hiding.
    const moderator = await staffBrowser.context.newPage()
    await logIn(moderator, vigie.url, "nadia.benali.staff@example.org")
    await moderator.getByRole("link", { name: "Modération" }).click()
    const item = queueItem(moderator, alertId, "flagged")
    await item.waitFor()
    expect(await item.innerText()).toContain("En attente de votre décision.")
    await item.getByRole("button", { name: "Confirmer le masquage" }).click()
    await item.getByRole("button", { name: "Oui, confirmer" }).click()
    await moderator.getByText("Masquage confirmé.").waitFor()
    await queueItem(moderator, alertId, "flagged").waitFor({ state: "detached" })
    await author.close()
    await moderator.close()
  }, 240_000)
})
