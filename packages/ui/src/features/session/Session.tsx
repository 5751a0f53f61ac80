import type { Me } from "@vigie/domain/accounts/Me"
import { Effect } from "effect"
import { createContext, createResource, useContext } from "solid-js"
import type { JSX, Resource } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"

interface SessionState {
  /** The logged-in account, null when nobody is, undefined while loading. */
  readonly me: Resource<Me | null>
  readonly refresh: () => void
  readonly set: (me: Me | null) => void
}

const SessionContext = createContext<SessionState>()

/** Asks the server who the session cookie belongs to, once, and whenever refresh() is called. */
export const SessionProvider = (props: { readonly children: JSX.Element }) => {
  const run = useRun()
  const [me, { refetch, mutate }] = createResource(async () => {
    const outcome = await run(Effect.flatMap(Vigie, (client) => client.WhoAmI({})))
    return outcome.ok ? outcome.value : null
  })
  const state: SessionState = { me, refresh: () => void refetch(), set: (value) => void mutate(value) }
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
