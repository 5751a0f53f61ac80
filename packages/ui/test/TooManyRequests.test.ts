import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { RpcClientError } from "@effect/rpc/RpcClientError"
import { Cause } from "effect"
import { describe, expect, it } from "vitest"
import { describeCause, describeError, NETWORK_MESSAGE } from "../src/lib/errors.js"

/** What the RPC client fails with when the server refuses the whole POST /rpc. */
const refused = (status: number, headers: Record<string, string>) => {
  const request = HttpClientRequest.post("/rpc")
  const response = HttpClientResponse.fromWeb(
    request,
    new Response(JSON.stringify({ _tag: "TooManyRequests" }), { status, headers })
  )
  return new RpcClientError({
    reason: "Protocol",
    message: "Failed to send HTTP request",
    cause: new HttpClientError.ResponseError({ request, response, reason: "StatusCode" })
  })
}

describe("the server's edge limit, shown in French", () => {
  it("says how long to wait, from Retry-After", () => {
    expect(describeError(refused(429, { "retry-after": "540" })).message).toBe(
      "Trop de tentatives, réessayez dans 9 minutes."
    )
    expect(describeCause(Cause.die(refused(429, { "retry-after": "30" }))).message).toBe(
      "Trop de tentatives, réessayez dans 30 secondes."
    )
    expect(describeCause(Cause.fail(refused(429, { "retry-after": "3600" }))).message).toBe(
      "Trop de tentatives, réessayez dans 1 heure."
    )
  })

  it("other refusals stay the network message", () => {
    expect(describeError(refused(403, {})).message).toBe(NETWORK_MESSAGE)
    expect(describeError(refused(429, {})).message).toBe("Trop de tentatives, réessayez dans 1 minute.")
  })
})
