// @vitest-environment node
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { CHROMIUM, capture, demoStaffSecondStep, hasChromium, journeySetup, type Browser } from "./Harness.js"

const PASSWORD = "voisins-vigilants-2026"
if (!hasChromium) {
  console.warn(
    `\n[vigie] Messaging journey SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set VIGIE_CHROMIUM).\n`
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

const tab = (page: Page, name: string | RegExp) =>
  page.getByRole("navigation", { name: "Navigation principale" }).getByRole(
    "link",
    typeof name === "string"
      ? { name, exact: true }
      : { name }
  )

/** The annuaire of Le Bourg from the tab bar, searched for `words`: the list of members found. */
const searchAnnuaire = async (page: Page, words: string) => {
  await tab(page, "Annuaire").click()
  await page.getByRole("heading", { name: "L'annuaire · Le Bourg", level: 1 }).waitFor()
  await page.getByLabel("Nom, rue ou centre d'intérêt", { exact: true }).fill(words)
  await page.getByRole("button", { name: "Rechercher" }).click()
  await page.getByRole("heading", { name: new RegExp(`^Résultats pour « ${words} »`) }).waitFor()
}

const FIRST = "Bonjour Hugo, j'ai trouvé un trousseau de clés devant votre portail. Je vous le dépose ?"
const ANSWER = "Merci beaucoup Chloé ! Oui, dans la boîte aux lettres, ce serait parfait."
const REPORTED = "Un homme d'origine maghrébine rôdait près de chez vous hier soir."
const ARTHUR_FIRST = "Bonsoir Chloé, vous seriez libre pour un café ce week-end ?"
const ARTHUR_AFTER = "Chloé, pourquoi vous ne répondez pas ?"
const REFUSED = "Vous ne pouvez pas écrire à cette personne"

describe.skipIf(!hasChromium)("messaging journey in Chromium", () => {
  const setup = journeySetup("messaging", 4)

  it(
    "Chloé finds Hugo in the annuaire and writes to him, his open page shows it live, he answers; a reported " +
      "message reaches the moderators with its context only; Chloé blocks Arthur from their conversation, and he " +
      "can neither write to her nor find her",
    async () => {
      const vigie = setup.vigie
      const [chloeBrowser, hugoBrowser, staffBrowser, arthurBrowser] = setup.browsers as [
        Browser,
        Browser,
        Browser,
        Browser
      ]

      // Hugo is signed in, his feed open.
      const hugo = await hugoBrowser.context.newPage()
      await logIn(hugo, vigie.url, "hugo.petit@example.org")
      const tabs = hugo.getByRole("navigation", { name: "Navigation principale" })
      await tabs.getByRole("link", { name: "Messages", exact: true }).waitFor()

      // Chloé finds Hugo in the annuaire and follows « Écrire un message »: his display name only, then her message.
      const chloe = await chloeBrowser.context.newPage()
      await logIn(chloe, vigie.url, "chloe.moreau@example.org")
      await searchAnnuaire(chloe, "Hugo")
      const found = chloe.getByRole("list", { name: "Membres du quartier" })
      await found.getByRole("link", { name: "Hugo P.", exact: true }).waitFor()
      await found.getByRole("link", { name: "Écrire un message à Hugo P." }).click()
      await chloe.getByRole("heading", { name: "Écrire à Hugo P.", level: 1 }).waitFor()
      expect(chloe.url()).toMatch(/\/messages\/nouveau\?a=[0-9a-f-]{36}$/)
      expect(await chloe.locator("main").innerText()).not.toContain("Petit")
      await chloe.getByLabel("Votre message").fill(FIRST)
      await capture(chloe, "90-messagerie-nouveau")
      await chloe.getByRole("button", { name: "Envoyer" }).click()
      await chloe.getByRole("heading", { name: "Avec Hugo P.", level: 1 }).waitFor()
      await chloe.locator("ol.messages").getByText(FIRST).waitFor()

      // Hugo's open page: the badge appears live, read aloud in the tab's name.
      await tabs.getByRole("link", { name: "Messages, 1 non lu" }).waitFor({ timeout: 15_000 })
      expect(await hugo.getByTestId("unread-badge").innerText()).toBe("1")
      await capture(hugo, "91-messagerie-non-lu")
      await tabs.getByRole("link", { name: "Messages, 1 non lu" }).click()
      await hugo.getByRole("heading", { name: "Messages", level: 1 }).waitFor()
      await hugo.getByRole("link", { name: /Chloé M\./ }).click()
      await hugo.locator("ol.messages").getByText(FIRST).waitFor()
      // Read: the badge goes.
      await tabs.getByRole("link", { name: "Messages", exact: true }).waitFor({ timeout: 15_000 })
      await hugo.getByLabel("Votre message").fill(ANSWER)
      await hugo.getByRole("button", { name: "Envoyer" }).click()
      await hugo.locator("ol.messages").getByText(ANSWER).waitFor()

      // Chloé's open conversation shows the answer live, announced, and her message seen.
      await chloe.locator("ol.messages").getByText(ANSWER).waitFor({ timeout: 15_000 })
      await chloe.getByText("Vu par Hugo P.").waitFor({ timeout: 15_000 })
      expect(await chloe.getByTestId("live-announce").innerText()).toContain("Hugo P.")

      // A message describing someone by origin: warned first, sent anyway.
      await chloe.getByLabel("Votre message").fill(REPORTED)
      await chloe.getByRole("button", { name: "Envoyer" }).click()
      await chloe.getByText("« d'origine maghrébine »").waitFor()
      await chloe.getByRole("button", { name: "Envoyer quand même" }).click()
      await chloe.locator(".message.mine").getByText(REPORTED).waitFor()
      await capture(chloe, "92-messagerie-conversation")

      // Hugo reports it.
      const reported = hugo.locator("li.message").filter({ hasText: REPORTED })
      await reported.waitFor({ timeout: 15_000 })
      await reported.getByRole("button", { name: "Signaler" }).click()
      await reported.getByLabel("Pourquoi ?").selectOption("profiling")
      await reported.getByRole("button", { name: "Envoyer le signalement" }).click()
      await reported.getByRole("status").getByText(/Message signalé/).waitFor()

      // The moderator: the queue shows no content; reading shows the message and its context, nothing else.
      const moderator = await staffBrowser.context.newPage()
      await logIn(moderator, vigie.url, "nadia.benali.staff@example.org")
      await moderator.getByRole("link", { name: "Modération" }).click()
      await moderator.getByRole("link", { name: "Messages signalés" }).click()
      await moderator.getByRole("heading", { name: "Messages signalés", level: 1 }).waitFor()
      expect(await moderator.locator("main").innerText()).not.toContain("maghrébine")
      await moderator.getByRole("button", { name: "Lire le message" }).click()
      const context = moderator.getByRole("list", { name: "Le message signalé et son contexte" })
      await context.waitFor()
      const lines = await context.locator("li").allInnerTexts()
      expect(lines).toHaveLength(3)
      expect(lines.join("\n")).toContain(FIRST)
      expect(lines.join("\n")).toContain(ANSWER)
      expect(await context.locator("li[aria-current=true]").innerText()).toContain(REPORTED)
      await capture(moderator, "93-messagerie-moderation")
      await moderator.getByRole("button", { name: "Classer le signalement" }).click()
      await moderator.getByText("Aucun message signalé.").waitFor()
      // The reading is in the audit log.
      await moderator.goto(`${vigie.url}/moderation/journal`)
      await moderator.locator("li.audit-entry[data-action=read_reported_message]").first().waitFor()

      // Arthur finds Chloé in the annuaire and writes to her.
      const arthur = await arthurBrowser.context.newPage()
      await logIn(arthur, vigie.url, "arthur.lefevre@example.org")
      await searchAnnuaire(arthur, "Chloé")
      const arthurFound = arthur.getByRole("list", { name: "Membres du quartier" })
      const chloePath = await arthurFound.getByRole("link", { name: "Chloé M.", exact: true }).getAttribute("href")
      const writeToChloe = arthurFound.getByRole("link", { name: "Écrire un message à Chloé M." })
      const writePath = await writeToChloe.getAttribute("href")
      await writeToChloe.click()
      await arthur.getByRole("heading", { name: "Écrire à Chloé M.", level: 1 }).waitFor()
      await arthur.getByLabel("Votre message").fill(ARTHUR_FIRST)
      await arthur.getByRole("button", { name: "Envoyer" }).click()
      await arthur.getByRole("heading", { name: "Avec Chloé M.", level: 1 }).waitFor()
      await arthur.locator("ol.messages").getByText(ARTHUR_FIRST).waitFor()

      // Chloé blocks him from where his message arrived, told first what it does (the annuaire's words).
      await tab(chloe, /^Messages/).click()
      await chloe.getByRole("heading", { name: "Messages", level: 1 }).waitFor()
      await chloe.getByRole("link", { name: /Arthur L\./ }).click()
      await chloe.locator("ol.messages").getByText(ARTHUR_FIRST).waitFor()
      await chloe.getByRole("button", { name: "Bloquer Arthur L." }).click()
      const confirm = chloe.getByRole("group", { name: "Bloquer Arthur L." })
      await confirm.getByText("n'en sera pas informée").waitFor()
      await confirm.getByRole("button", { name: "Oui, bloquer Arthur L." }).click()
      await chloe.getByRole("button", { name: "Débloquer Arthur L." }).waitFor()

      // Arthur, his conversation still open: his next message is refused in French, and written nowhere.
      await arthur.getByLabel("Votre message").fill(ARTHUR_AFTER)
      await arthur.getByRole("button", { name: "Envoyer" }).click()
      await arthur.getByRole("alert").getByText(REFUSED).waitFor()
      expect(await arthur.locator("ol.messages").innerText()).not.toContain(ARTHUR_AFTER)
      await capture(arthur, "94-messagerie-bloque")
      await chloe.reload()
      await chloe.locator("ol.messages").getByText(ARTHUR_FIRST).waitFor()
      expect(await chloe.locator("ol.messages").innerText()).not.toContain(ARTHUR_AFTER)
      // « Écrire un message » from before the block leads nowhere now, told the same way.
      await arthur.goto(`${vigie.url}${writePath}`)
      await arthur.getByRole("alert").getByText(REFUSED).waitFor()
      expect(await arthur.getByLabel("Votre message").count()).toBe(0)
      // Nor does he find her: not in the annuaire, not by her name, her page « introuvable »
      // (DirectoryJourney shows the same after a block from the annuaire, with its screenshots).
      await searchAnnuaire(arthur, "Chloé")
      await arthur.getByText("Aucun membre ne correspond à votre recherche.").waitFor()
      await arthur.goto(`${vigie.url}${chloePath}`)
      await arthur.getByRole("heading", { name: "Membre introuvable" }).waitFor()
    },
    240_000
  )
})
