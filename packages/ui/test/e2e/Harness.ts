import { spawn, type ChildProcess } from "node:child_process"
import { existsSync } from "node:fs"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as OTPAuth from "otpauth"
import { buildUi } from "./BuildUi.js"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, inject } from "vitest"

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url))

/** Whether the journeys rewrite docs/screenshots: only when asked (UPDATE_SCREENSHOTS=1), never as a side effect of `npm test`. */
export const updateScreenshots = process.env["UPDATE_SCREENSHOTS"] === "1"
const screenshots = join(repoRoot, "docs/screenshots")

/**
 * The current screen at phone (390×844: what the screen shows, the tab bar fixed at the bottom) and
 * desktop (1280×800: the whole page) widths, into docs/screenshots/NAME-phone.png and -desktop.png,
 * when UPDATE_SCREENSHOTS=1; nothing otherwise. The page is left at the phone width either way.
 */
export const capture = async (page: Page, name: string) => {
  if (!updateScreenshots) return
  await mkdir(screenshots, { recursive: true })
  for (
    const [suffix, size] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 800 }]] as const
  ) {
    await page.setViewportSize(size)
    await page.waitForTimeout(150)
    await page.screenshot({ path: join(screenshots, `${name}-${suffix}.png`), fullPage: suffix === "desktop",
      animations: "disabled" })
  }
  await page.setViewportSize({ width: 390, height: 844 })
}
export const uiDist = join(repoRoot, "packages/ui/dist")

/** Debian's Chromium (CI installs the `chromium` package; never `npx playwright install`). */
export const CHROMIUM = process.env["VIGIE_CHROMIUM"] ?? "/usr/bin/chromium"
export const hasChromium = existsSync(CHROMIUM)

/** The flags of STACK-NOTES; the fresh --user-data-dir is given by launchPersistentContext. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--lang=fr-FR"
]

export interface Browser {
  readonly context: BrowserContext
  readonly close: () => Promise<void>
}

export interface LaunchOptions {
  /** Accepts the test's self-signed certificate (a proxy speaking https at an https PUBLIC_URL). */
  readonly ignoreHTTPSErrors?: boolean
}

/** Headless Chromium on a fresh profile, in French, Paris time. */
export const launchChromium = async (options: LaunchOptions = {}): Promise<Browser> => {
  const profile = await mkdtemp(join(tmpdir(), "vigie-chromium-"))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    ignoreHTTPSErrors: options.ignoreHTTPSErrors === true,
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 390, height: 844 }
  })
  return {
    context,
    close: async () => {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    }
  }
}

/** What a journey file runs against: the platform, built and started once, and its own Chromium instances. */
export interface JourneySetup {
  vigie: Vigie
  readonly browsers: Array<Browser>
}

/**
 * Inside a journey file's describe: builds the web app, starts the platform and `browsers` Chromium
 * instances before the first journey, keeps what the pages showed when a step fails (under `label`),
 * and stops everything after the last.
 */
export const journeySetup = (label: string, browsers = 1): JourneySetup => {
  const setup: JourneySetup = { vigie: undefined as unknown as Vigie, browsers: [] }
  beforeAll(async () => {
    await ensureUi()
    setup.vigie = await startVigie()
    for (let i = 0; i < browsers; i++) setup.browsers.push(await launchChromium())
  }, 240_000)
  afterEach(async (context) => {
    await keepFailedPages(context, setup.browsers, label)
    if (context.task.result?.state === "fail" && setup.vigie !== undefined) await probeServer(setup.vigie.server)
  })
  afterAll(async () => {
    for (const browser of [...setup.browsers].reverse()) await browser.close()
    if (setup.vigie !== undefined) await keepOutbox(setup.vigie.server, label)
    await setup.vigie?.stop()
  }, 60_000)
  return setup
}

/**
 * When a journey step failed: keeps what each open page of `browsers` showed, a screenshot (in the
 * temp dir's vigie-e2e-failures) and its text on stderr.
 */
export const keepFailedPages = async (
  context: { readonly task: { readonly result?: { readonly state?: string } | undefined } },
  browsers: ReadonlyArray<Browser | undefined>,
  prefix: string
) => {
  if (context.task.result?.state !== "fail") return
  const dir = join(tmpdir(), "vigie-e2e-failures")
  await mkdir(dir, { recursive: true })
  for (const b of browsers) {
    for (const [i, page] of (b?.context.pages() ?? []).entries()) {
      const file = join(dir, `${prefix}-${Date.now()}-${i}.png`)
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined)
      const text = await page.locator("body").innerText({ timeout: 2_000 }).catch(() => "(no text)")
      console.error(`[e2e] page ${i} at ${page.url()} (screenshot ${file}):\n${text.slice(0, 2000)}`)
      // The same address loaded afresh: whether the server had the state the page did not show.
      if (page.url().startsWith("http")) {
        await page.reload({ timeout: 10_000 }).catch(() => undefined)
        await page.waitForTimeout(2_000)
        const fresh = await page.locator("body").innerText({ timeout: 2_000 }).catch(() => "(no text)")
        console.error(`[e2e] page ${i} reloaded:\n${fresh.slice(0, 2000)}`)
      }
    }
  }
}

/** After a failed step: whether the server still answers /healthz (its event loop) and /readyz (its database). */
const probeServer = async (server: string) => {
  for (const path of ["/healthz", "/readyz"]) {
    const started = Date.now()
    const answer = await fetch(`${server}${path}`, { signal: AbortSignal.timeout(5_000) }).then(
      async (response) => `${response.status} ${(await response.text()).slice(0, 200)}`,
      (error: unknown) => `no answer (${String(error)})`
    )
    console.error(`[e2e] ${path} after the failure: ${answer} in ${Date.now() - started} ms`)
  }
}

/** What a resident writes in the alert form: the category and urgency as their button labels say them. */
export interface AlertForm {
  readonly category: string
  readonly urgency: "Urgent" | "Information"
  readonly text: string
  readonly shared?: boolean
}

/** Opens the alert form, fills it and presses "Continuer" (the 17/18/15 step or the warning comes next). */
export const fillAlert = async (page: Page, form: AlertForm) => {
  await page.getByRole("link", { name: "Signaler quelque chose" }).click()
  await page.getByRole("radio", { name: form.category }).check()
  await page.getByRole("radio", { name: new RegExp(`^${form.urgency}`) }).check()
  await page.getByLabel("Ce que vous avez vu").fill(form.text)
  if (form.shared === true) await page.getByLabel("Partager avec la mairie et la police municipale").check()
  await page.getByRole("button", { name: "Continuer" }).click()
}

/** Posts an alert through the form and waits for its page; returns its path (/alertes/<id>). */
export const postAlert = async (page: Page, form: AlertForm) => {
  await fillAlert(page, form)
  await page.getByRole("button", { name: "Envoyer l'alerte" }).click()
  await page.getByRole("heading", { name: form.category }).waitFor()
  return new URL(page.url()).pathname
}

export { buildUi }

/** Whether the e2e global setup (BuildOnce.ts) already built packages/ui/dist for this run. */
const builtForRun = (): boolean => {
  try {
    return inject("vigieUiBuilt")
  } catch {
    return false
  }
}

/** packages/ui/dist for a journey: built once per e2e run by its global setup, else built here. */
export const ensureUi = async (): Promise<void> => {
  if (!builtForRun()) await buildUi()
}

export interface Vigie {
  /** Where the browser goes: the app server itself, or a front serving the UI when the server does not yet. */
  readonly url: string
  /** The app server (dev inbox: `${server}/dev/outbox`). */
  readonly server: string
  readonly output: () => string
  readonly stop: () => Promise<void>
}

/** How the app server is started; point `command` elsewhere if the entry point moves. */
export interface StartOptions {
  readonly command?: ReadonlyArray<string>
  readonly timeoutMs?: number
}

/**
 * Starts the real platform as `npm start` does (migrate, seed the demo town, serve), on port 0 and
 * embedded PGlite in a fresh temporary directory, in development (outbox SMS / e-mail, dev inbox).
 * The server serves the built web app itself (UI_DIR); one that does not is an error here.
 */
export const startVigie = async (options: StartOptions = {}): Promise<Vigie> => {
  const dataDir = await mkdtemp(join(tmpdir(), "vigie-e2e-"))
  // VIGIE_E2E_BUNDLE=<dist/main.js of `npm run build`>: the journeys against the compiled server instead
  // (README, « Tests »: under load, some journeys then find a stale page; not yet explained).
  const [command, ...args] = options.command ??
    (process.env["VIGIE_E2E_BUNDLE"] !== undefined
      ? ["node", "--enable-source-maps", process.env["VIGIE_E2E_BUNDLE"], "start"]
      : [join(repoRoot, "node_modules/.bin/tsx"), "packages/app/src/main.ts", "start"])
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", VIGIE_DATA_DIR: dataDir, VIGIE_ENV: "development" }
  for (const name of ["DATABASE_URL", "PUBLIC_URL", "SMS_PROVIDER", "EMAIL_PROVIDER", "TILE_URL"]) delete env[name]
  const child: ChildProcess = spawn(command!, args, { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  const server = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the app server did not start in time:\n${output}`)),
      options.timeoutMs ?? 120_000
    )
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /serving on (https?:\/\/[^\s(]+)/.exec(output)
      if (match !== null) {
        clearTimeout(timer)
        resolve(match[1]!.replace(/[./]+$/, ""))
      }
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`the app server exited (${code}) before serving:\n${output}`))
    })
  })

  const home = await fetch(`${server}/`).catch(() => undefined)
  const servesUi = home !== undefined && home.ok && (home.headers.get("content-type") ?? "").startsWith("text/html")
  if (!servesUi) {
    child.kill("SIGKILL")
    throw new Error(`the app server at ${server} does not serve the web app at / (UI_DIR?):\n${output}`)
  }

  return {
    url: server,
    server,
    output: () => output,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGTERM")
        setTimeout(() => child.kill("SIGKILL"), 15_000).unref()
      })
      await rm(dataDir, { recursive: true, force: true })
    }
  }
}

/**
 * With VIGIE_E2E_OUTBOX_DIR set, writes what the journeys of `label` sent (the dev inbox, with ids,
 * codes, tokens and times replaced by placeholders) to `<dir>/<label>.json`: two runs, before and
 * after a refactoring, are then compared with `diff -r` (the same messages, to the same people).
 */
const keepOutbox = async (server: string, label: string): Promise<void> => {
  const dir = process.env["VIGIE_E2E_OUTBOX_DIR"]
  if (dir === undefined || dir === "") return
  const stable = (text: string) =>
    text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
      .replace(/([?&](?:jeton|token|code)=)[^&\s"<]+/g, "$1<token>")
      .replace(/\/a\/[A-Za-z0-9_-]+/g, "/a/<short>")
      .replace(/https?:\/\/(?:127\.0\.0\.1|localhost):[0-9]+/g, "<site>")
      .replace(/\b[0-9]{1,2}[:h][0-9]{2}\b/g, "<time>")
      .replace(/\b[0-9]{6}\b/g, "<code>")
      .replace(/\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}\b/g, "<letter-code>")
      .replace(/\/invitation#[A-Za-z0-9_-]+/g, "/invitation#<token>")
  const outbox = await devOutbox(server).catch(() => undefined)
  if (outbox === undefined) return
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, `${label}.json`), stable(JSON.stringify(outbox, null, 2)) + "\n")
}

/** The dev inbox's JSON (development only). */
export const devOutbox = async (server: string) =>
  (await (await fetch(`${server}/dev/outbox`)).json()) as {
    readonly sms: ReadonlyArray<{ readonly recipient: string; readonly text: string }>
    readonly emails: ReadonlyArray<{ readonly recipient: string; readonly subject: string; readonly body: string }>
    readonly letters: ReadonlyArray<
      { readonly recipient: string; readonly address: ReadonlyArray<string>; readonly code: string | null }
    >
  }

/** The TOTP secret the demo seed enrols the demo staff with (packages/app/src/seed/DemoTown.ts). */
export const DEMO_TOTP_SECRET = "VIGIEDEMOSTAFFTOTPVIGIEDEMOSTAFF"

const lastSteps = new Map<string, number>()

/**
 * The code an authenticator app shows for `secret`, never one of a 30-second step already used for
 * `who` (the server refuses a replay): the current step, else the next one, else it waits.
 */
export const totpCode = async (secret: string, who: string): Promise<string> => {
  const totp = new OTPAuth.TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) })
  for (;;) {
    const current = Math.floor(Date.now() / 30_000)
    const step = Math.max(current, (lastSteps.get(who) ?? 0) + 1)
    if (step <= current + 1) {
      lastSteps.set(who, step)
      return totp.generate({ timestamp: step * 30_000 })
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000))
  }
}

/** The second step of a staff log-in: the app's code (or a recovery code) after the password. */
export const secondStep = async (page: Page, code: string) => {
  await page.getByRole("heading", { name: "Code de vérification" }).waitFor()
  await page.getByLabel("Code de l'application ou code de secours").fill(code)
  await page.getByRole("button", { name: "Valider le code" }).click()
}

/** The demo staff (e-mails ending in .staff@example.org) sign in with the demo TOTP secret. */
export const demoStaffSecondStep = async (page: Page, email: string) => {
  if (email.endsWith(".staff@example.org")) await secondStep(page, await totpCode(DEMO_TOTP_SECRET, email))
}
