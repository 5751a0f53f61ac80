/**
 * `npm run bench:start -- [--repeat 5] [--requests 2000]` with DATABASE_URL (a real PostgreSQL server):
 * how fast the server starts and how much memory it holds, run from the TypeScript sources through tsx
 * (the baseline, `node --import tsx packages/app/src/main.ts`) and from the bundle (`node
 * --enable-source-maps dist/main.js`, rebuilt first). For each, alternating, `repeat` times:
 * - first start: a fresh database; `migrate` then `serve`, from spawning migrate until /readyz answers 200;
 * - restart: `serve` again on the migrated database, until /readyz answers 200;
 * - the serving process's resident memory (RSS) once ready, and after `requests` requests (GET / and
 *   GET /readyz, 8 at a time).
 * Prints the medians and the ratios dist/tsx. Each database is created here and dropped at the end.
 */
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Reactivity from "@effect/experimental/Reactivity"
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted } from "effect"
import { buildServer, mainOutput, root } from "../../../../scripts/build-server.mjs"
import { argument } from "./BenchArguments.js"

const serverUrl = process.env["DATABASE_URL"]
if (serverUrl === undefined || serverUrl === "") {
  console.error("bench:start needs DATABASE_URL (a PostgreSQL server where it may create and drop databases).")
  process.exit(2)
}
const repeat = argument("repeat", 5)
const requests = argument("requests", 2000)

interface Variant {
  readonly name: "tsx" | "dist"
  readonly args: ReadonlyArray<string>
}
const variants: ReadonlyArray<Variant> = [
  { name: "tsx", args: ["--import", "tsx", "packages/app/src/main.ts"] },
  { name: "dist", args: ["--enable-source-maps", mainOutput] }
]

const uiDir = (() => {
  const built = join(root, "packages/ui/dist")
  if (existsSync(join(built, "index.html"))) return built
  const fixture = mkdtempSync(join(tmpdir(), "vigie-bench-ui-"))
  writeFileSync(join(fixture, "index.html"), "<!doctype html><html><head></head><body>bench</body></html>")
  return fixture
})()

const admin = (sql: string) =>
  Effect.runPromise(
    Effect.scoped(Effect.gen(function*() {
      const client = yield* PgClient.make({ url: Redacted.make(serverUrl), maxConnections: 1 })
      yield* client.unsafe(sql)
    })).pipe(Effect.provide(Reactivity.layer))
  )

const databases: Array<string> = []
const freshDatabase = async () => {
  const name = `vigie_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`
  await admin(`CREATE DATABASE ${name}`)
  databases.push(name)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => done(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

const secretKey = crypto.getRandomValues(new Uint8Array(32)).reduce((s, b) => s + b.toString(16).padStart(2, "0"), "")

interface Process {
  readonly pid: number
  readonly exit: Promise<number | null>
  readonly output: () => string
  readonly stop: () => Promise<number | null>
}

const launch = (variant: Variant, command: string, databaseUrl: string, port: number): Process => {
  const child = spawn(process.execPath, [...variant.args, command], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      VIGIE_ENV: "production",
      PUBLIC_URL: "https://bench.vigie.invalid",
      VIGIE_SECRET_KEY: secretKey,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      UI_DIR: uiDir
    },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
  const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
  return { pid: child.pid!, exit, output: () => output, stop: () => (child.kill("SIGTERM"), exit) }
}

/** Readiness polls that got no answer at all (the socket open, nothing replying). */
let unanswered = 0

const ready = async (server: Process, port: number) => {
  let exited = false
  void server.exit.then(() => (exited = true))
  const deadline = performance.now() + 120_000
  let last = "no answer"
  for (;;) {
    if (exited || performance.now() > deadline) {
      throw new Error(`not ready (${exited ? "exited" : `timed out, /readyz: ${last}`}):\n${server.output()}`)
    }
    // Before the routes are attached the server answers 503 starting (GracefulShutdown.answerWhileStarting);
    // a poll left unanswered is counted and given up on.
    const status = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      async (r) => (last = `${r.status} ${await r.text()}`, r.status),
      (e: unknown) => {
        last = String(e instanceof Error ? e.cause ?? e : e)
        if (e instanceof DOMException && e.name === "TimeoutError") unanswered++
        return 0
      }
    )
    if (status === 200) return
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Resident memory of a process, in MiB (Linux /proc). */
const rss = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024

const load = async (port: number) => {
  let next = 0
  const worker = async () => {
    while (next < requests) {
      const path = next++ % 2 === 0 ? "/" : "/readyz"
      const response = await fetch(`http://127.0.0.1:${port}${path}`)
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`GET ${path}: ${response.status}`)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
}

interface Sample {
  readonly firstStart: number
  readonly restart: number
  readonly rssReady: number
  readonly rssLoaded: number
}

const measure = async (variant: Variant): Promise<Sample> => {
  const databaseUrl = await freshDatabase()
  const port = await freePort()
  const began = performance.now()
  const migrate = launch(variant, "migrate", databaseUrl, port)
  if ((await migrate.exit) !== 0) throw new Error(`migrate failed:\n${migrate.output()}`)
  const first = launch(variant, "serve", databaseUrl, port)
  await ready(first, port)
  const firstStart = performance.now() - began
  const rssReady = rss(first.pid)
  await load(port)
  const rssLoaded = rss(first.pid)
  await first.stop()
  const restarted = performance.now()
  const second = launch(variant, "serve", databaseUrl, port)
  await ready(second, port)
  const restart = performance.now() - restarted
  await second.stop()
  return { firstStart, restart, rssReady, rssLoaded }
}

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const main = async () => {
  const { files } = await buildServer()
  console.log(`bundle: ${files.map((f) => `${f.file} ${(f.bytes / 1024).toFixed(0)} KiB`).join(", ")}`)
  console.log(`web app: ${uiDir}; ${repeat} repetitions, ${requests} requests each; PostgreSQL server, fresh databases`)
  const samples: Record<Variant["name"], Array<Sample>> = { tsx: [], dist: [] }
  try {
    for (let i = 0; i < repeat; i++) {
      // Alternating which goes first, so that neither always finds a warmer machine.
      for (const variant of i % 2 === 0 ? variants : [...variants].reverse()) {
        const sample = await measure(variant)
        samples[variant.name].push(sample)
        console.log(
          `${variant.name.padEnd(4)} #${i + 1}: first start ${sample.firstStart.toFixed(0)} ms, restart ${
            sample.restart.toFixed(0)
          } ms, RSS ${sample.rssReady.toFixed(0)} MiB ready, ${
            sample.rssLoaded.toFixed(0)
          } MiB after ${requests} requests`
        )
      }
    }
  } finally {
    for (const name of databases) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  }
  const rows: ReadonlyArray<[string, keyof Sample, string]> = [
    ["first start (fresh database, migrations)", "firstStart", "ms"],
    ["restart (migrated database)", "restart", "ms"],
    ["RSS once ready", "rssReady", "MiB"],
    [`RSS after ${requests} requests`, "rssLoaded", "MiB"]
  ]
  console.log(`readiness polls left unanswered: ${unanswered}`)
  console.log(`\nmedians of ${repeat}            tsx      dist   dist/tsx`)
  for (const [label, key, unit] of rows) {
    const tsx = median(samples.tsx.map((s) => s[key]))
    const dist = median(samples.dist.map((s) => s[key]))
    console.log(
      `${label.padEnd(42)} ${tsx.toFixed(0).padStart(6)} ${dist.toFixed(0).padStart(6)} ${unit.padEnd(3)} ${
        (dist / tsx).toFixed(2)
      }`
    )
  }
}

await main()
