import { RpcTest } from "@effect/rpc"
import { MemoryRouter, Route, createMemoryHistory } from "@solidjs/router"
import { render } from "@solidjs/testing-library"
import { Authentication } from "@vigie/domain/accounts/Authentication"
import { anonymous } from "@vigie/domain/accounts/CurrentActor"
import { Effect, Layer, ManagedRuntime } from "effect"
import type { JSX } from "solid-js"
import { SessionProvider } from "../../src/features/session/Session.js"
import { Vigie, VigieRpcs } from "../../src/lib/rpc.js"
import { RuntimeProvider, type VigieRuntime } from "../../src/lib/runtime.js"

type AnyHandler = (payload: any, options: any) => any

/**
 * Stubbed server handlers, by RPC tag. Any RPC a test does not stub dies when called, so a test
 * also proves which calls a screen makes. Calls are recorded in `calls`.
 */
export const stubServer = (handlers: Record<string, AnyHandler>) => {
  const calls: Array<{ readonly tag: string; readonly payload: any }> = []
  const all: Record<string, AnyHandler> = {}
  for (const tag of VigieRpcs.requests.keys()) {
    all[tag] = (payload, options) => {
      calls.push({ tag, payload })
      const handler = handlers[tag]
      return handler === undefined ? Effect.dieMessage(`${tag} is not stubbed in this test`) : handler(payload, options)
    }
  }
  const handlersLayer = VigieRpcs.toLayer(all as never) as unknown as Layer.Layer<never>
  const authentication = Layer.succeed(Authentication, Authentication.of(() => Effect.succeed(anonymous)))
  const layer = Layer.scoped(Vigie, RpcTest.makeClient(VigieRpcs)).pipe(
    Layer.provide(handlersLayer),
    Layer.provide(authentication)
  ) as Layer.Layer<Vigie>
  const runtime: VigieRuntime = ManagedRuntime.make(layer)
  return { runtime, calls, called: (tag: string) => calls.filter((c) => c.tag === tag) }
}

/** The providers every page expects, over a stubbed server. */
export const Providers = (props: { readonly runtime: VigieRuntime; readonly children: JSX.Element }) => (
  <RuntimeProvider runtime={props.runtime}>
    <SessionProvider>{props.children}</SessionProvider>
  </RuntimeProvider>
)

/**
 * Renders a page as the app does: runtime and session providers, inside a memory router at `path`
 * (the page is the component of a catch-all route, so router hooks work).
 */
export const renderPage = (
  page: () => JSX.Element,
  server: { readonly runtime: VigieRuntime },
  path = "/",
  pattern = "*"
) => {
  const history = createMemoryHistory()
  history.set({ value: path, scroll: false, replace: true })
  const result = render(() => (
    <Providers runtime={server.runtime}>
      <MemoryRouter history={history}>
        <Route path={pattern} component={page} />
      </MemoryRouter>
    </Providers>
  ))
  return { ...result, history }
}
