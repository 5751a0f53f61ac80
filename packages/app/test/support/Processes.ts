/**
 * Real Vigie processes for tests on a real PostgreSQL server: `serve`, `worker` and one-shot commands
 * (`migrate`, `seed`) spawned as the operator runs them, a small reverse proxy in front of the `serve`
 * processes, and what a test needs around them (free ports, a fresh database, readiness). Used by
 * the several-processes tests (issue 18, item 3); the processes are SIGKILLed when their scope closes.
 */
import { spawn } from "node:child_process"
import type { ChildProcess } from "node:child_process"
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, request as httpRequest } from "node:http"
import type { IncomingMessage, ServerResponse } from "node:http"
import { createServer as createHttpsServer } from "node:https"
import type { AddressInfo, Socket } from "node:net"
import { createServer as createNetServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { NodeHttpClient } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import * as FakePlivo from "@vigie/adapters/test/support/fakes/FakePlivo"
import type { CommunityId } from "@vigie/domain/communities/Community"
import type { Email } from "@vigie/domain/shared/Text"
import { Effect, Layer } from "effect"
import type { Scope } from "effect"
import { inject } from "vitest"
import * as ServerBundle from "./ServerBundle"

export const root = fileURLToPath(new URL("../../../../", import.meta.url))

/**
 * The command line of the platform: this run's compiled server (ServerBundle, built by the project's
 * global setup), with the test's guard against orphans (DieWithParent).
 */
const command = (): ReadonlyArray<string> => {
  const main = inject(ServerBundle.injectKey)
  if (typeof main !== "string" || main === "") {
    throw new Error("no compiled server for this run: the project's global setup builds it (ServerBundle.build)")
  }
  return ["--enable-source-maps", "--import", "./packages/app/test/support/DieWithParent.mjs", main]
}

/** A free TCP port on 127.0.0.1 (asked of the system, then released for the process to take). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createNetServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })

/** One spawned Vigie process: its output so far, its exit, and the settings to start it again. */
export interface AppProcess {
  readonly name: string
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
  readonly child: ChildProcess
  readonly output: () => string
  readonly exited: Promise<number | null>
  /** Whether it still runs. */
  readonly running: () => boolean
}

export interface ProcessSpec {
  /** For messages: "serve A", "worker". */
  readonly name: string
  /** The command and its arguments: ["serve"], ["worker"], ["migrate"]. */
  readonly args: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string>>
}

/**
 * Every child still running, SIGKILLed when this process exits: a test that times out may never
 * close its scope, and its servers must not outlive it.
 */
const children = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL")
})

/**
 * Spawns the compiled server, `node main.js ...args`, with exactly `env` (and PATH, and the checkout's
 * web app as UI_DIR unless `env` names one).
 */
export const spawnApp = (spec: ProcessSpec): AppProcess => {
  let output = ""
  const child = spawn(process.execPath, [...command(), ...spec.args], {
    cwd: root,
    env: { PATH: process.env["PATH"] ?? "", UI_DIR: ServerBundle.uiDir, ...spec.env },
    // stdin: a pipe the child watches (DieWithParent); it ends when this process dies.
    stdio: ["pipe", "pipe", "pipe"]
  })
  child.stdout!.on("data", (b: Buffer) => (output += b.toString()))
  child.stderr!.on("data", (b: Buffer) => (output += b.toString()))
  children.add(child)
  const exited = new Promise<number | null>((done) =>
    child.once("exit", (code) => {
      children.delete(child)
      done(code)
    })
  )
  let alive = true
  void exited.then(() => (alive = false))
  return { ...spec, child, output: () => output, exited, running: () => alive }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Resolves once `ready` holds, fails with the process's output when it exits first or after `timeoutMs`. */
const waitUntil = async (p: AppProcess, ready: () => boolean | Promise<boolean>, what: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!p.running()) throw new Error(`${p.name} exited before ${what}:\n${p.output().slice(-4000)}`)
    if (await ready()) return
    await sleep(50)
  }
  throw new Error(`${p.name}: not ${what} after ${timeoutMs} ms:\n${p.output().slice(-4000)}`)
}

/** A one-shot command (`migrate`, `seed`) to its end; fails unless it exits 0. Returns its output. */
export const runToEnd = async (spec: ProcessSpec): Promise<string> => {
  const p = spawnApp(spec)
  const code = await p.exited
  if (code !== 0) throw new Error(`${spec.name} exited with ${code}:\n${p.output().slice(-4000)}`)
  return p.output()
}

/**
 * GET `path` on 127.0.0.1:`port`: the status, or 0 when nothing answers within a second (a request
 * that reaches a process still starting may never be answered).
 */
export const getStatus = (port: number, path: string): Promise<number> =>
  new Promise((resolve) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "GET", timeout: 1_000 }, (res) => {
      res.resume()
      res.on("end", () => resolve(res.statusCode ?? 0))
    })
    req.on("timeout", () => req.destroy())
    req.on("error", () => resolve(0))
    req.end()
  })

/** A `serve` process on `port`, resolved once /readyz answers 200. */
export const startServe = async (spec: ProcessSpec & { readonly port: number }, timeoutMs = 60_000) => {
  const p = spawnApp({ ...spec, env: { ...spec.env, PORT: String(spec.port) } })
  await waitUntil(p, async () => (await getStatus(spec.port, "/readyz")) === 200, "ready", timeoutMs)
  return p
}

/** A `worker` process, resolved once it logs that its delivery workers started. */
export const startWorker = async (spec: ProcessSpec, timeoutMs = 60_000) => {
  const p = spawnApp(spec)
  await waitUntil(p, () => p.output().includes("delivery workers started"), "started", timeoutMs)
  return p
}

/** SIGKILL, and wait for the exit. */
export const killHard = async (p: AppProcess) => {
  if (p.running()) p.child.kill("SIGKILL")
  await p.exited
}

/** A started process as a scoped resource: SIGKILLed when the scope closes if it still runs. */
export const scopedProcess = (start: () => Promise<AppProcess>): Effect.Effect<AppProcess, never, Scope.Scope> =>
  Effect.acquireRelease(Effect.promise(start), (p) => Effect.promise(() => killHard(p)))

/** The header that picks a backend of the proxy by its index (0, 1, ...); round robin without it. */
export const BACKEND_HEADER = "x-vigie-backend"

export interface Proxy {
  readonly port: number
  readonly url: string
  /**
   * The index of the backend that served each request, in arrival order, with its path and whether it
   * came over TLS (a browser at PUBLIC_URL) or plain HTTP (the test's own clients).
   */
  readonly served: () => ReadonlyArray<{ readonly backend: number; readonly path: string; readonly tls: boolean }>
  readonly close: () => Promise<void>
}

/** A key and certificate (PEM) for the proxy's TLS. */
export interface TlsIdentity {
  readonly key: string
  readonly cert: string
}

/**
 * A self-signed certificate for 127.0.0.1, made by `openssl req` for this run (a browser accepts it
 * only when told to ignore certificate errors): the proxy can then speak https at PUBLIC_URL.
 */
export const selfSignedCertificate = async (): Promise<TlsIdentity> => {
  const dir = mkdtempSync(join(tmpdir(), "vigie-tls-"))
  try {
    await new Promise<void>((resolve, reject) =>
      execFile("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1"], (error) => (error === null ? resolve() : reject(error)))
    )
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te",
  "trailer"])

/**
 * A reverse proxy on 127.0.0.1 in front of `backends` (ports on 127.0.0.1), standing for the TLS
 * proxy of production (Caddy, nginx): it keeps the Host, appends the client to X-Forwarded-For, says
 * X-Forwarded-Proto https, and streams both ways (live events are a long NDJSON response). With
 * `tls`, the same port also answers https (told apart by the first byte, a TLS handshake's 0x16): a
 * browser then sits at the https PUBLIC_URL itself, while the test's clients keep plain HTTP.
 */
export const startProxy = async (backends: ReadonlyArray<number>, tls?: TlsIdentity): Promise<Proxy> => {
  let next = 0
  const served: Array<{ backend: number; path: string; tls: boolean }> = []
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chosen = req.headers[BACKEND_HEADER]
    const backend = typeof chosen === "string" ? Number(chosen) : next++ % backends.length
    const port = backends[backend]
    if (port === undefined) {
      res.writeHead(502).end()
      return
    }
    served.push({ backend, path: req.url ?? "", tls: "encrypted" in req.socket })
    const headers: Record<string, string | Array<string>> = {}
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !hopByHop.has(name) && name !== BACKEND_HEADER) headers[name] = value
    }
    const client = req.socket.remoteAddress ?? "127.0.0.1"
    const before = req.headers["x-forwarded-for"]
    headers["x-forwarded-for"] = typeof before === "string" ? `${before}, ${client}` : client
    headers["x-forwarded-proto"] = "https"
    const upstream = httpRequest({ host: "127.0.0.1", port, method: req.method, path: req.url, headers }, (up) => {
      const back: Record<string, string | Array<string>> = {}
      for (const [name, value] of Object.entries(up.headers)) {
        if (value !== undefined && !hopByHop.has(name)) back[name] = value
      }
      res.writeHead(up.statusCode ?? 502, back)
      up.pipe(res)
    })
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502)
      res.destroy()
    })
    res.on("close", () => upstream.destroy())
    req.pipe(upstream)
  }
  const plain = createServer(handle)
  const secure = tls === undefined ? undefined : createHttpsServer({ key: tls.key, cert: tls.cert }, handle)
  // Reads the first byte without consuming it, then hands the socket to the https or the plain server.
  const route = (socket: Socket) => {
    const first = socket.read(1) as Buffer | null
    if (first === null) {
      socket.once("readable", () => route(socket))
      return
    }
    socket.unshift(first)
    ;(secure !== undefined && first[0] === 0x16 ? secure : plain).emit("connection", socket)
  }
  const server = secure === undefined ? plain : createNetServer((socket) => {
    socket.on("error", () => socket.destroy())
    route(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    served: () => served.slice(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        plain.closeAllConnections()
        secure?.closeAllConnections()
      })
  }
}

export const scopedProxy = (
  backends: ReadonlyArray<number>,
  tls?: TlsIdentity
): Effect.Effect<Proxy, never, Scope.Scope> =>
  Effect.acquireRelease(Effect.promise(() => startProxy(backends, tls)), (p) => Effect.promise(() => p.close()))

/** An HttpClient aimed at the proxy, pinned to one backend (or round robin when `backend` is absent). */
export const httpThrough = (proxy: Proxy, backend?: number): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      client.pipe(HttpClient.mapRequest((request) =>
        request.pipe(
          HttpClientRequest.prependUrl(proxy.url),
          backend === undefined ? (r) => r : HttpClientRequest.setHeader(BACKEND_HEADER, String(backend))
        )
      )))
  ).pipe(Layer.provide(NodeHttpClient.layer))

/** The URL of the database the SqlClient in context is on (a fresh test database), on the server of `adminUrl`. */
export const currentDatabaseUrl = (adminUrl: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ name: string }>`SELECT current_database() AS name`
    const url = new URL(adminUrl)
    url.pathname = `/${row!.name}`
    return url.toString()
  })

/** A VIGIE_SECRET_KEY for a test run: every process of one platform must share it. */
export const testSecretKey = "7f".repeat(32)

/**
 * The environment of a production platform on `databaseUrl` at `publicUrl` (https: production refuses
 * anything else), sending SMS through the real Plivo SDK to `fake`, from `from`. The proxy on
 * 127.0.0.1 is trusted for X-Forwarded-For. `extra` overrides.
 */
export const productionEnv = (options: {
  readonly databaseUrl: string
  readonly publicUrl: string
  readonly fake: FakePlivo.FakePlivo
  readonly from: string
  readonly dataDir: string
  readonly extra?: Readonly<Record<string, string>>
}): Record<string, string> => ({
  VIGIE_ENV: "production",
  PUBLIC_URL: options.publicUrl,
  DATABASE_URL: options.databaseUrl,
  VIGIE_SECRET_KEY: testSecretKey,
  VIGIE_DATA_DIR: options.dataDir,
  TRUSTED_PROXIES: "127.0.0.1",
  TILE_URL: "none",
  SMS_PROVIDER: "plivo",
  PLIVO_AUTH_ID: options.fake.authId,
  PLIVO_AUTH_TOKEN: options.fake.authToken,
  PLIVO_API_URL: options.fake.apiUrl,
  PLIVO_NUMBER: options.from,
  PLIVO_TIMEOUT: "5 seconds",
  ...options.extra
})

/** A platform of several processes on one database, behind the proxy, sending to one fake Plivo. */
export interface Platform {
  readonly proxy: Proxy
  readonly fake: FakePlivo.FakePlivo
  /** PUBLIC_URL of every process: the proxy's address, https as the TLS proxy of production serves it. */
  readonly publicUrl: URL
  /** The `serve` processes (backend i of the proxy is serves[i]) then the workers; replaced when restarted. */
  readonly processes: Array<AppProcess>
  /** The ports of the `serve` processes, in backend order. */
  readonly ports: ReadonlyArray<number>
  /** The environment of process `i` (its own Plivo sender, `sender(i)`). */
  readonly env: (i: number) => Record<string, string>
}

/** The Plivo sender of process `i` (+33700000001 for the first): the fake tells the processes apart. */
export const sender = (i: number) => `+337${String(i + 1).padStart(8, "0")}`

export interface PlatformOptions {
  /** The database URL (a fresh, migrated database: migrations run once, before any process starts). */
  readonly databaseUrl: string
  readonly serves: number
  readonly workers: number
  /** Added to every process's environment (SMS_RATE_PER_SECOND, DELIVERY_*, ...). */
  readonly env?: Readonly<Record<string, string>>
  /** Seeds the demo town with the `seed` command (development only) while the processes start. */
  readonly seedDemoTown?: boolean
  /** The proxy also answers https at PUBLIC_URL with this identity (for a browser); plain HTTP only without it. */
  readonly tls?: TlsIdentity
  /**
   * The built web app the processes serve (UI_DIR; production refuses to start without its
   * index.html). Default: a one-page stand-in, for tests that never open a page.
   */
  readonly uiDir?: string
}

/**
 * Starts a fake Plivo, the proxy, then `serves` serve processes and `workers` worker processes in
 * production on `databaseUrl`, all at once; every one is SIGKILLed when the scope closes.
 */
export const platform = (options: PlatformOptions): Effect.Effect<Platform, never, Scope.Scope> =>
  Effect.gen(function*() {
    const fake = yield* FakePlivo.scoped()
    const dataDir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "vigie-processes-"))),
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
    )
    const uiDir = options.uiDir ?? join(dataDir, "ui")
    if (options.uiDir === undefined) {
      mkdirSync(uiDir, { recursive: true })
      writeFileSync(join(uiDir, "index.html"), "<!doctype html><title>Vigie</title>")
    }
    const ports: Array<number> = []
    for (let i = 0; i < options.serves; i++) ports.push(yield* Effect.promise(freePort))
    const proxy = yield* scopedProxy(ports, options.tls)
    // Production wants an https PUBLIC_URL: the proxy stands for the TLS proxy at that address.
    const publicUrl = new URL(`https://127.0.0.1:${proxy.port}`)
    const env = (i: number) =>
      productionEnv({
        databaseUrl: options.databaseUrl,
        publicUrl: publicUrl.origin,
        fake,
        from: sender(i),
        dataDir: join(dataDir, String(i)),
        extra: { UI_DIR: uiDir, ...options.env }
      })
    const seeding = options.seedDemoTown === true
      ? runToEnd({
        name: "seed",
        args: ["seed"],
        env: { ...env(0), VIGIE_ENV: "development", SMS_PROVIDER: "outbox", PUBLIC_URL: "http://localhost:3000" }
      })
      : Promise.resolve("")
    // Awaited below; if a process fails to start first, the scope closes and the seed's failure is moot.
    seeding.catch(() => undefined)
    const letters = "ABCDEFGHIJ"
    const processes = yield* Effect.all([
      ...ports.map((port, i) =>
        scopedProcess(() => startServe({ name: `serve ${letters[i]}`, args: ["serve"], env: env(i), port }))
      ),
      ...Array.from(
        { length: options.workers },
        (_, w) =>
          scopedProcess(() => startWorker({ name: `worker ${w + 1}`, args: ["worker"], env: env(options.serves + w) }))
      )
    ], { concurrency: "unbounded" })
    yield* Effect.promise(() => seeding)
    const running: Platform = { proxy, fake, publicUrl, processes: [...processes], ports, env }
    // Whatever replaced them (a restart) is killed too.
    yield* Effect.addFinalizer(() => Effect.promise(() => Promise.all(running.processes.map(killHard))))
    return running
  })

/**
 * Two neighbours of the seeded demo town: `author`, a resident who has posted before (so a new alert
 * is not held for review), and `reader`, a resident of the same quartier. Neither is staff.
 */
export const demoNeighbours = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [author] = yield* sql<{ email: Email; communityId: CommunityId }>`
    SELECT a.email, m.community_id AS "communityId" FROM accounts a
    JOIN memberships m ON m.account_id = a.id AND m.status = 'verified'
    WHERE a.status = 'active' AND a.email IS NOT NULL AND a.password_hash IS NOT NULL
      AND EXISTS (SELECT 1 FROM alerts x WHERE x.author_id = a.id AND x.status <> 'held_for_review')
      AND NOT EXISTS (SELECT 1 FROM staff_roles s WHERE s.account_id = a.id)
    ORDER BY a.email LIMIT 1`
  if (author === undefined) return yield* Effect.dieMessage("the demo town has no resident who has posted")
  const [reader] = yield* sql<{ email: Email }>`
    SELECT a.email FROM accounts a JOIN memberships m ON m.account_id = a.id AND m.status = 'verified'
    WHERE m.community_id = ${author.communityId} AND a.email <> ${author.email}
      AND a.status = 'active' AND a.password_hash IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM staff_roles s WHERE s.account_id = a.id)
    ORDER BY a.email LIMIT 1`
  if (reader === undefined) return yield* Effect.dieMessage("the demo author's quartier has no other resident")
  return { author, reader }
})
