import { Context, Effect } from "effect"
import type { Account } from "./Account.js"
import { AccountSuspended, Unauthenticated } from "./AccountErrors.js"
import type { PhoneE164 } from "../shared/Text.js"
import type { SessionId } from "./Session.js"

/**
 * Who is acting: nobody logged in, an account through one of its sessions, or an account through its
 * verified phone (an SMS to the gateway; only the signed Plivo webhook produces this one).
 */
export type Actor =
  | { readonly _tag: "Anonymous" }
  | { readonly _tag: "Authenticated"; readonly account: Account; readonly sessionId: SessionId }
  | { readonly _tag: "Phone"; readonly account: Account; readonly phone: PhoneE164 }

export const anonymous: Actor = { _tag: "Anonymous" }

/** The acting account of the current RPC call, provided by the Authentication middleware. */
export class CurrentActor extends Context.Tag("@vigie/domain/CurrentActor")<CurrentActor, Actor>() {}

/** The account behind the actor, refusing anonymous callers and accounts that may not act. */
export const requireAccount = (actor: Actor): Effect.Effect<Account, Unauthenticated | AccountSuspended> => {
  if (actor._tag === "Anonymous") return Effect.fail(new Unauthenticated())
  const account = actor.account
  if (account.status === "suspended") return Effect.fail(new AccountSuspended({ accountId: account.id }))
  if (account.status === "erased") return Effect.fail(new Unauthenticated())
  return Effect.succeed(account)
}
