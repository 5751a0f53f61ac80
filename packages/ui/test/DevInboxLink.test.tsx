import { Unauthenticated } from "@vigie/domain/accounts/AccountErrors"
import { cleanup, render, screen, waitFor } from "@solidjs/testing-library"
import { Effect } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { App } from "../src/App.js"
import { stubServer } from "./support/TestRuntime.js"

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

/** The browser's fetch as the server answers GET /dev/outbox: 200 in development, the JSON 404 otherwise. */
const serverAnswering = (status: number) => {
  const asked: Array<string> = []
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    asked.push(`${init?.method ?? "GET"} ${String(input)}`)
    return new Response(status === 200 ? "{\"sms\":[],\"emails\":[],\"letters\":[]}" : "{\"_tag\":\"NotFound\"}", {
      status,
      headers: { "content-type": "application/json" }
    })
  })
  return asked
}

const LINK = "Boîte de développement (SMS, e-mails, lettres)"

describe("the dev inbox link", () => {
  it("is in the footer of every page in development, and leads to the server's /dev page", async () => {
    const asked = serverAnswering(200)
    const s = stubServer({ WhoAmI: () => Effect.fail(new Unauthenticated()) })
    render(() => <App runtime={s.runtime} />)
    const link = await screen.findByRole("link", { name: LINK })
    expect(link.getAttribute("href")).toBe("/dev")
    // A page of the server, so the app's router must not take the click (it would show "Page introuvable").
    expect(link.getAttribute("rel")).toBe("external")
    expect(link.closest("footer")).not.toBeNull()
    expect(asked).toEqual(["GET /dev/outbox"])
  })

  it("is absent in production, where the server answers 404 for /dev/outbox", async () => {
    const asked = serverAnswering(404)
    const s = stubServer({ WhoAmI: () => Effect.fail(new Unauthenticated()) })
    render(() => <App runtime={s.runtime} />)
    await screen.findByRole("heading", { name: "Voisins vigilants et solidaires" })
    await waitFor(() => expect(asked).toEqual(["GET /dev/outbox"]))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(screen.queryByRole("link", { name: LINK })).toBeNull()
  })
})
