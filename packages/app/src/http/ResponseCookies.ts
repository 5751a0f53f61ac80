import type { Headers } from "@effect/platform/Headers"
import { Context, Effect, Layer } from "effect"

/** The request header through which the HTTP layer tells RPC handlers which exchange they answer. */
export const EXCHANGE_HEADER = "x-vigie-exchange"

/** A cookie to set on the HTTP response of the current RPC exchange. */
export interface ResponseCookie {
  readonly name: string
  readonly value: string
  /** Seconds; 0 deletes the cookie. */
  readonly maxAge: number
}

/**
 * Cookies that RPC handlers (log in, log out) want on the HTTP response. RPC handlers do not see the
 * HTTP response, so the HTTP layer opens an exchange per request, passes its id in a header it sets
 * itself (any such header from the client is replaced), and collects the cookies afterwards.
 */
export class ResponseCookies extends Context.Tag("@vigie/app/ResponseCookies")<
  ResponseCookies,
  {
    readonly open: Effect.Effect<string>
    readonly set: (headers: Headers, cookie: ResponseCookie) => Effect.Effect<void>
    readonly take: (exchange: string) => Effect.Effect<ReadonlyArray<ResponseCookie>>
  }
>() {}

export const make = Effect.sync(() => {
  const exchanges = new Map<string, Array<ResponseCookie>>()
  return ResponseCookies.of({
    open: Effect.sync(() => {
      const id = crypto.randomUUID()
      exchanges.set(id, [])
      return id
    }),
    set: (headers, cookie) =>
      Effect.sync(() => {
        const id = headers[EXCHANGE_HEADER]
        if (id !== undefined) exchanges.get(id)?.push(cookie)
      }),
    take: (exchange) =>
      Effect.sync(() => {
        const cookies = exchanges.get(exchange) ?? []
        exchanges.delete(exchange)
        return cookies
      })
  })
})

export const layer = Layer.effect(ResponseCookies, make)
