import { createHmac, timingSafeEqual } from "node:crypto"

/** Form or query parameters: every value of every key, in the order received (order does not matter). */
export type SignedParams = Readonly<Record<string, string | ReadonlyArray<string>>>

export interface V3Request {
  readonly method: "GET" | "POST"
  /** The full URL Plivo called, as configured at Plivo: PUBLIC_URL + path (+ query string). */
  readonly url: string
  readonly nonce: string
  /** The POST body's form fields (empty for GET). */
  readonly params: SignedParams
}

/** The header names Plivo sends. */
export const SIGNATURE_HEADER = "x-plivo-signature-v3"
export const NONCE_HEADER = "x-plivo-signature-v3-nonce"

/** JavaScript string → "binary string" of its UTF-8 bytes, as the `utf8` package's `encode` does. */
const utf8Binary = (text: string): string => Buffer.from(text, "utf8").toString("latin1")

const values = (value: string | ReadonlyArray<string>): Array<string> =>
  typeof value === "string" ? [value] : [...value]

const queryParams = (query: string): Map<string, Array<string>> => {
  const params = new Map<string, Array<string>>()
  if (query === "") return params
  for (const [key, value] of new URLSearchParams(query)) {
    params.set(key, [...(params.get(key) ?? []), value])
  }
  return params
}

/** "scheme://host[:port]/path" of a URL, without user info or fragment, as Plivo's SDK rebuilds it. */
const splitUrl = (url: string): { readonly base: string; readonly query: string } => {
  const match = /^(?:([^:/?#]+):)?(?:\/\/(?:[^@/?#]*@)?([^:/?#]*)(?::(\d*))?)?([^?#]*)(?:\?([^#]*))?/.exec(url)
  const protocol = match?.[1] ?? ""
  const host = match?.[2] ?? ""
  const port = match?.[3] ?? ""
  const path = (match?.[4] ?? "").trim()
  const origin = `${protocol === "" ? "http" : protocol}://${port === "" ? host : `${host}:${port}`}`
  return { base: path === "" ? origin : path.startsWith("/") ? origin + path : `${origin}/${path}`,
    query: match?.[5] ?? "" }
}

/**
 * The string Plivo signs (V3), replicating its SDK (`plivo/dist/utils/v3Security.js`):
 *
 *   GET:  base + ("?" + sorted query  when there is a query)
 *   POST: base + "?" + sorted query + ("." when the query is not empty) + sorted params,
 *         or just base + sorted query part when the POST has no parameters (as GET)
 *
 * where base is "scheme://host[:port]/path"; sorted query is "k=v" pairs (decoded, keys sorted, the
 * values of a key sorted) joined with "&"; sorted params is key + value concatenated with no
 * separator, keys sorted, the values of a repeated key sorted. Then "." + nonce is appended.
 */
export const signedString = (request: V3Request): string => {
  const url = utf8Binary(request.url)
  const { base, query } = splitUrl(url)
  const query_ = queryParams(query)
  const sortedQuery = [...query_.keys()].sort().flatMap((key) => query_.get(key)!.sort().map((v) => `${key}=${v}`))
    .join("&")
  const postKeys = request.method === "POST" ? Object.keys(request.params) : []
  const emptyPost = postKeys.length === 0
  let signed = base
  if (sortedQuery.length > 0 || !emptyPost) signed += `?${sortedQuery}`
  if (sortedQuery.length > 0 && !emptyPost) signed += "."
  if (!emptyPost) {
    signed += postKeys.sort().flatMap((key) => values(request.params[key]!).sort().map((v) => key + v)).join("")
  }
  return `${signed}.${utf8Binary(request.nonce)}`
}

/** The V3 signature: base64 of HMAC-SHA256 keyed by the auth token over `signedString`. */
export const signV3 = (authToken: string, request: V3Request): string =>
  createHmac("sha256", utf8Binary(authToken)).update(signedString(request)).digest("base64")

/** Why a request's signature was refused (never told to the caller; logged). */
export type SignatureProblem = "missing_signature" | "missing_nonce" | "mismatch"

/**
 * Checks the X-Plivo-Signature-V3 header (one or more comma-separated signatures; one match is
 * enough, as when Plivo signs with both a current and a rotated token) against our own HMAC,
 * compared in constant time.
 */
export const verifyV3 = (
  authToken: string,
  request: Omit<V3Request, "nonce"> & { readonly nonce: string | undefined },
  signatureHeader: string | undefined
): SignatureProblem | undefined => {
  if (signatureHeader === undefined || signatureHeader.trim() === "") return "missing_signature"
  if (request.nonce === undefined || request.nonce === "") return "missing_nonce"
  const expected = Buffer.from(signV3(authToken, { ...request, nonce: request.nonce }), "utf8")
  let matched = false
  for (const candidate of signatureHeader.split(",")) {
    const given = Buffer.from(candidate.trim(), "utf8")
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true
  }
  return matched ? undefined : "mismatch"
}
