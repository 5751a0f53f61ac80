// @vitest-environment node
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import {
  devOutbox,
  hasChromium,
  secondStep,
  totpCode,
  type Browser,
  type Vigie,
  capture,
  journeySetup
} from "./Harness.js"

const EMAIL = "claire.martin.staff@example.org"
const PASSWORD = "Claire garde la mairie ouverte"

const logOut = async (page: Page) => {
  await page.getByRole("link", { name: "Profil" }).click()
  await page.getByRole("button", { name: "Se déconnecter" }).click()
  await page.getByRole("heading", { name: "Se connecter" }).waitFor()
}

const password = async (page: Page, base: string) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail").fill(EMAIL)
  await page.getByLabel("Mot de passe").fill(PASSWORD)
  await page.getByRole("button", { name: "Se connecter" }).click()
}

describe.skipIf(!hasChromium)("staff sign-in journey in Chromium", () => {
  let vigie: Vigie
  let browser: Browser
  const setup = journeySetup("staff-sign-in")
  beforeAll(() => {
    vigie = setup.vigie
    ;[browser] = setup.browsers as [Browser]
  })

  it(
    "an invited mairie agent chooses a password, enrols TOTP, then signs in with a code and with a recovery code",
    async () => {
      // The invitation e-mail the seed sent (as `staff add` prints the link): its token is in the fragment.
      const mail = (await devOutbox(vigie.server)).emails.find((m) => m.recipient === EMAIL)
      const token = /\/invitation#([A-Za-z0-9_-]+)/.exec(mail!.body)![1]!
      const page = await browser.context.newPage()
      await page.goto(`${vigie.url}/invitation#${token}`)
      await page.getByRole("heading", { name: "Bienvenue dans l'équipe Vigie" }).waitFor()
      await page.getByLabel("Mot de passe", { exact: true }).fill("qwerty123456")
      await page.getByLabel("Confirmer le mot de passe").fill("qwerty123456")
      await page.getByRole("button", { name: "Choisir ce mot de passe" }).click()
      await page.getByText(/fait partie des plus courants/).waitFor()
      await page.getByLabel("Mot de passe", { exact: true }).fill(PASSWORD)
      await page.getByLabel("Confirmer le mot de passe").fill(PASSWORD)
      await capture(page, "26-invitation")
      await page.getByRole("button", { name: "Choisir ce mot de passe" }).click()

      // Enrolment: the QR code and the key; the code an app would show, computed from the key.
      await page.getByRole("heading", { name: "Double authentification" }).waitFor()
      await page.getByRole("img", { name: /QR code à scanner/ }).locator("svg").waitFor()
      const secret = (await page.locator("[data-secret]").getAttribute("data-secret"))!
      expect(secret).toMatch(/^[A-Z2-7]{32}$/)
      await capture(page, "27-double-authentification")
      await page.getByLabel("Code à 6 chiffres affiché par l'application").fill(await totpCode(secret, EMAIL))
      await page.getByRole("button", { name: "Activer la double authentification" }).click()
      const list = page.getByRole("list", { name: "Codes de secours" })
      await list.waitFor()
      const codes = await list.locator("li").allInnerTexts()
      expect(codes).toHaveLength(10)
      await capture(page, "28-codes-de-secours")
      const done = page.getByRole("button", { name: "Terminer" })
      expect(await done.isDisabled()).toBe(true)
      await page.getByLabel("Je les ai notés en lieu sûr").check()
      await done.click()
      await page.getByRole("link", { name: "Mairie" }).click()
      await page.getByRole("heading", { name: /Mairie — tableau de bord/ }).waitFor()
      await logOut(page)

      // Password, then the app's code.
      await password(page, vigie.url)
      await page.getByRole("heading", { name: "Code de vérification" }).waitFor()
      await capture(page, "29-connexion-code")
      await secondStep(page, await totpCode(secret, EMAIL))
      await page.getByRole("link", { name: "Mairie" }).click()
      await page.getByRole("heading", { name: /Mairie — tableau de bord/ }).waitFor()
      await logOut(page)

      // Password, then a recovery code: it serves once.
      await password(page, vigie.url)
      await secondStep(page, codes[0]!.trim())
      await page.getByRole("link", { name: "Mairie" }).waitFor()
      await logOut(page)
      await password(page, vigie.url)
      await secondStep(page, codes[0]!.trim())
      await page.getByText(/Code incorrect, expiré ou déjà utilisé/).waitFor()
      await secondStep(page, codes[1]!.trim().toLowerCase())
      await page.getByRole("link", { name: "Mairie" }).waitFor()
      await page.close()
    },
    240_000
  )
})
