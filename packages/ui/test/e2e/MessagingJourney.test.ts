// @vitest-environment node
import { strFromU8, unzipSync } from "fflate"
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

/** The signed-in member's own account id, as their GDPR export states it (the annuaire's links carry it). */
const ownAccountId = async (page: Page): Promise<string> => {
  const bytes = await page.evaluate(async () =>
    Array.from(new Uint8Array(await (await fetch("/compte/mes-donnees.zip")).arrayBuffer()))
  )
  const files = unzipSync(new Uint8Array(bytes))
  const account = JSON.parse(strFromU8(files["compte.json"]!)) as ReadonlyArray<{ readonly id: string }>
  return account[0]!.id
}

const FIRST = "Bonjour Hugo, j'ai trouvé un trousseau de clés devant votre portail. Je vous le dépose ?"
const ANSWER = "Merci beaucoup Chloé ! Oui, dans la boîte aux lettres, ce serait parfait."
const REPORTED = "Un homme d'origine maghrébine rôdait près de chez vous hier soir."

describe.skipIf(!hasChromium)("messaging journey in Chromium", () => {
  const setup = journeySetup("messaging", 3)

  it(
    "Chloé writes to Hugo, whose open page shows it live; he answers; a reported message reaches the moderators with its context only",
    async () => {
      const vigie = setup.vigie
      const [chloeBrowser, hugoBrowser, staffBrowser] = setup.browsers as [Browser, Browser, Browser]

      // Hugo is signed in, his feed open.
      const hugo = await hugoBrowser.context.newPage()
      await logIn(hugo, vigie.url, "hugo.petit@example.org")
      const hugoId = await ownAccountId(hugo)
      const tabs = hugo.getByRole("navigation", { name: "Navigation principale" })
      await tabs.getByRole("link", { name: "Messages", exact: true }).waitFor()

      // Chloé opens the annuaire's link to Hugo: his display name only, then her message.
      const chloe = await chloeBrowser.context.newPage()
      await logIn(chloe, vigie.url, "chloe.moreau@example.org")
      await chloe.goto(`${vigie.url}/messages/nouveau?a=${hugoId}`)
      await chloe.getByRole("heading", { name: "Écrire à Hugo P.", level: 1 }).waitFor()
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
    },
    240_000
  )
})
