import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { request } from "node:http"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, inject, it } from "vitest"
import * as ServerBundle from "../support/ServerBundle"

const root = resolve(import.meta.dirname, "../../../..")
const dataDir = mkdtempSync(join(tmpdir(), "vigie-start-"))

interface Started {
  readonly child: ChildProcess
  readonly url: string
  readonly output: () => string
  readonly exit: Promise<number | null>
  readonly millis: number
}

/**
 * `node --enable-source-maps dist/main.js start` as `npm start` runs it after its build (this run's
 * compiled server: ServerBundle), on a free port and a temporary data directory.
 */
const start = (): Promise<Started> => {
  const began = performance.now()
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", VIGIE_DATA_DIR: dataDir, VIGIE_ENV: "development",
    UI_DIR: ServerBundle.uiDir }
  delete env["DATABASE_URL"]
  delete env["PUBLIC_URL"]
  const child = spawn(process.execPath, ["--enable-source-maps", inject(ServerBundle.injectKey), "start"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`not serving after 60 s:\n${output}`)), 60_000)
    const check = () => {
      const found = /Vigie is serving on (http:\/\/localhost:\d+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        child.stdout!.off("data", check)
        done({ child, url: found[1]!, output: () => output, exit, millis: performance.now() - began })
      }
    }
    child.stdout!.on("data", check)
    void exit.then((code) => fail(new Error(`exited with ${code}:\n${output}`)))
  })
}

interface Reply {
  readonly status: number
  readonly cookies: ReadonlyArray<string>
  readonly body: string
}

/** One request with node:http; `sent` resolves once the whole request is on the wire. */
const send = (url: string, path: string, body?: string, cookie?: string) => {
  let markSent: () => void = () => {}
  const sent = new Promise<void>((r) => (markSent = r))
  const reply = new Promise<Reply>((done, fail) => {
    const req = request(new URL(path, url), {
      method: body === undefined ? "GET" : "POST",
      headers: {
        origin: url,
        "x-vigie-rpc": "1",
        "content-type": "application/ndjson",
        ...(cookie === undefined ? {} : { cookie })
      }
    }, (res) => {
      let text = ""
      res.on("data", (c: Buffer) => (text += c.toString()))
      res.on("end", () => done({ status: res.statusCode!, cookies: res.headers["set-cookie"] ?? [], body: text }))
      res.on("error", fail)
    })
    req.on("error", fail)
    req.end(body, markSent)
  })
  return { sent, reply }
}

const rpc = (tag: string, payload: unknown, id = "1") =>
  JSON.stringify({ _tag: "Request", id, tag, payload, headers: [] }) + "\n"
const logIn = (email: string) => rpc("LogIn", { email, password: "voisins-vigilants-2026" })

const waitReady = async (url: string) => {
  for (let i = 0; i < 100; i++) {
    if ((await send(url, "/readyz").reply).status === 200) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error("never ready")
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe("npm start (the real process)", () => {
  let session = ""

  it(
    "migrates, seeds, prints the logins, the URL and the dev inbox; SIGTERM lets in-flight requests finish and exits 0",
    async () => {
      const first = await start()
      try {
        const out = first.output()
        expect(out).toMatch(/Migrations applied: /)
        expect(out).toMatch(/Demo town seeded: Cadaujac/)
        expect(out).toMatch(/Demo logins \(password for all: voisins-vigilants-2026\)/)
        expect(out).toMatch(/agent mairie .*@example\.org/)
        expect(out).toMatch(/police municipale .*@example\.org/)
        expect(out).toMatch(/add the TOTP secret VIGIEDEMOSTAFFTOTPVIGIEDEMOSTAFF/)
        expect(out).toContain(`Dev inbox (SMS, e-mails, activation letters): ${first.url}/dev`)
        await waitReady(first.url)

        const login = await send(first.url, "/rpc", logIn("hugo.petit@example.org")).reply
        session = login.cookies[0]!.split(";")[0]!
        // A live stream stays open until shutdown; logins (Argon2id) are in flight when SIGTERM comes.
        const stream = send(first.url, "/rpc", rpc("WatchLiveEvents", {}), session)
        await stream.sent
        const logins = ["lea.durand@example.org", "gabriel.leroy@example.org", "camille.dubois@example.org",
          "louis.martin@example.org"]
          .map((email) => send(first.url, "/rpc", logIn(email)))
        await Promise.all(logins.map((l) => l.sent))
        await new Promise((r) => setTimeout(r, 10))
        first.child.kill("SIGTERM")

        for (const l of logins) {
          const reply = await l.reply
          expect(reply.status).toBe(200)
          expect(reply.body).toContain("\"_tag\":\"Success\"")
          expect(reply.cookies[0]).toMatch(/^vigie_session=/)
        }
        const ended = await stream.reply
        expect(ended.status).toBe(200)
        expect(ended.body).toContain("\"_tag\":\"Exit\"")
        expect(await first.exit).toBe(0)
        expect(first.output()).toContain("Vigie stopped: requests finished, database closed.")
      } finally {
        first.child.kill("SIGKILL")
      }
      console.info(`first start: serving after ${Math.round(first.millis)} ms`)
    },
    120_000
  )

  it(
    "starts again on the same data: nothing migrated or seeded again, the session still valid; Ctrl-C exits 0",
    async () => {
      const second = await start()
      try {
        const out = second.output()
        expect(out).toContain("Database up to date.")
        expect(out).toMatch(/Demo town already there: .* data reused\./)
        expect(out).toMatch(/Demo logins/)
        await waitReady(second.url)
        const me = await send(second.url, "/rpc", rpc("WhoAmI", {}), session).reply
        expect(me.body).toContain("hugo.petit@example.org")
        second.child.kill("SIGINT")
        expect(await second.exit).toBe(0)
      } finally {
        second.child.kill("SIGKILL")
      }
      console.info(`second start: serving after ${Math.round(second.millis)} ms`)
    },
    120_000
  )
})
