/**
 * The compiled server as the image runs it: scripts/build-server.mjs bundles packages/app into dist/main.js,
 * and `node dist/main.js serve` serves the web app (UI_DIR) and answers /readyz on the embedded database.
 * The web app itself is not built here (vite takes too long for a test): UI_DIR points at a small page.
 */
import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  buildServer,
  packageName,
  root,
  runtimeDependencies,
  unavailableImports
} from "../../../../scripts/build-server.mjs"

const main = join(root, "dist/main.js")

interface Run {
  readonly output: () => string
  readonly exit: Promise<number | null>
  readonly stop: () => Promise<number | null>
}

const run = (args: ReadonlyArray<string>, env: Record<string, string>): Run => {
  const base: NodeJS.ProcessEnv = { ...process.env }
  for (const name of ["DATABASE_URL", "PUBLIC_URL", "UI_DIR", "VIGIE_ENV", "PORT", "VIGIE_SECRET_KEY"]) {
    delete base[name]
  }
  // Started from another directory: nothing may depend on the working directory but VIGIE_DATA_DIR.
  const child = spawn(process.execPath, ["--enable-source-maps", main, ...args], {
    cwd: tmpdir(),
    env: { ...base, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
  return { output: () => output, exit, stop: () => (child.kill("SIGTERM"), exit) }
}

const until = async (what: string, run: Run, found: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 45_000
  let exited = false
  void run.exit.then(() => (exited = true))
  while (!(await found())) {
    if (exited || Date.now() > deadline) {
      throw new Error(`${what}: not seen${exited ? " (exited)" : ""}:\n${run.output()}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => done(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

const get = async (url: string) => {
  try {
    const response = await fetch(url)
    return { status: response.status, body: await response.text() }
  } catch {
    return { status: 0, body: "" }
  }
}

let imports: Awaited<ReturnType<typeof buildServer>>["imports"] = []

beforeAll(async () => {
  // The same build as `npm run build` (it also fails when the bundle imports a dev dependency).
  imports = (await buildServer()).imports
}, 60_000)

describe("the bundle's imports", () => {
  it("imports only Node built-ins and the runtime dependencies of app, adapters and domain", () => {
    const allowed = runtimeDependencies()
    expect(unavailableImports(imports, readFileSync(main, "utf8"), allowed)).toStrictEqual([])
    // Our workspace packages are inlined, and the server's main dependencies stay external.
    expect(imports.some((i) => i.path.startsWith("@vigie/"))).toBe(false)
    expect(imports.map((i) => packageName(i.path))).toEqual(expect.arrayContaining(["effect", "@effect/sql-pg"]))
  })

  it("names a dev dependency or an undeclared package the bundle would import", () => {
    const allowed = runtimeDependencies()
    expect(allowed.has("vitest") || allowed.has("tsx") || allowed.has("vite")).toBe(false)
    const wrong = [{ path: "vitest/config", kind: "import-statement", external: true }, { path: "effect",
      kind: "import-statement", external: true }, { path: "node:fs", kind: "import-statement", external: true }]
    expect(unavailableImports(wrong, "createRequire(import.meta.url).resolve(\"tsx/esm\")", allowed))
      .toStrictEqual(["tsx", "vitest"])
  })
})

describe("node dist/main.js", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vigie-bundle-"))
  const uiDir = mkdtempSync(join(tmpdir(), "vigie-ui-"))
  writeFileSync(
    join(uiDir, "index.html"),
    "<!doctype html><html><head><title>Vigie</title></head><body>bundle-fixture</body></html>"
  )
  const production = {
    VIGIE_ENV: "production",
    PUBLIC_URL: "https://vigie.example",
    VIGIE_SECRET_KEY: "ab".repeat(32),
    VIGIE_DATA_DIR: dataDir
  }
  const runs: Array<Run> = []
  afterAll(() => Promise.all(runs.map((r) => r.stop())))

  it("migrates, then serves the web app of UI_DIR and is ready on the embedded database", async () => {
    const migrate = run(["migrate"], production)
    expect(await migrate.exit, migrate.output()).toBe(0)
    const port = await freePort()
    const serve = run(["serve"], { ...production, PORT: String(port), UI_DIR: uiDir })
    runs.push(serve)
    const url = `http://127.0.0.1:${port}`
    await until("/readyz 200", serve, async () => (await get(`${url}/readyz`)).status === 200)
    const page = await get(`${url}/`)
    expect(page.status).toBe(200)
    expect(page.body).toContain("bundle-fixture")
    // A client route gets the same page; a server path does not.
    expect((await get(`${url}/alertes`)).body).toContain("bundle-fixture")
    expect((await get(`${url}/healthz`)).status).toBe(200)
    expect(serve.output()).toContain(`Web app: ${uiDir}`)
  }, 90_000)

  it("refuses to start in production when UI_DIR holds no built web app", async () => {
    const empty = mkdtempSync(join(tmpdir(), "vigie-noui-"))
    const serve = run(["serve"], { ...production, PORT: String(await freePort()), UI_DIR: empty })
    runs.push(serve)
    expect(await serve.exit).toBe(1)
    expect(serve.output()).toContain(`UI_DIR: no index.html in ${empty}`)
  }, 60_000)

  it("looks for the web app in packages/ui/dist of the checkout by default", async () => {
    const serve = run(["serve"], {
      VIGIE_ENV: "development",
      PORT: "0",
      VIGIE_DATA_DIR: mkdtempSync(join(tmpdir(), "vigie-bundle-dev-"))
    })
    runs.push(serve)
    const expected = join(root, "packages/ui/dist/")
    await until("the web app's folder", serve, () => /Web app: |UI_DIR: no index\.html in /.test(serve.output()))
    const named = /(?:Web app: |UI_DIR: no index\.html in )(\S+?)(?::|\s|$)/.exec(serve.output())?.[1]
    expect(named).toBe(expected)
  }, 60_000)
})
