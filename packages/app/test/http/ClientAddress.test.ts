import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import {
  isLoopback,
  noTrustedProxies,
  parseTrustedProxies,
  resolveClientAddress,
  UNKNOWN_ADDRESS
} from "../../src/http/ClientAddress.js"

const trusted = (text: string) => {
  const parsed = parseTrustedProxies(text)
  if (parsed._tag === "Left") throw new Error(`not a proxy list: ${parsed.entry}`)
  return parsed.value
}

describe("ClientAddress", () => {
  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress(Option.some("203.0.113.7"), "1.2.3.4", noTrustedProxies)).toBe("203.0.113.7")
    expect(resolveClientAddress(Option.some("::ffff:127.0.0.1"), undefined, noTrustedProxies)).toBe("127.0.0.1")
    expect(resolveClientAddress(Option.none(), "1.2.3.4", noTrustedProxies)).toBe(UNKNOWN_ADDRESS)
  })

  it("reads X-Forwarded-For from the right when the peer is a trusted proxy", () => {
    const proxies = trusted("10.0.0.0/8, fd00::1")
    // The client put a forged first entry; the proxy appended the real one.
    expect(resolveClientAddress(Option.some("10.0.0.5"), "6.6.6.6, 198.51.100.9", proxies)).toBe("198.51.100.9")
    // Two trusted hops in a row are skipped.
    expect(resolveClientAddress(Option.some("10.0.0.5"), "198.51.100.9, 10.2.3.4", proxies)).toBe("198.51.100.9")
    expect(resolveClientAddress(Option.some("fd00::1"), "2001:db8::5", proxies)).toBe("2001:db8::5")
    // An untrusted peer's header is ignored.
    expect(resolveClientAddress(Option.some("192.0.2.1"), "198.51.100.9", proxies)).toBe("192.0.2.1")
    // Garbage in the header stops the walk at the last address believed.
    expect(resolveClientAddress(Option.some("10.0.0.5"), "not-an-ip", proxies)).toBe("10.0.0.5")
  })

  it("refuses an entry that is neither an address nor a range", () => {
    expect(parseTrustedProxies("10.0.0.1, nope")._tag).toBe("Left")
    expect(parseTrustedProxies("10.0.0.0/33")._tag).toBe("Left")
    expect(parseTrustedProxies("")).toMatchObject({ _tag: "Right", value: { isEmpty: true } })
  })

  it("knows loopback addresses", () => {
    expect(isLoopback("127.0.0.1")).toBe(true)
    expect(isLoopback("::1")).toBe(true)
    expect(isLoopback("192.168.1.2")).toBe(false)
    expect(isLoopback(UNKNOWN_ADDRESS)).toBe(false)
  })
})
