// @vitest-environment node
/**
 * Several processes, one database, seen in a real browser (issue 18, item 3): two `serve` processes and
 * a `worker` in production on a fresh database of the real PostgreSQL server (the demo town seeded by
 * the `seed` command), behind the test proxy of packages/app/test/support/Processes.ts. A neighbour's
 * page in Chromium is served by B alone (the proxy's backend header, set on every request of the
 * browser); an alert posted through A (the RPC, as the node suite does) shows up on that page without
 * a reload, through B's live stream.
 *
 * Production wants an https PUBLIC_URL (the RPC accepts only its Origin; the session cookie is
 * `__Host-` and Secure): the proxy answers https on PUBLIC_URL's own port with a certificate made by
 * openssl for this run, which this Chromium is told to accept; the test's own RPC calls stay plain HTTP
 * on the same port. Needs DATABASE_URL (other processes cannot share an embedded database) and
 * Chromium: skipped with the reason otherwise (CI refuses to run without them, vitest.setup.ts).
 */
import { postgres, postgresSkipReason } from "@vigie/adapters/test/support/TestDatabase"
import { DEMO_PASSWORD } from "@vigie/app/seed/DemoTown"
import * as Processes from "@vigie/app/test/support/Processes"
import { Effect, Exit, Layer, Scope } from "effect"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type Browser, ensureUi, CHROMIUM, hasChromium, keepFailedPages, launchChromium, uiDist } from "./Harness.js"

const adminUrl = process.env["DATABASE_URL"]
const skipReason = !hasChromium
  ? `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set VIGIE_CHROMIUM)`
  : postgresSkipReason
if (skipReason !== undefined) {
  console.warn(`\n[vigie] Several processes in Chromium SKIPPED: ${skipReason}. CI never skips it.\n`)
}

interface Neighbours {
  /** Posts through A: a demo resident who has posted before (not held for review). */
  readonly author: { readonly email: string; readonly communityId: string }
  /** Reads on B: a neighbour of the same quartier. */
  readonly reader: { readonly email: string }
}

describe.skipIf(skipReason !== undefined)("several processes in Chromium [postgres]", () => {
  const scope = Effect.runSync(Scope.make())
  let platform: Processes.Platform
  let neighbours: Neighbours
  let browser: Browser | undefined

  beforeAll(async () => {
    const tls = await Processes.selfSignedCertificate()
    // Built first: production refuses to start without the web app's index.html (UI_DIR).
    await ensureUi()
    const [started] = await Promise.all([
      Effect.runPromise(
        Effect.gen(function*() {
          const database = yield* Layer.buildWithScope(postgres(adminUrl!).layer, scope)
          return yield* Effect.gen(function*() {
            const databaseUrl = yield* Processes.currentDatabaseUrl(adminUrl!)
            const running = yield* Processes.platform({
              databaseUrl,
              serves: 2,
              workers: 1,
              seedDemoTown: true,
              tls,
              uiDir: uiDist
            })
              .pipe(Scope.extend(scope))
            const neighbours = yield* Processes.demoNeighbours
            return { running, neighbours }
          }).pipe(Effect.provide(database), Effect.orDie)
        })
      )
    ])
    platform = started.running
    neighbours = started.neighbours
    browser = await launchChromium({ ignoreHTTPSErrors: true })
  }, 180_000)

  afterEach((context) => keepFailedPages(context, [browser], "several-processes"))

  afterAll(async () => {
    await browser?.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }, 60_000)

  /** One RPC call over plain HTTP through the proxy to `backend`, as a page of the site sends it. */
  const rpc = async (backend: number, tag: string, payload: unknown, cookie?: string) => {
    const response = await fetch(`${platform.proxy.url}/rpc`, {
      method: "POST",
      headers: {
        origin: platform.publicUrl.origin,
        "x-vigie-rpc": "1",
        "content-type": "application/ndjson",
        [Processes.BACKEND_HEADER]: String(backend),
        ...(cookie === undefined ? {} : { cookie })
      },
      body: JSON.stringify({ _tag: "Request", id: "1", tag, payload, headers: [] }) + "\n"
    })
    const lines = (await response.text()).split("\n").filter((l) => l.trim() !== "").map((l) =>
      JSON.parse(l) as { _tag: string; exit?: { _tag: string; value?: unknown } }
    )
    const exit = lines.find((l) => l._tag === "Exit")?.exit
    if (exit?._tag !== "Success") throw new Error(`${tag} through backend ${backend}: ${JSON.stringify(lines)}`)
    return { value: exit.value, cookie: response.headers.getSetCookie()[0]?.split(";")[0] }
  }

  it("an alert posted through serve A appears, without a reload, on a neighbour's page served by serve B", async () => {
    const { proxy, publicUrl } = platform
    const { author, reader } = neighbours
    // Every request of this browser goes to serve B (backend 1).
    await browser!.context.setExtraHTTPHeaders({ [Processes.BACKEND_HEADER]: "1" })
    const page = await browser!.context.newPage()
    const watching = page.waitForRequest((r) =>
      r.url().endsWith("/rpc") && (r.postData() ?? "").includes("WatchLiveEvents")
    )

    await page.goto(`${publicUrl.origin}/connexion`)
    await page.getByLabel("Adresse e-mail").fill(reader.email)
    await page.getByLabel("Mot de passe").fill(DEMO_PASSWORD)
    await page.getByRole("button", { name: "Se connecter" }).click()
    await page.getByRole("heading", { name: "Alertes de mes quartiers" }).waitFor()
    // Production's session cookie: __Host- and Secure, set over the proxy's https.
    const cookies = await browser!.context.cookies(publicUrl.origin)
    expect(cookies.find((c) => c.name === "__Host-vigie_session")?.secure).toBe(true)
    await watching
    await page.getByText("En direct").waitFor()
    // The stream sends nothing before the first event: leave B a moment to check the session and
    // subscribe (a live event is told to those listening when it happens, never replayed).
    await page.waitForTimeout(1_000)
    // A mark on the page's window: still there at the end means the page was never reloaded.
    await page.evaluate(() => Object.assign(globalThis, { vigieSamePage: true }))
    const feedUrl = page.url()

    const text = "Deux individus essaient les poignées des voitures rue des Écoles, je les vois depuis ma fenêtre"
    const signedIn = await rpc(0, "LogIn", { email: author.email, password: DEMO_PASSWORD })
    expect(signedIn.cookie).toBeDefined()
    const posted = await rpc(0, "PostAlert", {
      scope: { _tag: "Community", communityId: author.communityId },
      category: "suspicious_vehicle",
      urgency: "info",
      text,
      sharedWithAuthorities: false
    }, signedIn.cookie)
    expect((posted.value as { status: string }).status).toBe("published")

    // B's open page shows it, through its live stream.
    const feed = page.getByRole("list", { name: "Alertes" })
    await feed.getByRole("listitem").filter({ hasText: text }).waitFor({ timeout: 15_000 })
    expect(page.url()).toBe(feedUrl)
    expect(await page.evaluate(() => (globalThis as { vigieSamePage?: boolean }).vigieSamePage)).toBe(true)

    // The proxy's log: the browser (https) reached B alone, for the page, its files and its RPC calls;
    // the test's calls (plain HTTP: the log-in and the post) reached A alone.
    const served = proxy.served()
    const fromBrowser = served.filter((s) => s.tls)
    const fromTest = served.filter((s) => !s.tls)
    expect(fromBrowser.map((s) => s.backend)).toEqual(fromBrowser.map(() => 1))
    expect(fromBrowser.some((s) => s.path === "/connexion")).toBe(true)
    expect(fromBrowser.some((s) => s.path.startsWith("/assets/"))).toBe(true)
    expect(fromBrowser.filter((s) => s.path === "/rpc").length).toBeGreaterThanOrEqual(3)
    expect(fromTest).toEqual([{ backend: 0, path: "/rpc", tls: false }, { backend: 0, path: "/rpc", tls: false }])
    console.info(
      `[several processes in Chromium] ${fromBrowser.length} browser requests, all to serve B ` +
        `(${fromBrowser.filter((s) => s.path === "/rpc").length} RPC); the log-in and the post to serve A`
    )
  }, 60_000)
})
