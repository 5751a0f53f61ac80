// @vitest-environment node
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import {
  CHROMIUM,
  capture,
  devOutbox,
  demoStaffSecondStep,
  hasChromium,
  journeySetup,
  type Browser,
  type Vigie
} from "./Harness.js"

const PASSWORD = "voisins-vigilants-2026"
if (!hasChromium) {
  console.warn(
    `\n[vigie] Veille journey SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set VIGIE_CHROMIUM).\n`
  )
}

/** Marcelle's fictional mobile (ARCEP's range for fiction) and Hugo Petit's, as the demo seed gives it. */
const MARCELLE = "+33639987701"
const HUGO = "+33639980004"

const logIn = async (page: Page, base: string, email: string) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail").fill(email)
  await page.getByLabel("Mot de passe").fill(PASSWORD)
  await page.getByRole("button", { name: "Se connecter" }).click()
  await demoStaffSecondStep(page, email)
  await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
}

/** Waits until the dev inbox holds an SMS to `to` whose text contains `part`; returns it. */
const smsTo = async (server: string, to: string, part: string) => {
  for (let i = 0; i < 150; i++) {
    const found = (await devOutbox(server)).sms.find((m) => m.recipient === to && m.text.includes(part))
    if (found !== undefined) return found.text
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(
    `no SMS to ${to} containing « ${part} »:\n${JSON.stringify((await devOutbox(server)).sms.slice(-8), null, 2)}`
  )
}

/** Sends an SMS as `from` through the dev inbox's form (a correctly signed Plivo webhook). */
const sendSms = async (page: Page, base: string, from: string, text: string) => {
  await page.goto(`${base}/dev`)
  const select = page.getByLabel("Envoyer en tant que")
  const listed = await select.locator(`option[value="${from}"]`).count()
  if (listed === 0) {
    await select.evaluate((el, value) => {
      const option = document.createElement("option")
      option.value = value
      option.textContent = value
      el.appendChild(option)
    }, from)
  }
  await select.selectOption(from)
  await page.getByLabel("Texte du SMS").fill(text)
  await page.getByRole("button", { name: "Envoyer le SMS" }).click()
  await page.waitForURL(/\/dev/)
}

const advance = async (page: Page, base: string) => {
  await page.goto(`${base}/dev`)
  await page.getByRole("button", { name: "Avancer la veille à la prochaine étape" }).click()
  await page.waitForURL(/\/dev/)
}

describe.skipIf(!hasChromium)("Veille journey in Chromium", () => {
  let vigie: Vigie
  let browser: Browser
  const setup = journeySetup("veille", 1)
  beforeAll(() => {
    vigie = setup.vigie
    browser = setup.browsers[0]!
  })

  it(
    "a référent sets up a veille for a neighbour registered on paper; no answer; the veilleurs are alerted; Hugo goes by SMS and closes it with OK; the history shows each step",
    async () => {
      const page = await browser.context.newPage()
      await page.setViewportSize({ width: 390, height: 844 })
      await logIn(page, vigie.url, "camille.dubois@example.org")

      // Marcelle Martin has no internet: the référent registers her from the paper form.
      await page.goto(`${vigie.url}/voisins-sans-internet`)
      await page.getByLabel("Prénom").fill("Marcelle")
      await page.getByLabel("Nom", { exact: true }).fill("Martin")
      await page.getByLabel("Numéro et rue").fill("4 rue de l'Église")
      await page.getByLabel("Code postal").fill("33140")
      await page.getByLabel("Commune").fill("Cadaujac")
      await page.getByLabel("Téléphone du voisin (portable ou fixe)").fill("06 39 98 77 01")
      await page.locator("#consent").check()
      await page.getByRole("button", { name: "Inscrire ce voisin" }).click()
      await page.getByRole("button", { name: "Inscrire un autre voisin" }).waitFor()

      // The veille: every day at 10:00 by SMS, Hugo as voisin veilleur, the paper consent on file.
      await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Veille" })
        .click()
      await page.getByRole("heading", { name: "Veille bienveillante", level: 1 }).waitFor()
      await page.getByLabel("Choisir un voisin").selectOption({ label: "Marcelle Martin" })
      const form = page.getByRole("form", { name: "Mettre en place une veille pour Marcelle Martin" })
      await form.waitFor()
      // Bad input first: an hour the change to summer time skips is refused with a French message.
      await form.getByLabel("L'heure (heure de Paris)").fill("02:30")
      await form.getByRole("checkbox", { name: "Hugo Petit" }).check()
      await form.getByRole("radio", { name: "La personne a signé son accord sur papier ; je le conserve" }).check()
      await form.getByRole("button", { name: "Mettre en place la veille" }).click()
      await form.getByRole("alert").filter({ hasText: "n'existe pas tous les jours" }).waitFor()
      await form.getByLabel("L'heure (heure de Paris)").fill("10:00")
      await capture(page, "95-veille-mise-en-place")
      await form.getByRole("button", { name: "Mettre en place la veille" }).click()
      await page.getByRole("heading", { name: "Veille de Marcelle Martin" }).waitFor()
      expect(await page.getByText("tous les jours à 10 h").count()).toBeGreaterThan(0)

      // Hugo accepts by SMS.
      await smsTo(vigie.server, HUGO, "Répondez OUI pour accepter")
      await sendSms(page, vigie.url, HUGO, "OUI")
      await smsTo(vigie.server, HUGO, "Vous veillez désormais sur Marcelle Martin")

      // 10:00: the check-in SMS appears in the dev inbox.
      await advance(page, vigie.url)
      await smsTo(vigie.server, MARCELLE, "tout va bien ? Répondez OK")
      await page.goto(`${vigie.url}/dev`)
      await capture(page, "96-veille-boite-de-dev")
      // No answer: the reminder at 11:00, the veilleurs at 12:00.
      await advance(page, vigie.url)
      await smsTo(vigie.server, MARCELLE, "nous n'avons pas encore de vos nouvelles")
      await advance(page, vigie.url)
      await smsTo(vigie.server, HUGO, "pas de nouvelles de Marcelle Martin depuis 10 h")

      // Hugo goes, then closes it with OK.
      await sendSms(page, vigie.url, HUGO, "J'Y VAIS")
      await smsTo(vigie.server, HUGO, "vous passez voir Marcelle Martin")
      await sendSms(page, vigie.url, HUGO, "OK")
      await smsTo(vigie.server, HUGO, "La veille de Marcelle Martin est close : tout va bien")

      // The référent reads the history: each step with its time and actor.
      await page.goto(`${vigie.url}/veille`)
      await page.getByLabel("Choisir un voisin").selectOption({ label: "Marcelle Martin (veille en place)" })
      const history = page.locator(".veille-history")
      await history.getByText("Veille close : tout va bien").waitFor()
      const steps = await history.locator("li").allInnerTexts()
      for (
        const step of [
          "Veille mise en place",
          "Consentement signé sur papier enregistré",
          "Veilleur : accepté par SMS",
          "Message de veille envoyé",
          "Rappel envoyé",
          "Voisins veilleurs prévenus",
          "Un veilleur y va",
          "Le veilleur a vu la personne : tout va bien"
        ]
      ) expect(steps.some((s) => s.includes(step))).toBe(true)
      expect(steps.find((s) => s.includes("Un veilleur y va"))).toContain("Hugo Petit")
      await history.scrollIntoViewIfNeeded()
      await capture(page, "97-veille-historique")
      await page.close()
    },
    240_000
  )
})
