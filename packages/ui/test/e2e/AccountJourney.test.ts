// @vitest-environment node
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { CHROMIUM, devOutbox, hasChromium, type Browser, type Vigie, capture, journeySetup } from "./Harness.js"

const NEW_PASSWORD = "les volets bleus de la maison"

if (!hasChromium) {
  console.warn(
    `\n[vigie] Account journey SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set VIGIE_CHROMIUM).\n`
  )
}

const logIn = async (page: Page, base: string, email: string, password: string) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail").fill(email)
  await page.getByLabel("Mot de passe").fill(password)
  await page.getByRole("button", { name: "Se connecter" }).click()
  await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
}

/** The path and query of the newest link with a token the dev inbox shows for `recipient`. */
const linkFor = async (server: string, recipient: string): Promise<string> => {
  for (let i = 0; i < 100; i++) {
    const mail = (await devOutbox(server)).emails.find((m) => m.recipient === recipient && /jeton=/.test(m.body))
    const url = mail === undefined ? undefined : /(https?:\/\/\S+jeton=[A-Za-z0-9_-]+)/.exec(mail.body)?.[1]
    if (url !== undefined) {
      const parsed = new URL(url)
      return `${parsed.pathname}${parsed.search}`
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no link for ${recipient} in the dev inbox`)
}

describe.skipIf(!hasChromium)("account journey in Chromium", () => {
  let vigie: Vigie
  let browser: Browser
  const setup = journeySetup("account")
  beforeAll(() => {
    vigie = setup.vigie
    ;[browser] = setup.browsers as [Browser]
  })

  it(
    "a member forgets their password, sets a new one from the e-mailed link, logs in, then changes their e-mail address and confirms it",
    async () => {
      const page = await browser.context.newPage()
      const old = "chloe.moreau@example.org"
      const next = "chloe.m.nouvelle@example.org"

      await page.goto(`${vigie.url}/connexion`)
      await page.getByRole("link", { name: "Mot de passe oublié ?" }).click()
      await page.getByRole("heading", { name: "Mot de passe oublié" }).waitFor()
      await page.getByLabel("Adresse e-mail du compte").fill(old)
      await capture(page, "30-mot-de-passe-oublie")
      await page.getByRole("button", { name: "Recevoir un lien" }).click()
      await page.getByRole("status").getByText(/un e-mail vient d'y partir/).waitFor()

      await page.goto(`${vigie.url}${await linkFor(vigie.server, old)}`)
      await page.getByRole("heading", { name: "Choisir un nouveau mot de passe" }).waitFor()
      await page.getByLabel("Nouveau mot de passe", { exact: true }).fill(NEW_PASSWORD)
      await page.getByLabel("Confirmer le nouveau mot de passe").fill(NEW_PASSWORD)
      await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click()
      await page.getByText("Votre mot de passe est changé.").waitFor()
      await page.getByRole("link", { name: "Se connecter" }).click()
      await logIn(page, vigie.url, old, NEW_PASSWORD)

      // « Mon compte » is reached from the profile (the tab bar keeps room for the staff's tabs on a phone).
      await page.getByRole("link", { name: "Profil" }).click()
      await page.getByRole("link", { name: /^Mon compte/ }).click()
      await page.getByRole("heading", { name: "Mon compte" }).waitFor()
      await page.getByLabel("Nouvelle adresse e-mail").fill(next)
      await page.getByLabel("Mot de passe actuel (pour confirmer)").fill(NEW_PASSWORD)
      await page.getByRole("button", { name: "Changer d'adresse" }).click()
      await page.getByRole("status").getByText(/Un lien de confirmation a été envoyé/).waitFor()
      await capture(page, "31-mon-compte")
      // Nothing changes before the link is opened; the old address is told of the request.
      const told = (await devOutbox(vigie.server)).emails.filter((m) =>
        m.recipient === old && /changement d'adresse/i.test(m.subject)
      )
      expect(told).toHaveLength(1)
      expect(told[0]!.body).not.toContain("jeton=")

      await page.goto(`${vigie.url}${await linkFor(vigie.server, next)}`)
      await page.getByRole("button", { name: "Confirmer cette adresse" }).click()
      await page.getByText(`Votre adresse e-mail est maintenant ${next}`).waitFor()

      await page.getByRole("link", { name: "Profil" }).click()
      await page.getByRole("button", { name: "Se déconnecter" }).click()
      await page.getByRole("heading", { name: "Se connecter" }).waitFor()
      await logIn(page, vigie.url, next, NEW_PASSWORD)
      await page.close()
    },
    120_000
  )

  it(
    "a newcomer opens the platform at another loopback name than PUBLIC_URL's and can log in; an unreachable server is said, never an endless spinner",
    async () => {
      const page = await browser.context.newPage()
      const site = new URL(vigie.url)
      const other = new URL(vigie.url)
      other.hostname = site.hostname === "localhost" ? "127.0.0.1" : "localhost"

      // Development accepts every loopback name of the port (the page's own origin is another site's).
      await page.goto(`${other.origin}/connexion`)
      await page.getByLabel("Adresse e-mail").fill("hugo.petit@example.org")
      await page.getByLabel("Mot de passe").fill("voisins-vigilants-2026")
      await page.getByRole("button", { name: "Se connecter" }).click()
      await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()

      // The server cannot be reached on the first call: a French message and a retry, which then works.
      await browser.context.clearCookies()
      const visitor = page
      await visitor.route("**/rpc", (route) => route.abort("connectionrefused"))
      await visitor.goto(`${vigie.url}/`)
      await visitor.getByRole("alert").getByText("Vigie ne répond pas pour le moment", { exact: false }).waitFor()
      expect(await visitor.getByText("Chargement…").count()).toBe(0)
      await visitor.unroute("**/rpc")
      await visitor.getByRole("button", { name: "Réessayer" }).click()
      await visitor.getByRole("heading", { name: "Voisins vigilants et solidaires" }).waitFor()
    },
    120_000
  )
})
