import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"

const SRC = fileURLToPath(new URL("../src", import.meta.url))

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : /\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name) ? [path] : []
  })

/** Replaces comments with spaces, so commented-out text neither counts nor hides anything. */
const withoutComments = (source: string) =>
  source.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/(^|[^:"'`])\/\/.*$/gm, "$1")

/** Additionally blanks string and template literals, for the check on global names. */
const withoutStrings = (source: string) =>
  withoutComments(source).replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`/g, "\"\"")

const ALLOWED = /^(?:effect|effect\/.+|@effect\/rpc|@effect\/rpc\/.+|\.{1,2}\/.*)$/

const SPECIFIERS = [
  /\bimport\s+(?:type\s+)?[\w*{}\s,$]*?\bfrom\s*["']([^"']+)["']/g, // import x from "m", import type { X } from "m"
  /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*["']([^"']+)["']/g, // export ... from "m"
  /\bimport\s*["']([^"']+)["']/g, // import "m"
  /\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g, // import("m")
  /\brequire\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g // require("m")
]

/** Every module a source text refers to that the domain may not depend on. */
export const forbiddenImports = (source: string): Array<string> => {
  const code = withoutComments(source)
  const found = SPECIFIERS.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!))
  // A dynamic import of a computed name cannot be checked: refuse it too.
  const computed = [...code.matchAll(/\bimport\s*\(\s*(?!["'`])([^)]*)\)/g)].map((m) => `import(${m[1]!.trim()})`)
  return [...found.filter((s) => !ALLOWED.test(s)), ...computed]
}

const GLOBALS = ["process", "require", "Buffer"] as const

/** The Node-only globals a source text uses (as identifiers, not as property names or in text). */
export const forbiddenGlobals = (source: string): Array<string> => {
  const code = withoutStrings(source)
  // Not after a dot (a property) nor before a colon (an object key).
  return GLOBALS.filter((name) => new RegExp(`(?<![\\w$.])${name}(?![\\w$])(?!\\s*:)`).test(code))
}

const files = sourceFiles(SRC).map((path) => ({ name: relative(SRC, path), text: readFileSync(path, "utf8") }))

describe("the domain depends on nothing but effect and @effect/rpc", () => {
  it("finds the domain's source files", () => {
    expect(files.length).toBeGreaterThanOrEqual(30)
    expect(files.map((f) => f.name)).toContain(join("delivery", "FanOut.ts"))
    // And the checker sees their imports (so an empty result below means something).
    expect(files.flatMap((f) => [...withoutComments(f.text).matchAll(SPECIFIERS[0]!)]).length).toBeGreaterThan(50)
  })

  it("imports only effect, @effect/rpc and relative paths", () => {
    const offences = files.flatMap((f) => forbiddenImports(f.text).map((spec) => `${f.name} imports "${spec}"`))
    expect(offences).toEqual([])
  })

  it("uses none of the globals process, require, Buffer", () => {
    const offences = files.flatMap((f) => forbiddenGlobals(f.text).map((g) => `${f.name} uses ${g}`))
    expect(offences).toEqual([])
  })
})

describe("the boundary checker itself", () => {
  it.each([
    [`import { Pool } from "pg"`, ["pg"]],
    [`import type { Sql } from "@effect/sql"`, ["@effect/sql"]],
    [`import * as fs from "node:fs"`, ["node:fs"]],
    [`import Plivo from 'plivo'`, ["plivo"]],
    [`import {\n  A,\n  B\n} from "@aws-sdk/client-ses"`, ["@aws-sdk/client-ses"]],
    [`export { x } from "@vigie/adapters/sql/PgAlertRepo"`, ["@vigie/adapters/sql/PgAlertRepo"]],
    [`export * from "node:crypto"`, ["node:crypto"]],
    [`export * as fs from "fs"`, ["fs"]],
    [`import "reflect-metadata"`, ["reflect-metadata"]],
    [`const m = await import("node:os")`, ["node:os"]],
    [`const m = await import(name)`, ["import(name)"]],
    [`const c = require("crypto")`, ["crypto"]],
    [`import { Effect } from "effect"`, []],
    [`import * as Schema from "effect/Schema"`, []],
    [`import { Rpc, RpcGroup } from "@effect/rpc"`, []],
    [`import type { X } from "@effect/rpc/RpcMiddleware"`, []],
    [`import { Alert } from "../alerts/Alert.js"`, []],
    [`export { fanOut } from "./FanOut.js"`, []],
    [`// import { Pool } from "pg"`, []],
    [`/* import fs from "node:fs" */`, []],
    [`import { x } from "effectful"`, ["effectful"]],
    [`import { x } from "@effect/rpc-http"`, ["@effect/rpc-http"]],
    [`import { x } from "@effect/platform"`, ["@effect/platform"]]
  ])("%j → %j", (line, expected) => {
    expect(forbiddenImports(`import { Schema } from "effect"\n${line}\nexport const a = 1\n`)).toEqual(expected)
  })

  it.each([
    [`const url = process.env["DATABASE_URL"]`, ["process"]],
    [`const b = Buffer.from("x")`, ["Buffer"]],
    [`const m = require("x")`, ["require"]],
    [`const { env } = process`, ["process"]],
    [`// the process of fan-out`, []],
    [`const s = "one process"`, []],
    [`const r = { process: 1 }.process`, []],
    [`const processes = 2; const BufferSize = 3`, []]
  ])("globals: %j → %j", (line, expected) => {
    expect(forbiddenGlobals(line)).toEqual(expected)
  })

  it("a planted line in a real domain file is caught", () => {
    const fanOut = files.find((f) => f.name === join("delivery", "FanOut.ts"))!
    expect(forbiddenImports(fanOut.text)).toEqual([])
    expect(forbiddenImports(`${fanOut.text}\nimport { PgClient } from "@effect/sql-pg"\n`)).toEqual(["@effect/sql-pg"])
    expect(forbiddenGlobals(`${fanOut.text}\nconst now = process.hrtime()\n`)).toEqual(["process"])
  })
})

// ---------------------------------------------------------------------------------------------
// The order of contexts, as drawn in the README (highest layer first; peers on one line).

const README = fileURLToPath(new URL("../../../README.md", import.meta.url))

/** The layers of the drawing between the context-order markers, lowest first; each a list of peers. */
export const layersOf = (readme: string): Array<Array<string>> => {
  const block = /<!-- context-order:begin -->([\s\S]*?)<!-- context-order:end -->/.exec(readme)
  if (block === null) return []
  return block[1]!
    .split("\n")
    .map((line) => line.replace(/```/g, "").trim())
    .filter((line) => line.length > 0 && !/^[─┴┼┬]+/.test(line))
    .map((line) => line.includes("│") ? line.split("│").map((p) => p.trim()) : [line.split(/\s+/)[0]!])
    .reverse()
}

/** The context a path under src/ belongs to: its first folder ("" for a file at the root). */
const contextOf = (name: string) => name.includes("/") || name.includes("\\") ? name.split(/[\\/]/)[0]! : ""

/** Every import of another context's module from `name`: [from, to, specifier]. */
export const crossImports = (name: string, text: string): Array<[string, string, string]> => {
  const from = contextOf(name)
  const code = withoutComments(text)
  return SPECIFIERS.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!))
    .filter((spec) => spec.startsWith("."))
    .flatMap((spec) => {
      const target = join(name, "..", spec).split(/[\\/]/)
      const to = target.length > 1 ? target[0]! : ""
      return to !== from ? [[from, to, spec] as [string, string, string]] : []
    })
}

/** The imports that go against the order: to a context of the same or a higher layer, or to an undeclared one. */
export const againstOrder = (
  layers: ReadonlyArray<ReadonlyArray<string>>,
  imports: ReadonlyArray<[string, string, string]>
): Array<string> => {
  const rank = new Map(layers.flatMap((peers, i) => peers.map((c) => [c, i] as const)))
  return imports.flatMap(([from, to, spec]) => {
    const a = rank.get(from)
    const b = rank.get(to)
    if (a === undefined || b === undefined) return [`${from} → ${to} (${spec}): a context the order does not place`]
    if (b === a) return [`${from} → ${to} (${spec}): contexts of one layer never import each other`]
    if (b > a) return [`${from} → ${to} (${spec}): ${to} is above ${from}`]
    return []
  })
}

/** The cycles of a directed graph between contexts (each as the path that closes it), found by DFS. */
export const cyclesOf = (edges: ReadonlyArray<readonly [string, string]>): Array<Array<string>> => {
  const next = new Map<string, Set<string>>()
  for (const [a, b] of edges) next.set(a, (next.get(a) ?? new Set()).add(b))
  const state = new Map<string, "open" | "done">()
  const cycles: Array<Array<string>> = []
  const visit = (node: string, path: Array<string>): void => {
    state.set(node, "open")
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === "open") cycles.push([...path.slice(path.indexOf(to)), node, to])
      else if (state.get(to) === undefined) visit(to, [...path, node])
    }
    state.set(node, "done")
  }
  for (const node of [...next.keys()].sort()) if (state.get(node) === undefined) visit(node, [])
  return cycles
}

/** A use case (any file but an RPC file) importing an RPC file: RPC files import the domain, never the reverse. */
export const importsOfRpcFiles = (name: string, text: string): Array<string> =>
  /Rpcs\.ts$/.test(name)
    ? []
    : SPECIFIERS.flatMap((re) => [...withoutComments(text).matchAll(re)].map((m) => m[1]!))
      .filter((spec) => /Rpcs(\.js)?$/.test(spec))

const layers = layersOf(readFileSync(README, "utf8"))
const allCrossImports = files.flatMap((f) => crossImports(f.name, f.text))

describe("the contexts of the domain, in the order the README draws", () => {
  it("reads the order from the README", () => {
    expect(layers[0]).toEqual(["shared"])
    expect(layers.flat()).toEqual(expect.arrayContaining(["accounts", "delivery", "alerts", "moderation", "gazette"]))
    expect(new Set(layers.flat()).size).toBe(layers.flat().length)
  })

  it("places every folder of src/ and puts no file outside one", () => {
    const folders = [...new Set(files.map((f) => contextOf(f.name)))]
    expect(folders.filter((c) => !layers.flat().includes(c))).toEqual([])
  })

  it("sees the imports between contexts (so an empty list below means something)", () => {
    expect(allCrossImports.length).toBeGreaterThan(100)
  })

  it("has no import against the order", () => {
    const offences = files.flatMap((f) =>
      againstOrder(layers, crossImports(f.name, f.text)).map((o) => `${f.name}: ${o}`)
    )
    expect(offences).toEqual([])
  })

  it("has no cycle between contexts", () => {
    expect(cyclesOf(allCrossImports.map(([a, b]) => [a, b] as const))).toEqual([])
  })

  it("has no use case importing an RPC file", () => {
    const offences = files.flatMap((f) => importsOfRpcFiles(f.name, f.text).map((spec) => `${f.name} imports ${spec}`))
    expect(offences).toEqual([])
  })
})

describe("the order checker itself", () => {
  const order = [["shared"], ["accounts", "communities"], ["delivery"], ["alerts"], ["moderation", "mairie"]]

  it("reads layers, lowest first, peers split on │", () => {
    const readme = "x\n<!-- context-order:begin -->\n```\n  moderation │ mairie\n──────┴─────\n  alerts   texts\n" +
      "  shared   ids\n```\n<!-- context-order:end -->\n"
    expect(layersOf(readme)).toEqual([["shared"], ["alerts"], ["moderation", "mairie"]])
  })

  it.each([
    ["delivery/FanOut.ts", `import { AlertScope } from "../alerts/Alert.js"`, [
      "delivery → alerts (../alerts/Alert.js): alerts is above delivery"
    ]],
    ["accounts/Me.ts", `import { Community } from "../communities/Community.js"`, [
      "accounts → communities (../communities/Community.js): contexts of one layer never import each other"
    ]],
    ["alerts/Alerts.ts", `import { X } from "../gazette/Post.js"`, [
      "alerts → gazette (../gazette/Post.js): a context the order does not place"
    ]],
    ["moderation/Queue.ts", `import { AlertId } from "../alerts/Alert.js"\nimport { Text } from "../shared/Text.js"`,
      []],
    ["alerts/Alerts.ts", `import { AlertView } from "./AlertView.js"`, []],
    ["delivery/Outbox.ts", `// import { Alert } from "../alerts/Alert.js"`, []],
    ["mairie/TownAlerts.ts", `export { x } from "../moderation/Queue.js"`, [
      "mairie → moderation (../moderation/Queue.js): contexts of one layer never import each other"
    ]]
  ])("%s: %j → %j", (name, line, expected) => {
    expect(againstOrder(order, crossImports(name, `${line}\nexport const a = 1\n`))).toEqual(expected)
  })

  it("finds a cycle, and none in a layered graph", () => {
    expect(cyclesOf([["alerts", "moderation"], ["moderation", "alerts"]])).toEqual([["alerts", "moderation", "alerts"]])
    expect(cyclesOf([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"]])).toHaveLength(1)
    expect(cyclesOf([["alerts", "accounts"], ["moderation", "alerts"], ["moderation", "accounts"]])).toEqual([])
  })

  it("finds a use case importing an RPC file, not an RPC file importing another", () => {
    expect(importsOfRpcFiles("alerts/Alerts.ts", `import { AlertPage } from "./AlertRpcs.js"`)).toEqual([
      "./AlertRpcs.js"
    ])
    expect(importsOfRpcFiles("mairie/MairieRpcs.ts", `import { TownAlertRpcs } from "./TownAlertRpcs.js"`)).toEqual([])
    expect(importsOfRpcFiles("alerts/Alerts.ts", `import { AlertView } from "./AlertView.js"`)).toEqual([])
  })

  it("a planted import in a real domain file is caught", () => {
    const fanOut = files.find((f) => f.name === join("delivery", "FanOut.ts"))!
    const planted = `${fanOut.text}\nimport { Alerts } from "../alerts/Alerts.js"\n`
    expect(againstOrder(layers, crossImports(fanOut.name, planted))).toContain(
      "delivery → alerts (../alerts/Alerts.js): alerts is above delivery"
    )
  })
})
