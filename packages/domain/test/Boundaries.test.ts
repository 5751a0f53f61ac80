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
