import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { ChannelCounts } from "../delivery/Outbox.js"
import type { DigestCandidate } from "./GazetteDigest.js"
import type { PostStatus } from "./GazettePost.js"

/** What the immediate messages of a post show, read when the workers send them. */
export interface ImmediatePost extends DigestCandidate {
  readonly status: PostStatus
}

/** What one planning wrote: the posts handled (one message each) and the deliveries per channel. */
export interface ImmediateReport extends ChannelCounts {
  readonly posts: number
}

/**
 * The Gazette's immediate messages, set-based: one message per post, and its deliveries to every
 * member it is for, written by one statement whatever their number.
 */
export class GazetteImmediateRepo extends Context.Tag("@vigie/domain/GazetteImmediateRepo")<
  GazetteImmediateRepo,
  {
    /**
     * For each published post created since `since` (at most `limit`, oldest first) that has no
     * immediate message yet (a post approved after being held counts from its approval): its message
     * (even with no recipient, so that it is handled once) and its deliveries by the rules of
     * GazetteImmediate.immediateRecipients: an e-mail to the verified members of the quartiers it
     * reaches who chose "immediate" for its kind, never its author; for a mairie communication also
     * an SMS to those who asked for them, on a verified phone not on the STOP list. Idempotent across
     * processes (one message per post, a unique index).
     */
    readonly plan: (since: DateTime.Utc, at: DateTime.Utc, limit: number) => Effect.Effect<ImmediateReport>
    /** The posts of immediate messages, by id, as they stand now. */
    readonly posts: (ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, ImmediatePost>>
  }
>() {}
