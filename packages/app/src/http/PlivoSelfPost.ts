import { NONCE_HEADER, SIGNATURE_HEADER, signV3 } from "@vigie/adapters/sms/PlivoSignature"
import { Effect, Redacted } from "effect"

/**
 * Development only: posts `params` as a form to `target` (this same server) exactly as Plivo would,
 * with a fresh nonce and a V3 signature over `signedUrl` (PUBLIC_URL + path + query, what Plivo signs)
 * keyed by `authToken`. Succeeds with the HTTP status of the answer, 0 if the request failed.
 */
export const postSignedToSelf = (request: {
  readonly authToken: Redacted.Redacted
  readonly signedUrl: string
  readonly target: string
  readonly params: Readonly<Record<string, string>>
}): Effect.Effect<number> => {
  const { authToken, params, signedUrl, target } = request
  return Effect.suspend(() => {
    const nonce = String(Date.now()) + String(Math.floor(Math.random() * 1e6))
    const signature = signV3(Redacted.value(authToken) as string, { method: "POST", url: signedUrl, nonce, params })
    return Effect.tryPromise(() =>
      fetch(target, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          [SIGNATURE_HEADER]: signature,
          [NONCE_HEADER]: nonce
        },
        body: new URLSearchParams(params).toString()
      }).then((response) => response.status)
    ).pipe(Effect.orElseSucceed(() => 0))
  })
}
