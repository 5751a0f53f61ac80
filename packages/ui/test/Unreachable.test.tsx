import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { RpcClientError } from "@effect/rpc/RpcClientError"
import { Unauthenticated } from "@vigie/domain/accounts/AccountErrors"
import { cleanup, render, screen } from "@solidjs/testing-library"
import userEvent from "@testing-library/user-event"
import { Effect, Layer, ManagedRuntime } from "effect"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { App } from "../src/App.js"
import { UNREACHABLE_MESSAGE, wrongAddressMessage } from "../src/features/session/Session.js"
import { Vigie } from "../src/lib/rpc.js"
import type { VigieRuntime } from "../src/lib/runtime.js"

beforeEach(() => {
  // The dev inbox link asks GET /dev/outbox: answered 404, as in production.
  vi.stubGlobal("fetch", async () => new Response("{\"_tag\":\"NotFound\"}", { status: 404 }))
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

/** What the RPC client fails with when POST /rpc is refused with `status` and `body`, or cannot be sent at all. */
const clientError = (refusal?: { readonly status: number; readonly body: unknown }) => {
  const request = HttpClientRequest.post("/rpc")
  return new RpcClientError({
    reason: "Protocol",
    message: "Failed to send HTTP request",
    cause: refusal === undefined
      ? new HttpClientError.RequestError({ request, reason: "Transport", cause: new TypeError("Failed to fetch") })
      : new HttpClientError.ResponseError({
        request,
        response: HttpClientResponse.fromWeb(
          request,
          new Response(JSON.stringify(refusal.body), {
            status: refusal.status,
            headers: { "content-type": "application/json" }
          })
        ),
        reason: "StatusCode"
      })
  })
}

/** A client whose WhoAmI answers with `whoAmI()` each time it is called; every other call is a test failure. */
const runtimeWith = (whoAmI: () => Effect.Effect<never, unknown>) => {
  const client = new Proxy({}, {
    get: (_, tag) => tag === "WhoAmI" ? () => whoAmI() : () => Effect.dieMessage(`${String(tag)} was not expected`)
  })
  return ManagedRuntime.make(Layer.succeed(Vigie, client as never)) as VigieRuntime
}

describe("a newcomer's first page when the server cannot answer", () => {
  it("says so in French with a retry button instead of loading forever, and retrying shows the page", async () => {
    let answers = [() => Effect.fail(clientError()), () => Effect.fail(new Unauthenticated())]
    render(() => <App runtime={runtimeWith(() => answers.shift()!())} />)
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain("Vigie ne répond pas")
    expect(alert.textContent).toContain(UNREACHABLE_MESSAGE)
    expect(screen.queryByText("Chargement…")).toBeNull()
    await userEvent.click(screen.getByRole("button", { name: "Réessayer" }))
    await screen.findByRole("heading", { name: "Voisins vigilants et solidaires" })
    expect(screen.queryByRole("alert")).toBeNull()
    answers = []
  })

  it("opened at another address than the site's: names the site's address, from the server's refusal", async () => {
    const site = "https://vigie.example.fr"
    render(() => (
      <App
        runtime={runtimeWith(() =>
          Effect.fail(clientError({ status: 403, body: { _tag: "CsrfRejected", reason: "origin", expected: site } }))
        )}
      />
    ))
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain(wrongAddressMessage(site))
    expect(screen.getByRole("link", { name: `Ouvrir ${site}` }).getAttribute("href")).toBe(site)
  })

  it("a refusal that names no address, or a strange one, stays the general message", async () => {
    render(() => (
      <App
        runtime={runtimeWith(() =>
          Effect.fail(
            clientError({ status: 403,
              body: { _tag: "CsrfRejected", reason: "origin", expected: "javascript:alert(1)" } })
          )
        )}
      />
    ))
    const alert = await screen.findByRole("alert")
    expect(alert.textContent).toContain(UNREACHABLE_MESSAGE)
    expect(screen.queryByRole("link", { name: /^Ouvrir/ })).toBeNull()
  })

  it("nobody logged in is an answer, not a failure: the welcome page", async () => {
    render(() => <App runtime={runtimeWith(() => Effect.fail(new Unauthenticated()))} />)
    await screen.findByRole("heading", { name: "Voisins vigilants et solidaires" })
    expect(screen.queryByRole("alert")).toBeNull()
  })
})
