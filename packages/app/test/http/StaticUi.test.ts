import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as StaticUi from "../../src/http/StaticUi.js"

const built = () => {
  const root = mkdtempSync(join(tmpdir(), "vigie-ui-"))
  writeFileSync(
    join(root, "index.html"),
    "<!doctype html>\n<html><head><title>Vigie</title></head><body></body></html>"
  )
  return root
}

const get = (root: string, path: string, tileUrl?: string) =>
  StaticUi.respond(root, tileUrl).pipe(
    Effect.provideService(
      HttpServerRequest.HttpServerRequest,
      HttpServerRequest.fromWeb(new Request(`http://vigie.test${path}`))
    ),
    Effect.map((response) => {
      const body = response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : ""
      return { status: response.status, body, csp: response.headers["content-security-policy"] ?? "" }
    })
  )

describe("the web app's pages and the map tiles (TILE_URL)", () => {
  it.effect("name the tiles in a meta tag and let the browser load images from their origin only", () =>
    Effect.gen(function*() {
      const root = built()
      const page = yield* get(root, "/mairie/quartiers", "https://{s}.tile.example/{z}/{x}/{y}.png?k=\"x\"")
      expect(page.status).toBe(200)
      expect(page.body).toContain(
        "<meta name=\"vigie-tile-url\" content=\"https://{s}.tile.example/{z}/{x}/{y}.png?k=&quot;x&quot;\" />"
      )
      expect(page.csp).toContain("img-src 'self' data: blob: https://*.tile.example;")
      const direct = yield* get(root, "/index.html", "https://t.example/{z}/{x}/{y}.png")
      expect(direct.body).toContain("content=\"https://t.example/{z}/{x}/{y}.png\"")
      expect(direct.csp).toContain("img-src 'self' data: blob: https://t.example;")
    }))

  it.effect("without tiles: no meta tag, images from the site only", () =>
    Effect.gen(function*() {
      const page = yield* get(built(), "/")
      expect(page.body).not.toContain("vigie-tile-url")
      expect(page.csp).toContain("img-src 'self' data: blob:;")
    }))
})
