import { describe, expect, it } from "@effect/vitest"
import { signV3, verifyV3 } from "@vigie/adapters/sms/PlivoSignature"
import type { V3Request } from "@vigie/adapters/sms/PlivoSignature"
import fc from "fast-check"
import plivo from "plivo"

const token = "MAXXXXXXXXXXXXXXXXXX-token"
const url = "https://vigie.example.fr/webhooks/plivo/status"
const params = {
  MessageUUID: "9a5e1c2e-0b3d-11ef-9f2a-0242ac120002",
  Status: "delivered",
  To: "+33612345678",
  From: "+33644556677",
  ErrorCode: "000"
}
const request: V3Request = { method: "POST", url, nonce: "12345678901234567890", params }

const sdkValidates = (r: V3Request, header: string): boolean =>
  plivo.validateV3Signature(r.method, r.url, r.nonce, token, header, r.params) as boolean

describe("PlivoSignature", () => {
  it("accepts what it signed, and Plivo's own SDK accepts it too", () => {
    const signature = signV3(token, request)
    expect(verifyV3(token, request, signature)).toBeUndefined()
    expect(sdkValidates(request, signature)).toBe(true)
  })

  it("accepts any one of several comma-separated signatures", () => {
    const signature = signV3(token, request)
    expect(verifyV3(token, request, `${signV3("old-token", request)},${signature}`)).toBeUndefined()
  })

  it("refuses a forged signature, a changed field, a wrong URL and a wrong token", () => {
    const signature = signV3(token, request)
    expect(verifyV3(token, request, "bm90IGEgc2lnbmF0dXJl")).toBe("mismatch")
    expect(verifyV3(token, request, signature.slice(0, -2) + "AA")).toBe("mismatch")
    expect(verifyV3(token, { ...request, params: { ...params, Status: "failed" } }, signature)).toBe("mismatch")
    expect(verifyV3(token, { ...request, url: "https://vigie.example.fr/webhooks/plivo/sms" }, signature)).toBe(
      "mismatch"
    )
    expect(verifyV3(token, { ...request, url: "http://vigie.example.fr/webhooks/plivo/status" }, signature)).toBe(
      "mismatch"
    )
    expect(verifyV3("another-token", request, signature)).toBe("mismatch")
    expect(verifyV3(token, { ...request, nonce: "12345678901234567891" }, signature)).toBe("mismatch")
  })

  it("refuses a request without signature or without nonce", () => {
    const signature = signV3(token, request)
    expect(verifyV3(token, request, undefined)).toBe("missing_signature")
    expect(verifyV3(token, request, "")).toBe("missing_signature")
    expect(verifyV3(token, { ...request, nonce: undefined }, signature)).toBe("missing_nonce")
    expect(verifyV3(token, { ...request, nonce: "" }, signature)).toBe("missing_nonce")
  })

  it("does not depend on the order of the form fields", () => {
    const reversed = Object.fromEntries(Object.entries(params).reverse())
    expect(signV3(token, { ...request, params: reversed })).toBe(signV3(token, request))
  })

  it("agrees with Plivo's SDK on generated requests (query strings, repeated keys, accents, emoji)", () => {
    const text = fc.oneof(
      fc.string(),
      fc.fullUnicodeString(),
      fc.constantFrom("é", "Voiture suspecte 🚗", "a&b=c", "+33 6")
    )
    const key = fc.oneof(
      fc.constantFrom("Text", "From", "To", "MessageUUID", "Status", "Units"),
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,10}$/)
    )
    const paramsArb = fc.dictionary(key, fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })), { maxKeys: 6 })
    const query = fc.option(
      fc.dictionary(fc.stringMatching(/^[a-z]{1,5}$/), fc.stringMatching(/^[A-Za-z0-9]{0,6}$/), { minKeys: 1,
        maxKeys: 3 }),
      { nil: undefined }
    )
    const urlArb = fc.tuple(
      fc.constantFrom("https://vigie.example.fr", "http://127.0.0.1:3000", "https://vigie.example.fr:8443"),
      fc.constantFrom("/webhooks/plivo/status", "/webhooks/plivo/sms", "/", "/a/b/"),
      query
    ).map(([origin, path, q]) => origin + path + (q === undefined ? "" : "?" + new URLSearchParams(q).toString()))
    fc.assert(
      fc.property(
        fc.constantFrom("GET" as const, "POST" as const),
        urlArb,
        fc.stringMatching(/^[0-9]{1,24}$/),
        paramsArb,
        (method, u, nonce, p) => {
          const r: V3Request = { method, url: u, nonce, params: method === "GET" ? {} : p }
          const signature = signV3(token, r)
          expect(sdkValidates(r, signature)).toBe(true)
          expect(verifyV3(token, r, signature)).toBeUndefined()
        }
      ),
      { numRuns: 500 }
    )
  })
})
