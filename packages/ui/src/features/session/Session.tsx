import type { Me } from "@vigie/domain/accounts/Me"
import { Cause, Effect, Option } from "effect"
import { createContext, createResource, createSignal, useContext } from "solid-js"
import type { Accessor, JSX, Resource } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"

/** Why the first call to the server failed: what to tell the visitor, and the site's address when the page is not on it. */
export interface Unreachable {
  readonly message: string
  readonly site?: string
}

interface SessionState {
  /** The logged-in account, null when nobody is (or the server could not be asked), undefined while loading. */
  readonly me: Resource<Me | null>
  /** Set when the server could not say who is logged in: the page shows why and how to retry, never a spinner. */
  readonly unreachable: Accessor<Unreachable | undefined>
  readonly refresh: () => void
  readonly set: (me: Me | null) => void
}

const SessionContext = createContext<SessionState>()

/**
 * The site's address when the server refused the page's origin (403 CsrfRejected naming it, from
 * packages/app/src/http/RpcGate.ts): the page was opened at an address that is not Vigie's.
 */
const refusedOrigin = (cause: Cause.Cause<unknown>): Effect.Effect<Option.Option<string>> => {
  const error = Option.orElse(Cause.failureOption(cause), () => Cause.dieOption(cause))
  const response = Option.flatMap(error, (e) =>
    Option.fromNullable(
      (e as {
        readonly cause?: {
          readonly response?: { readonly status?: number; readonly json?: Effect.Effect<unknown, unknown> }
        }
      })
        ?.cause?.response
    ))
  if (Option.isNone(response) || response.value.status !== 403 || response.value.json === undefined) {
    return Effect.succeedNone
  }
  return response.value.json.pipe(
    Effect.map((body) => {
      const refusal = body as { readonly _tag?: unknown; readonly reason?: unknown; readonly expected?: unknown }
      return refusal._tag === "CsrfRejected" && refusal.reason === "origin" && typeof refusal.expected === "string"
          && /^https?:\/\//.test(refusal.expected)
        ? Option.some(refusal.expected)
        : Option.none()
    }),
    Effect.orElseSucceed(() => Option.none<string>())
  )
}

export const UNREACHABLE_MESSAGE =
  "Vigie ne répond pas pour le moment. Vérifiez votre connexion Internet, puis réessayez dans un instant."
export const wrongAddressMessage = (site: string) =>
  `Cette page n'est pas ouverte à l'adresse de Vigie. Ouvrez ${site} pour continuer.`

/** Asks the server who the session cookie belongs to, once, and whenever refresh() is called. */
export const SessionProvider = (props: { readonly children: JSX.Element }) => {
  const run = useRun()
  const [unreachable, setUnreachable] = createSignal<Unreachable | undefined>()
  const [me, { refetch, mutate }] = createResource(async () => {
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.WhoAmI({})).pipe(
        Effect.map((value) => ({ value })),
        // Nobody logged in (or a suspended account) is an answer; the server not answering is not.
        Effect.catchIf(
          (error) => error._tag !== "RpcClientError",
          () => Effect.succeed({ value: null })
        ),
        Effect.catchAllCause((cause) =>
          Effect.map(refusedOrigin(cause), (site): { readonly unreachable: Unreachable } => ({
            unreachable: Option.match(site, {
              onNone: () => ({ message: UNREACHABLE_MESSAGE }),
              onSome: (site) => ({ message: wrongAddressMessage(site), site })
            })
          }))
        )
      )
    )
    const answer = outcome.ok ? outcome.value : { unreachable: { message: UNREACHABLE_MESSAGE } }
    setUnreachable("unreachable" in answer ? answer.unreachable : undefined)
    return "value" in answer ? answer.value : null
  })
  const state: SessionState = {
    me,
    unreachable,
    refresh: () => void refetch(),
    set: (value) => void mutate(value)
  }
  return <SessionContext.Provider value={state}>{props.children}</SessionContext.Provider>
}

export const useSession = (): SessionState => {
  const session = useContext(SessionContext)
  if (session === undefined) throw new Error("useSession: no SessionProvider above this component")
  return session
}

/** My memberships still waiting for the activation letter's code. */
export const pendingMemberships = (me: Me) =>
  me.memberships.filter((m) => m.membership.status === "pending_verification")
export const verifiedMemberships = (me: Me) => me.memberships.filter((m) => m.membership.status === "verified")
