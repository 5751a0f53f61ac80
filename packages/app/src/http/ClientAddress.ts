import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect, Option } from "effect"
import { BlockList, isIP } from "node:net"

/**
 * The internal header through which the RPC gate tells the handlers who called: the client's
 * address as this server trusts it. Whatever a client sends under this name is replaced.
 */
export const CLIENT_IP_HEADER = "x-vigie-client-ip"

/** What stands for an address that could not be read (a test's in-memory request, a closed socket). */
export const UNKNOWN_ADDRESS = "unknown"

/** The proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES: addresses and CIDR ranges). */
export interface TrustedProxies {
  readonly list: BlockList
  readonly isEmpty: boolean
}

export const noTrustedProxies: TrustedProxies = { list: new BlockList(), isEmpty: true }

const familyOf = (address: string): "ipv4" | "ipv6" | undefined => {
  const v = isIP(address)
  return v === 4 ? "ipv4" : v === 6 ? "ipv6" : undefined
}

/** An IPv4-mapped IPv6 address (::ffff:127.0.0.1, as Node reports IPv4 peers on a dual stack) as IPv4. */
export const normalizeAddress = (address: string): string => {
  const trimmed = address.trim()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)
  return mapped !== null ? mapped[1]! : trimmed.toLowerCase()
}

/**
 * Parses "10.0.0.1, 10.1.0.0/16, fd00::/8" (empty: none). Left with the entry that is neither an
 * address nor a CIDR range.
 */
export const parseTrustedProxies = (
  text: string
): { readonly _tag: "Right"; readonly value: TrustedProxies } | { readonly _tag: "Left"; readonly entry: string } => {
  const list = new BlockList()
  let count = 0
  for (const raw of text.split(",")) {
    const entry = raw.trim()
    if (entry === "") continue
    const [address, prefix, ...rest] = entry.split("/")
    const family = address === undefined ? undefined : familyOf(normalizeAddress(address))
    if (family === undefined || rest.length > 0) return { _tag: "Left", entry }
    if (prefix === undefined) {
      list.addAddress(normalizeAddress(address!), family)
    } else {
      const bits = Number(prefix)
      const max = family === "ipv4" ? 32 : 128
      if (!/^\d{1,3}$/.test(prefix) || bits > max) return { _tag: "Left", entry }
      list.addSubnet(normalizeAddress(address!), bits, family)
    }
    count++
  }
  return { _tag: "Right", value: { list, isEmpty: count === 0 } }
}

/** Whether `address` is one of the trusted proxies (TRUSTED_PROXIES). */
export const isTrusted = (trusted: TrustedProxies, address: string) => {
  const family = familyOf(address)
  return family !== undefined && !trusted.isEmpty && trusted.list.check(address, family)
}

/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy, in which case
 * X-Forwarded-For is read from the right, skipping trusted proxies, and the first address that is
 * not one is the client (a client cannot forge the entries its own proxy appends).
 */
export const resolveClientAddress = (
  peer: Option.Option<string>,
  forwardedFor: string | undefined,
  trusted: TrustedProxies
): string => {
  if (Option.isNone(peer)) return UNKNOWN_ADDRESS
  let client = normalizeAddress(peer.value)
  if (!isTrusted(trusted, client) || forwardedFor === undefined) return client
  const hops = forwardedFor.split(",").map(normalizeAddress).filter((hop) => hop !== "")
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!
    if (familyOf(hop) === undefined) return client
    client = hop
    if (!isTrusted(trusted, hop)) return hop
  }
  return client
}

/** The current request's client address. */
export const current = (trusted: TrustedProxies) =>
  Effect.map(
    HttpServerRequest.HttpServerRequest,
    (request) => resolveClientAddress(request.remoteAddress, request.headers["x-forwarded-for"], trusted)
  )

/** Whether the current request comes straight from this machine (loopback, no proxy in between). */
export const isLoopback = (address: string): boolean => address === "::1" || /^127\.\d+\.\d+\.\d+$/.test(address)
