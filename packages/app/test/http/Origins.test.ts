import { describe, expect, it } from "vitest"
import { acceptedOrigins } from "../../src/http/RpcGate.js"

describe("the origins the RPC accepts calls from", () => {
  it("in development, every loopback name of PUBLIC_URL's scheme and port", () => {
    for (const site of ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]) {
      expect([...acceptedOrigins(new URL(site), true)].sort()).toStrictEqual(
        ["http://127.0.0.1:3000", "http://[::1]:3000", "http://localhost:3000"]
      )
    }
    // Another port or scheme is another site.
    const origins = acceptedOrigins(new URL("http://localhost:3000"), true)
    expect(origins.has("http://localhost:3001")).toBe(false)
    expect(origins.has("https://localhost:3000")).toBe(false)
    expect([...acceptedOrigins(new URL("http://localhost"), true)]).toContain("http://127.0.0.1")
  })

  it("a real site, or production, keeps PUBLIC_URL's origin alone", () => {
    expect([...acceptedOrigins(new URL("https://vigie.example.fr"), true)]).toStrictEqual(["https://vigie.example.fr"])
    expect([...acceptedOrigins(new URL("http://localhost:3000"), false)]).toStrictEqual(["http://localhost:3000"])
    expect([...acceptedOrigins(new URL("http://localhost.example.fr:3000"), true)]).toStrictEqual(
      ["http://localhost.example.fr:3000"]
    )
  })
})
