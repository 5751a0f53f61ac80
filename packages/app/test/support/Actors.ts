import type { Account } from "@vigie/domain/accounts/Account"
import type { Actor } from "@vigie/domain/accounts/CurrentActor"
import type { SessionId } from "@vigie/domain/accounts/Session"

/** The account as a logged-in actor, for calling use cases directly. */
export const actorOf = (account: Account): Actor => ({
  _tag: "Authenticated",
  account,
  sessionId: "00000000-0000-4000-8000-000000000001" as SessionId
})
