import { Schema } from "effect"
import { AccountId } from "./Account.js"

export const SessionId = Schema.UUID.pipe(Schema.brand("SessionId"))
export type SessionId = typeof SessionId.Type

/**
 * A logged-in browser. The token itself lives only in the member's cookie; the server keeps its
 * keyed hash. A session ends at `expiresAt`, or earlier when unused for the idle timeout.
 */
export class Session extends Schema.Class<Session>("Session")({
  id: SessionId,
  accountId: AccountId,
  createdAt: Schema.DateTimeUtc,
  lastSeenAt: Schema.DateTimeUtc,
  expiresAt: Schema.DateTimeUtc
}) {}
