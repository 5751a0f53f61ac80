// @vitest-environment node
import { readFile } from "node:fs/promises"
import { strFromU8, unzipSync } from "fflate"
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { CHROMIUM, devOutbox, hasChromium, type Browser, type Vigie, capture, journeySetup } from "./Harness.js"

const PASSWORD = "voisins-vigilants-2026"
if (!hasChromium) {
  console.warn(
    `\n[vigie] Personal data journey SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set VIGIE_CHROMIUM).\n`
  )
}

const logIn = async (page: Page, base: string, email: string) => {
  await page.goto(`${base}/connexion`)
  await page.getByLabel("Adresse e-mail").fill(email)
  await page.getByLabel("Mot de passe").fill(PASSWORD)
  await page.getByRole("button", { name: "Se connecter" }).click()
  await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
}

describe.skipIf(!hasChromium)("personal data journey in Chromium", () => {
  let vigie: Vigie
  let browser: Browser
  let neighbourBrowser: Browser
  const setup = journeySetup("personal-data", 2)
  beforeAll(() => {
    vigie = setup.vigie
    ;[browser, neighbourBrowser] = setup.browsers as [Browser, Browser]
  })

  it("a member reads what is kept, downloads their data, erases their account and cannot log in; their alert stays for a neighbour", async () => {
    // Chloé Moreau lives in Le Bourg and posted "Scooter sans plaque ..." yesterday. Her neighbour Hugo
    // Petit sees it signed with her short name.
    const neighbour = await neighbourBrowser.context.newPage()
    await logIn(neighbour, vigie.url, "hugo.petit@example.org")
    const card = neighbour.locator("article", { hasText: "Scooter sans plaque qui observe les garages." }).first()
    await card.getByRole("link").first().click()
    await neighbour.getByText("Scooter sans plaque qui observe les garages.").first().waitFor()
    const author = neighbour.locator("dl.summary dt", { hasText: "Par" }).locator("xpath=following-sibling::dd[1]")
    expect(await author.innerText()).toBe("Chloé M.")
    const alertUrl = neighbour.url()

    const page = await browser.context.newPage()
    await page.goto(`${vigie.url}/inscription`)
    await page.getByRole("link", { name: "Vos données" }).first().click()
    await page.getByRole("heading", { name: "Vos données", level: 1 }).waitFor()
    expect(await page.locator("section.privacy").innerText()).toContain("au bout de 90 jours")
    await capture(page, "26-vos-donnees")

    await logIn(page, vigie.url, "chloe.moreau@example.org")
    await page.getByRole("link", { name: "Profil" }).click()
    const downloading = page.waitForEvent("download")
    await page.getByRole("link", { name: "Télécharger mes données" }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toMatch(/^vigie-mes-donnees-\d{4}-\d{2}-\d{2}\.zip$/)
    const files = Object.fromEntries(
      Object.entries(unzipSync(new Uint8Array(await readFile((await download.path())!)))).map((
        [name, bytes]
      ) => [name, strFromU8(bytes)])
    )
    expect(files["compte.json"]).toContain("chloe.moreau@example.org")
    expect(files["alertes.json"]).toContain("Scooter sans plaque qui observe les garages.")
    expect(files["quartiers.json"]).toContain("Le Bourg")
    expect(Object.values(files).join("\n")).not.toContain("hugo.petit@example.org")

    await page.getByRole("button", { name: "Supprimer mon compte" }).click()
    const confirm = page.getByRole("form", { name: "Supprimer mon compte" })
    await confirm.getByText(/signées « Ancien membre »/).waitFor()
    await confirm.evaluate((el) => el.scrollIntoView({ block: "start" }))
    await capture(page, "27-supprimer-mon-compte")
    await confirm.getByLabel("Votre mot de passe, pour confirmer").fill("pas le bon mot de passe")
    await confirm.getByRole("button", { name: "Supprimer définitivement mon compte" }).click()
    await confirm.getByText("Mot de passe incorrect : votre compte n'a pas été supprimé.").waitFor()
    await confirm.getByLabel("Votre mot de passe, pour confirmer").fill(PASSWORD)
    await confirm.getByRole("button", { name: "Supprimer définitivement mon compte" }).click()
    await page.getByRole("heading", { name: "Votre compte est supprimé" }).waitFor()

    // The session is over and the password no longer opens anything.
    await page.goto(`${vigie.url}/profil`)
    await page.getByRole("heading", { name: "Se connecter" }).waitFor()
    await page.getByLabel("Adresse e-mail").fill("chloe.moreau@example.org")
    await page.getByLabel("Mot de passe").fill(PASSWORD)
    await page.getByRole("button", { name: "Se connecter" }).click()
    await page.getByText("Adresse e-mail ou mot de passe incorrect.").waitFor()
    const exported = await page.evaluate(async () => (await fetch("/compte/mes-donnees.zip")).status)
    expect(exported).toBe(401)

    // Her address is gone from what Vigie keeps, the dev inbox's copies of the e-mails sent to her included.
    expect((await devOutbox(vigie.server)).emails.filter((m) => m.recipient.includes("chloe.moreau"))).toEqual([])

    // Hugo still sees her alert, in his feed and on its page, now signed « Ancien membre ».
    await neighbour.goto(`${vigie.url}/`)
    await neighbour.getByText("Scooter sans plaque qui observe les garages.").first().waitFor()
    await neighbour.goto(alertUrl)
    await neighbour.getByText("Scooter sans plaque qui observe les garages.").first().waitFor()
    expect(await author.innerText()).toBe("Ancien membre")
    // Every summary on the page (the alert's facts, and the answers' list once it has loaded) leaves her name out.
    await neighbour.locator("dl.summary").first().waitFor()
    expect((await neighbour.locator("dl.summary").allInnerTexts()).join("\n")).not.toContain("Chloé")
  })
})
