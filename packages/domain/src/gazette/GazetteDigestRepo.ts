import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { EmailContent } from "../delivery/SubjectTexts.js"
import type { CommunityId } from "../communities/Community.js"
import type { DigestCandidate, DigestGroup, DigestWindow } from "./GazetteDigest.js"
import type { GazettePostId } from "./GazettePost.js"

/** One group of a week's digest, as planned: its id and its place in the planning order. */
export interface PlannedGroup extends DigestGroup {
  readonly id: string
  readonly seq: number
  readonly members: number
}

/** A group's rendered e-mail and the posts it shows (none: the group receives nothing). */
export interface RenderedGroup {
  readonly id: string
  readonly email: EmailContent | null
  readonly postIds: ReadonlyArray<GazettePostId>
}

/** What a week's planning wrote. */
export interface DigestReport {
  readonly week: string
  readonly groups: number
  readonly messages: number
  readonly deliveries: number
}

/**
 * The weekly digest's storage, set-based: every method is one or two statements whatever the
 * number of members, meant to run inside one transaction (`claim` first): a planning that fails
 * leaves nothing, not even its claim, so another process or a restart plans the week again.
 */
export class GazetteDigestRepo extends Context.Tag("@vigie/domain/GazetteDigestRepo")<
  GazetteDigestRepo,
  {
    /**
     * Claims the week (a row keyed by its Monday): false when another planning has it, committed or
     * in progress (a concurrent claim waits for the other transaction, then finds it).
     */
    readonly claim: (window: DigestWindow, at: DateTime.Utc) => Effect.Effect<boolean>
    /**
     * Groups the members who receive a digest by (their quartiers, their weekly topics): active
     * accounts with an e-mail, verified in active quartiers, with at least one weekly topic. Returns
     * how many groups.
     */
    readonly group: (window: DigestWindow) => Effect.Effect<number>
    /** The next `limit` groups after `afterSeq`, in planning order (groups of the same quartiers together). */
    readonly groups: (
      window: DigestWindow,
      afterSeq: number,
      limit: number
    ) => Effect.Effect<ReadonlyArray<PlannedGroup>>
    /**
     * The week's posts reaching any of `communities` (GazetteDigest.inDigestWindow), each with the
     * quartiers it reaches among them.
     */
    readonly candidates: (
      window: DigestWindow,
      communities: ReadonlyArray<CommunityId>
    ) => Effect.Effect<ReadonlyArray<DigestCandidate>>
    /** Stores the groups' e-mails (one statement); groups with nothing to read are removed. */
    readonly store: (rendered: ReadonlyArray<RenderedGroup>) => Effect.Effect<void>
    /**
     * One message per group with an e-mail, and one e-mail delivery per member of it (INSERT …
     * SELECT), due at `at`; closes the week's claim with the counts.
     */
    readonly send: (window: DigestWindow, at: DateTime.Utc) => Effect.Effect<DigestReport>
    /**
     * Blanks the e-mails of the digests of `week` and the weeks before (long sent: the workers send a digest
     * within hours), keeping which posts each showed; a week's groups weigh tens of megabytes. Returns
     * how many.
     */
    readonly forgetEmails: (week: string) => Effect.Effect<number>
    /** The stored e-mails of digests, by id (for the delivery workers). */
    readonly emails: (ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, EmailContent>>
    /** When the week's planning was done, if it was. */
    readonly plannedAt: (week: string) => Effect.Effect<Option.Option<DateTime.Utc>>
  }
>() {}
