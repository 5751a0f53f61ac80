// Bundles the server (packages/app, with the workspace packages @vigie/domain and @vigie/adapters, which are
// TypeScript sources) into dist/ at the repository root: `node --enable-source-maps dist/main.js serve`.
// dist/ sits at the root, not in packages/app, because it holds the whole server (three packages), and the
// image copies one folder. Every npm dependency stays external: `npm ci --omit=dev` installs them next to the
// bundle, native and WebAssembly packages (@node-rs/argon2, PGlite) keep finding their own files, and
// @etalab/decoupage-administratif's data is read from node_modules as from the sources.
// Run by `npm run build` after the type check; `node scripts/build-server.mjs` alone rebuilds only the server.
import { build } from "esbuild"
import { readFileSync, rmSync, statSync } from "node:fs"
import { builtinModules } from "node:module"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"

export const root = join(dirname(fileURLToPath(import.meta.url)), "..")

/** The server's entry point, relative to the root: the image's ENTRYPOINT runs it. */
export const mainOutput = "dist/main.js"

/** Bare imports ("effect", "@effect/sql-pg", "node:fs") stay imports; only our own workspace packages are inlined. */
const externalDependencies = {
  name: "external-dependencies",
  setup(builder) {
    builder.onResolve(
      { filter: /^[^./]/ },
      (args) => args.path.startsWith("@vigie/") ? undefined : { path: args.path, external: true }
    )
  }
}

/** "@effect/sql/Migrator" → "@effect/sql"; "libphonenumber-js/max" → "libphonenumber-js". */
export const packageName = (specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/")

const manifest = (path) => JSON.parse(readFileSync(join(root, path), "utf8"))

/** The runtime dependencies the bundle may import: those of the server's workspace packages (what `npm ci --omit=dev` installs). */
export const runtimeDependencies = () =>
  new Set(
    ["packages/app", "packages/adapters", "packages/domain"].flatMap((dir) =>
      Object.keys(manifest(`${dir}/package.json`).dependencies ?? {}).filter((name) => !name.startsWith("@vigie/"))
    )
  )

/**
 * The bundle's bare imports that the runtime image would not have: anything that is neither a Node
 * built-in nor a runtime dependency (a devDependency such as tsx, vite or vitest, or an undeclared
 * package). `imports` are esbuild's metafile imports; `code` the bundle, for the packages located at
 * run time (`createRequire(...).resolve("@etalab/...")`, `require("axios")`).
 */
export const unavailableImports = (imports, code, allowed) => {
  const dynamic = [...code.matchAll(/(?:\.resolve|\brequire)\(\s*"([^"./][^"]*)"/g)].map((m) => m[1])
  const names = new Set([...imports.filter((i) => i.external).map((i) => i.path), ...dynamic].map(packageName))
  return [...names].filter((name) => !name.startsWith("node:") && !builtinModules.includes(name) && !allowed.has(name))
    .sort()
}

/**
 * Bundles into `outdir` (dist/ by default) and fails when the bundle imports a package the runtime image
 * lacks. Returns the output files with their sizes, and the imports found.
 */
export const buildServer = async ({ outdir = join(root, dirname(mainOutput)) } = {}) => {
  rmSync(outdir, { recursive: true, force: true })
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: "packages/app/src/main.ts" },
    outdir,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: true,
    // The maps point at the sources (../packages/app/src/...): stack traces name the TypeScript files.
    sourcesContent: false,
    plugins: [externalDependencies],
    // Tells StaticUi that it runs from dist/main.js (its default UI_DIR is found from its own module).
    define: { VIGIE_BUNDLE: "true" },
    // No createRequire banner: only our ESM sources are inlined; every CommonJS package stays an external
    // import that Node loads itself (no esbuild `__require` shim is left to fail at run time).
    logLevel: "warning",
    metafile: true
  })
  const main = join(outdir, "main.js")
  const output = Object.entries(result.metafile.outputs).find(([file]) => join(root, file) === main)
  const missing = unavailableImports(output[1].imports, readFileSync(main, "utf8"), runtimeDependencies())
  if (missing.length > 0) {
    throw new Error(
      `dist/main.js imports ${missing.join(", ")}, not a dependency of packages/app, adapters or domain: ` +
        "the production image (npm ci --omit=dev) would not have it"
    )
  }
  return {
    files: Object.keys(result.metafile.outputs).map((file) => ({ file: relative(root, join(root, file)),
      bytes: statSync(join(root, file)).size })
    ),
    imports: output[1].imports
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files } = await buildServer()
  for (const { bytes, file } of files) console.log(`${file}  ${(bytes / 1024).toFixed(0)} KiB`)
}
