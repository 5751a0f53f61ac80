import { readFile, stat } from "node:fs/promises"
import { extname, join, normalize, sep } from "node:path"
import { fileURLToPath } from "node:url"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Option } from "effect"

/** Set (true) by scripts/build-server.mjs in the bundle, dist/main.js; undefined when the sources run (tsx). */
declare const VIGIE_BUNDLE: boolean | undefined

/**
 * Where `npm run build` (vite, packages/ui) writes the web app, packages/ui/dist under the repository
 * root, found from this module: the bundle sits in dist/ (one level down), this source three.
 */
export const defaultUiDir = fileURLToPath(
  new URL(typeof VIGIE_BUNDLE === "undefined" ? "../../../ui/dist/" : "../packages/ui/dist/", import.meta.url)
)

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8"
}

/** Paths the server answers itself: never replaced by the app's index.html. */
const serverPrefixes = ["/rpc", "/dev", "/healthz", "/readyz", "/webhooks"]

/** Vite fingerprints everything under /assets/: those files never change under their name. */
const IMMUTABLE = "public, max-age=31536000, immutable"
/** index.html must be revalidated so a new build is picked up at once. */
const REVALIDATE = "no-cache"
/** Manifest and icons keep their name across builds. */
const SHORT = "public, max-age=3600"

/** The origin of a tile template for the CSP's img-src ("https://{s}.tile.example" → "https://*.tile.example"). */
export const tileOrigin = (tileUrl: string): string | undefined => {
  const origin = /^https?:\/\/[^/?#\s]+/.exec(tileUrl)?.[0]
  return origin?.replaceAll(/\{[a-z]+\}/g, "*").replaceAll(/[^A-Za-z0-9.:/*\-[\]]/g, "")
}

const securityHeaders = (tileUrl: string | undefined) => {
  const tiles = tileUrl === undefined ? undefined : tileOrigin(tileUrl)
  return {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "content-security-policy":
      `default-src 'self'; img-src 'self' data: blob:${tiles === undefined ? "" : ` ${tiles}`}; ` +
      "style-src 'self'; script-src 'self'; connect-src 'self'; " +
      "manifest-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
  }
}

const escapeAttribute = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("\"", "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")

/**
 * The page as the browser gets it: the map tiles' template (TILE_URL) written into a meta tag the app
 * reads (packages/ui/src/lib/mapSettings.ts), so the setting needs no call before the first map.
 */
export const withTileUrl = (html: Uint8Array, tileUrl: string | undefined): Uint8Array => {
  if (tileUrl === undefined) return html
  const text = new TextDecoder().decode(html)
  const at = text.indexOf("</head>")
  if (at < 0) return html
  const meta = `<meta name="vigie-tile-url" content="${escapeAttribute(tileUrl)}" />\n  `
  return new TextEncoder().encode(text.slice(0, at) + meta + text.slice(at))
}

const notFound = HttpServerResponse.unsafeJson({ _tag: "NotFound" }, { status: 404 })

const readIfFile = (path: string) =>
  Effect.tryPromise(async () => ((await stat(path)).isFile() ? new Uint8Array(await readFile(path)) : undefined)).pipe(
    Effect.map(Option.fromNullable),
    Effect.orElseSucceed(() => Option.none<Uint8Array>())
  )

/**
 * Serves the built web app from `root` for GET and HEAD:
 * - a file of the build under its path, with its content type; /assets/* (hashed names) cached as
 *   immutable for a year, index.html revalidated every time, the rest (manifest, icons) for an hour;
 * - any other path without a file extension (a client route: /connexion, /alertes/…) gets index.html;
 * - the server's own paths (/rpc, /dev, /healthz, /readyz, /webhooks), other methods, unknown files
 *   and anything escaping `root` get the JSON 404 the router gives.
 * When the app was never built, "/" says so (503) instead of a blank page. With `tileUrl` (TILE_URL),
 * the pages carry it in a meta tag and the CSP lets the browser load images from its origin.
 */
export const respond = (root: string = defaultUiDir, tileUrl?: string) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.method !== "GET" && request.method !== "HEAD") return notFound
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(request.url, "http://ui.invalid").pathname)
    } catch {
      return notFound
    }
    if (pathname.includes("\0") || serverPrefixes.some((p) => pathname === p || pathname.startsWith(`${p}/`))) {
      return notFound
    }
    const base = normalize(root.endsWith(sep) ? root : root + sep)
    const target = normalize(join(base, pathname))
    if (!target.startsWith(base)) return notFound

    const direct = pathname.endsWith("/") ? Option.none<Uint8Array>() : yield* readIfFile(target)
    const isAsset = pathname.startsWith("/assets/")
    let body: Uint8Array
    let type: string
    let cache: string
    if (Option.isSome(direct)) {
      body = extname(target).toLowerCase() === ".html" ? withTileUrl(direct.value, tileUrl) : direct.value
      type = contentTypes[extname(target).toLowerCase()] ?? "application/octet-stream"
      cache = isAsset ? IMMUTABLE : extname(target) === ".html" ? REVALIDATE : SHORT
    } else {
      if (isAsset || extname(pathname) !== "") return notFound
      const index = yield* readIfFile(join(base, "index.html"))
      if (Option.isNone(index)) {
        return HttpServerResponse.text(
          "Vigie : l'interface web n'est pas construite. Lancez « npm run build » puis relancez le serveur.\n",
          { status: 503, contentType: "text/plain; charset=utf-8" }
        )
      }
      body = withTileUrl(index.value, tileUrl)
      type = contentTypes[".html"]!
      cache = REVALIDATE
    }
    const headers = { "cache-control": cache, ...securityHeaders(tileUrl) }
    return request.method === "HEAD"
      ? HttpServerResponse.empty({ status: 200,
        headers: { ...headers, "content-type": type, "content-length": String(body.byteLength) } })
      : HttpServerResponse.uint8Array(body, { contentType: type, headers })
  })
