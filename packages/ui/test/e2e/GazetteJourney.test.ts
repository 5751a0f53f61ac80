// @vitest-environment node
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Page } from "playwright-core"
import sharp from "sharp"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  CHROMIUM,
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
    `\n[vigie] Gazette journey SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set VIGIE_CHROMIUM).\n`
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

/** Opens the Gazette from the tab bar and waits for its title (« La Gazette · <quartier> »). */
const openGazette = async (page: Page, quartier: string) => {
  await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Gazette" }).click()
  await page.getByRole("heading", { name: `La Gazette · ${quartier}`, level: 1 }).waitFor()
}

/** A phone's photo: a JPEG whose EXIF says where it was taken (Cadaujac) and with what. */
const phonePhoto = () =>
  sharp({ create: { width: 1200, height: 900, channels: 3, background: "#c27a3a" } }).jpeg().withExif({
    IFD0: { Make: "Telephone", Model: "Modele 12" },
    IFD3: { GPSLatitudeRef: "N", GPSLatitude: "44/1 44/1 3000/100", GPSLongitudeRef: "W",
      GPSLongitude: "0/1 31/1 4200/100" }
  }).toBuffer()

const LOST_CAT = "Chat roux perdu, collier bleu"
const COMMUNICATION = "Travaux de voirie avenue de la Libération"

describe.skipIf(!hasChromium)("Gazette journey in Chromium", () => {
  let vigie: Vigie
  let chloeBrowser: Browser
  let neighbourBrowser: Browser
  let staffBrowser: Browser
  let photoDir: string
  // What the first journey published, for the next ones.
  let postPath = ""
  const setup = journeySetup("gazette", 3)
  beforeAll(async () => {
    vigie = setup.vigie
    ;[chloeBrowser, neighbourBrowser, staffBrowser] = setup.browsers as [Browser, Browser, Browser]
    photoDir = await mkdtemp(join(tmpdir(), "vigie-gazette-photo-"))
  })
  afterAll(async () => {
    if (photoDir !== undefined) await rm(photoDir, { recursive: true, force: true })
  })

  it(
    "Chloé publishes a lost cat with a phone's photo: published at once, the photo served without its EXIF",
    async () => {
      const original = await phonePhoto()
      expect((await sharp(original).metadata()).exif).toBeDefined()
      const photoFile = join(photoDir, "IMG_2041.JPG")
      await writeFile(photoFile, original)

      // Chloé Moreau lives in Le Bourg; her posts are published at once (a member in good standing).
      const chloe = await chloeBrowser.context.newPage()
      await logIn(chloe, vigie.url, "chloe.moreau@example.org")
      await openGazette(chloe, "Le Bourg")
      await chloe.getByRole("list", { name: "Publications de la Gazette" }).waitFor()
      await chloe.getByText("En direct").waitFor()
      await capture(chloe, "70-gazette")

      await chloe.getByRole("link", { name: "Publier dans la Gazette" }).click()
      await chloe.getByRole("heading", { name: "Publier dans la Gazette" }).waitFor()
      await chloe.getByRole("radio", { name: /^Perdu \/ trouvé/ }).check()
      await chloe.getByRole("group", { name: "Vous avez…" }).getByRole("radio", { name: "Perdu" }).check()
      await chloe.getByRole("group", { name: "Il s'agit d'un…" }).getByRole("radio", { name: "Animal" }).check()
      await chloe.getByLabel("Où ?").fill("Rue de l'Église")
      await chloe.getByLabel("Titre").fill(LOST_CAT)
      await chloe.getByLabel("Texte").fill(
        "Caramel, chat roux de 4 ans, sorti hier soir et pas rentré. Il est craintif."
      )
      await chloe.getByLabel("Photos (facultatif)").setInputFiles(photoFile)
      // Sent at once and kept by the server: listed with its button to remove it.
      await chloe.getByRole("list", { name: "Photos jointes" }).getByRole("button", { name: "Retirer IMG_2041.JPG" })
        .waitFor({ timeout: 15_000 })
      await capture(chloe, "71-gazette-publier")
      await chloe.getByRole("button", { name: "Publier", exact: true }).click()

      // Her post's page: its kind, its facts, its photo.
      await chloe.getByRole("heading", { name: LOST_CAT, level: 1 }).waitFor()
      postPath = new URL(chloe.url()).pathname
      expect(postPath).toMatch(/^\/gazette\/[0-9a-f-]{36}$/)
      expect(await chloe.locator("p.headline").innerText()).toBe("Perdu : animal")
      const photo = chloe.getByRole("img", { name: `Photo 1 de « ${LOST_CAT} »` })
      await photo.scrollIntoViewIfNeeded()
      await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
        timeout: 10_000
      }).toBeGreaterThan(0)
      await chloe.getByRole("button", { name: "Marquer « Retrouvé »" }).waitFor()
      await chloe.evaluate(() => window.scrollTo(0, 0))
      await capture(chloe, "72-gazette-publication")

      // The photo as the server serves it, with Chloé's session: re-encoded, no EXIF (no GPS position) left.
      const src = await photo.getAttribute("src")
      expect(src).toMatch(/^\/media\/[0-9a-f-]{36}$/)
      const served = await chloe.request.get(`${vigie.url}${src}`)
      expect(served.status()).toBe(200)
      expect(served.headers()["content-type"]).toMatch(/^image\//)
      const metadata = await sharp(await served.body()).metadata()
      expect(metadata.width).toBeGreaterThan(0)
      expect(metadata.exif).toBeUndefined()
      // Without a session, nobody learns it exists.
      const anonymous = await fetch(`${vigie.url}${src}`)
      expect(anonymous.status).not.toBe(200)
      await chloe.close()
    },
    180_000
  )

  it(
    "a neighbour of Le Bourg sees the post; the mairie's communication to every quartier is pinned in Les Graves",
    async () => {
      expect(postPath).not.toBe("")
      // Hugo Petit, Le Bourg, finds the lost cat in his Gazette and opens it.
      const neighbour = await neighbourBrowser.context.newPage()
      await logIn(neighbour, vigie.url, "hugo.petit@example.org")
      await openGazette(neighbour, "Le Bourg")
      const feed = neighbour.getByRole("list", { name: "Publications de la Gazette" })
      const card = feed.getByRole("article", { name: LOST_CAT })
      await card.waitFor()
      expect(await card.innerText()).toContain("Par Chloé M.")
      expect(await card.innerText()).toContain("1 photo")
      await card.getByRole("link", { name: LOST_CAT }).click()
      await neighbour.getByRole("heading", { name: LOST_CAT, level: 1 }).waitFor()
      expect(new URL(neighbour.url()).pathname).toBe(postPath)
      // Not his post: none of the author's buttons.
      expect(await neighbour.getByRole("button", { name: "Marquer « Retrouvé »" }).count()).toBe(0)
      await logOut(neighbour)

      // Sophie Lacoste, mairie agent, publishes a communication to every quartier, pinned for a week.
      const agent = await staffBrowser.context.newPage()
      await logIn(agent, vigie.url, "sophie.lacoste.staff@example.org")
      await agent.getByRole("link", { name: "Mairie", exact: true }).click()
      await agent.getByRole("link", { name: "Publier une communication dans la Gazette" }).click()
      await agent.getByRole("heading", { name: "Publier une communication dans la Gazette" }).waitFor()
      await agent.getByRole("radio", { name: "Tous les quartiers de la commune" }).check()
      await agent.getByLabel("Titre").fill(COMMUNICATION)
      await agent.getByLabel("Texte").fill(
        "Du lundi au vendredi, la circulation sera alternée entre la mairie et l'école. Merci de votre patience."
      )
      const inAWeek = new Date(Date.now() + 7 * 24 * 3600_000).toISOString().slice(0, 10)
      await agent.getByLabel("Épingler en tête de la Gazette jusqu'au (facultatif)").fill(inAWeek)
      await agent.getByLabel("Titre").focus()
      await agent.evaluate(() => window.scrollTo(0, 0))
      await capture(agent, "73-gazette-mairie")
      await agent.getByRole("button", { name: "Publier la communication" }).click()
      await agent.getByRole("heading", { name: "Communication publiée" }).waitFor()
      await agent.getByText(/paraît dans la Gazette de tous les quartiers de la commune, épinglée jusqu'au/).waitFor()
      await agent.close()

      // Louis Martin lives in Les Graves: the communication is pinned on top of his Gazette, Chloé's cat is not there.
      await logIn(neighbour, vigie.url, "louis.martin@example.org")
      await openGazette(neighbour, "Les Graves")
      await neighbour.getByRole("heading", { name: "Les nouvelles de la mairie", level: 2 }).waitFor()
      const pinned = neighbour.getByRole("list", { name: "Communications épinglées de la mairie" })
        .getByRole("article", { name: COMMUNICATION })
      await pinned.waitFor()
      expect(await pinned.innerText()).toContain("Épinglé")
      expect(await pinned.innerText()).toContain("Communication de la mairie")
      await neighbour.getByRole("list", { name: "Publications de la Gazette" }).waitFor()
      expect(await neighbour.getByRole("article", { name: LOST_CAT }).count()).toBe(0)
      await neighbour.getByText("En direct").waitFor()
      await neighbour.getByRole("heading", { name: "Les nouvelles de la mairie", level: 2 })
        .evaluate((el) => el.scrollIntoView({ block: "start" }))
      await capture(neighbour, "74-gazette-epinglee")
      await logOut(neighbour)
      await neighbour.close()
    },
    180_000
  )

  it("the référent of Le Bourg downloads the printable Gazette from its link; a plain resident may not", async () => {
    // Hugo, a resident of Le Bourg: no print link; the quartier's id from his publish link, and the PDF is refused.
    const page = await neighbourBrowser.context.newPage()
    await logIn(page, vigie.url, "hugo.petit@example.org")
    await openGazette(page, "Le Bourg")
    const href = await page.getByRole("link", { name: "Publier dans la Gazette" }).getAttribute("href")
    const communityId = new URL(href!, vigie.url).searchParams.get("quartier")
    expect(communityId).toMatch(/^[0-9a-f-]{36}$/)
    const pdfPath = `/gazette/quartiers/${communityId}/gazette.pdf`
    expect(await page.getByRole("link", { name: /^Imprimer la Gazette de la semaine/ }).count()).toBe(0)
    expect((await page.request.get(`${vigie.url}${pdfPath}`)).status()).toBe(403)
    await logOut(page)

    // Camille Dubois, référent of Le Bourg: her Gazette links to the week's PDF, downloaded with her session.
    await logIn(page, vigie.url, "camille.dubois@example.org")
    await openGazette(page, "Le Bourg")
    const print = page.getByRole("link", { name: /^Imprimer la Gazette de la semaine/ })
    expect(await print.getAttribute("href")).toBe(pdfPath)
    const response = await page.request.get(`${vigie.url}${pdfPath}`)
    expect(response.status()).toBe(200)
    expect(response.headers()["content-type"]).toBe("application/pdf")
    expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="gazette-\d{4}-\d{2}-\d{2}\.pdf"$/)
    const pdf = await response.body()
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-")
    expect(pdf.length).toBeGreaterThan(1_000)
    await logOut(page)
    await page.close()
  }, 120_000)

  it(
    "a neighbour's comment shows live on Chloé's page; « Retrouvé » e-mails him; he answers her event and takes its .ics; he takes her ride, which she marks « Complet »",
    async () => {
      expect(postPath).not.toBe("")
      const comment = "je l'ai vu rue des Écoles"
      // Chloé keeps her post's page open.
      const chloe = await chloeBrowser.context.newPage()
      await chloe.goto(`${vigie.url}${postPath}`)
      await chloe.getByRole("heading", { name: LOST_CAT, level: 1 }).waitFor()
      await chloe.getByText("Pas encore de commentaire.").waitFor()

      // Hugo comments it.
      const neighbour = await neighbourBrowser.context.newPage()
      await logIn(neighbour, vigie.url, "hugo.petit@example.org")
      await neighbour.goto(`${vigie.url}${postPath}`)
      await neighbour.getByRole("heading", { name: LOST_CAT, level: 1 }).waitFor()
      await neighbour.getByLabel("Votre commentaire").fill(comment)
      await neighbour.getByRole("button", { name: "Publier le commentaire" }).click()
      await neighbour.getByRole("article", { name: "Commentaire de vous" }).getByText(comment).waitFor()

      // Chloé's page, never reloaded, shows it.
      const shown = chloe.getByRole("list", { name: "Commentaires" }).getByRole("article", {
        name: /^Commentaire de Hugo/
      })
      await shown.getByText(comment).waitFor({ timeout: 10_000 })
      await shown.evaluate((el) => el.scrollIntoView({ block: "center" }))
      await capture(chloe, "75-gazette-commentaire")

      // The cat is back: Chloé marks it « Retrouvé », and Hugo, who commented, is told by e-mail.
      await chloe.getByRole("button", { name: "Marquer « Retrouvé »" }).click()
      await chloe.locator("article p.meta .badge.status").getByText("Retrouvé", { exact: true }).waitFor()
      expect(await chloe.getByRole("button", { name: "Marquer « Retrouvé »" }).count()).toBe(0)
      const found = async () =>
        (await devOutbox(vigie.server)).emails.filter((m) =>
          m.recipient === "hugo.petit@example.org" && m.body.includes(`« ${LOST_CAT} »`) && m.body.includes("retrouvé")
        ).length
      await expect.poll(found, { timeout: 20_000, interval: 300 }).toBe(1)
      expect(
        (await devOutbox(vigie.server)).emails.filter((m) =>
          m.recipient === "chloe.moreau@example.org" && m.body.includes("est retrouvé")
        )
      ).toEqual([])

      // Chloé announces an event in three days; Hugo answers « J'y serai » and takes the calendar file.
      const day = new Date(Date.now() + 3 * 24 * 3600_000).toLocaleDateString("sv-SE", { timeZone: "Europe/Paris" })
      const party = "Fête des voisins de la rue de l'Église"
      await chloe.goto(`${vigie.url}/gazette/nouvelle`)
      await chloe.getByRole("heading", { name: "Publier dans la Gazette" }).waitFor()
      await chloe.getByRole("radio", { name: /^Événement/ }).check()
      await chloe.getByLabel("Début (date et heure)").fill(`${day}T18:30`)
      await chloe.getByLabel("Lieu").fill("Place de la Mairie")
      await chloe.getByLabel("Nombre de places (facultatif)").fill("30")
      await chloe.getByLabel("Titre").fill(party)
      await chloe.getByLabel("Texte").fill("Chacun apporte un plat ou une boisson. Tables et chaises fournies.")
      await chloe.getByRole("button", { name: "Publier", exact: true }).click()
      await chloe.getByRole("heading", { name: party, level: 1 }).waitFor()
      const eventPath = new URL(chloe.url()).pathname

      await neighbour.goto(`${vigie.url}${eventPath}`)
      await neighbour.getByRole("heading", { name: "Participerez-vous ?" }).waitFor()
      const going = neighbour.getByRole("group", { name: "Ma réponse" }).getByRole("button", { name: "J'y serai" })
      await going.click()
      await expect.poll(() => going.getAttribute("aria-pressed")).toBe("true")
      await neighbour.getByText(/^Viennent : .*Hugo/).waitFor()
      expect(await neighbour.getByTestId("answers").innerText()).toMatch(/places? restantes?/)
      await neighbour.getByRole("heading", { name: "Participerez-vous ?" })
        .evaluate((el) => el.scrollIntoView({ block: "start" }))
      await capture(neighbour, "76-gazette-evenement")
      const ics = await neighbour.getByRole("link", { name: "Ajouter à mon agenda (.ics)" }).getAttribute("href")
      const calendar = await neighbour.request.get(`${vigie.url}${ics}`)
      expect(calendar.status()).toBe(200)
      expect(calendar.headers()["content-type"]).toMatch(/^text\/calendar/)
      const text = await calendar.text()
      expect(text).toMatch(/^BEGIN:VCALENDAR/)
      expect(text).toContain("BEGIN:VEVENT")
      expect(text.replace(/\r?\n[ \t]/g, "")).toContain("Fête des voisins")

      // Chloé offers a ride; Hugo takes the seat in a comment; she marks it « Complet ».
      const ride = "Bordeaux samedi matin, une place"
      await chloe.goto(`${vigie.url}/gazette/nouvelle`)
      await chloe.getByRole("heading", { name: "Publier dans la Gazette" }).waitFor()
      await chloe.getByRole("radio", { name: /^Covoiturage/ }).check()
      await chloe.getByLabel("Départ", { exact: true }).fill("Place de la Mairie")
      await chloe.getByLabel("Destination").fill("Bordeaux, place des Quinconces")
      await chloe.getByLabel("Date et heure du départ").fill(`${day}T09:00`)
      await chloe.getByLabel("Nombre de places", { exact: true }).fill("1")
      await chloe.getByLabel("Titre").fill(ride)
      await chloe.getByLabel("Texte").fill("Retour vers 13 h. Participation aux frais bienvenue.")
      await chloe.getByRole("button", { name: "Publier", exact: true }).click()
      await chloe.getByRole("heading", { name: ride, level: 1 }).waitFor()
      const ridePath = new URL(chloe.url()).pathname
      await neighbour.goto(`${vigie.url}${ridePath}`)
      await neighbour.getByRole("heading", { name: ride, level: 1 }).waitFor()
      await neighbour.getByLabel("Votre commentaire").fill("Je prends la place, merci !")
      await neighbour.getByRole("button", { name: "Publier le commentaire" }).click()
      await chloe.getByRole("list", { name: "Commentaires" }).getByText("Je prends la place, merci !").waitFor()
      await chloe.getByRole("button", { name: "Marquer « Complet »" }).click()
      await chloe.locator("article p.meta .badge.status").getByText("Complet", { exact: true }).waitFor()
      await neighbour.locator("article p.meta .badge.status").getByText("Complet", { exact: true }).waitFor()

      await logOut(neighbour)
      await neighbour.close()
      await chloe.close()
    },
    180_000
  )
})
