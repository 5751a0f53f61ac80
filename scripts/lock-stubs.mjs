// The npm registry this project is built against lacks the platform-specific optional packages of
// other systems (rollup, turbo, esbuild... for darwin, win32, android, musl). `npm install` then
// writes a lock file without them, and `npm ci` refuses it as out of sync. This adds, for every
// optional dependency missing from the lock, an entry with its version, os and cpu (read off the
// package name), so npm skips it on this platform and fetches it by name elsewhere.
// Run after every `npm install`: `node scripts/lock-stubs.mjs`.
import { readFileSync, writeFileSync } from "node:fs"

const file = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(file, "utf8"))
const packages = lock.packages

const platform = (raw) => {
  // turbo names its packages @turbo/windows-64, @turbo/darwin-arm64...
  const name = raw.replace(/windows/, "win32").replace(/-64$/, "-x64")
  const os = ["darwin", "win32", "linux", "freebsd", "android", "openbsd", "sunos", "netbsd", "aix", "openharmony"]
    .find((o) => name.includes(`-${o}`) || name.includes(`/${o}-`))
  const cpu = ["arm64", "x64", "ia32", "arm", "ppc64", "riscv64", "s390x", "loong64", "mips64el", "wasm32",
    "loongarch64"]
    .find((c) => new RegExp(`[-/]${c}(?:[-.]|$)`).test(name))
  const libc = /musl/.test(name) ? "musl" : /gnu/.test(name) && os === "linux" ? "glibc" : undefined
  return { os, cpu, libc }
}

let added = 0
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === "" ? "" : `${path}/`
    const nested = `${base}node_modules/${dep}`
    const hoisted = `node_modules/${dep}`
    if (packages[nested] || packages[hoisted]) continue
    const { os, cpu, libc } = platform(dep)
    if (!os && !cpu) continue
    const version = String(range).replace(/^[~^=]/, "")
    packages[hoisted] = {
      version,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(entry.devOptional ? { devOptional: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
      ...(os ? { os: [os] } : {})
    }
    added++
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0))
)
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n")
console.log(`lock-stubs: added ${added} optional platform entries`)
