import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "./Account.js"
import type { Session, SessionId } from "./Session.js"

/** Persistence of sessions, found by the keyed hash of their token. */
export class SessionRepo extends Context.Tag("@vigie/domain/SessionRepo")<
  SessionRepo,
  {
    readonly insert: (session: {
      readonly accountId: AccountId
      readonly tokenHash: Uint8Array
      readonly createdAt: DateTime.Utc
      readonly expiresAt: DateTime.Utc
    }) => Effect.Effect<Session>
    readonly findByTokenHash: (tokenHash: Uint8Array) => Effect.Effect<Option.Option<Session>>
    readonly touch: (id: SessionId, at: DateTime.Utc) => Effect.Effect<void>
    readonly delete: (id: SessionId) => Effect.Effect<void>
    readonly deleteByAccount: (accountId: AccountId) => Effect.Effect<void>
  }
>() {}
