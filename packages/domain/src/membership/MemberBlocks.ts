import { Context } from "effect"
import type { DateTime, Effect } from "effect"
import type { AccountId } from "../shared/Ids.js"

/** One block: `blockerId` blocked `blockedId` at `createdAt` (issue 16, item 4). */
export interface MemberBlock {
  readonly blockerId: AccountId
  readonly blockedId: AccountId
  readonly createdAt: DateTime.Utc
}

/**
 * Whether a block stands between `a` and `b`, whichever of them blocked the other: the pure form of
 * MemberBlocks.eitherBlocks, for rules that already hold the blocks in hand.
 */
export const eitherBlocks = (
  blocks: ReadonlyArray<Pick<MemberBlock, "blockerId" | "blockedId">>,
  a: AccountId,
  b: AccountId
): boolean => blocks.some((x) => (x.blockerId === a && x.blockedId === b) || (x.blockerId === b && x.blockedId === a))

/**
 * Whether `blockerId` has blocked `blockedId` (one way only): what decides that the blocked member no
 * longer reaches the blocker (their annuaire entry, their profile, their posts' comments and
 * « merci », their alerts' marks, their messages).
 */
export const blocks = (
  all: ReadonlyArray<Pick<MemberBlock, "blockerId" | "blockedId">>,
  blockerId: AccountId,
  blockedId: AccountId
): boolean => all.some((x) => x.blockerId === blockerId && x.blockedId === blockedId)

/**
 * The blocks between members (table member_blocks), by ids only. It sits in membership, below every
 * context that lets one member reach another (alerts' marks, the Gazette, the annuaire, the
 * messagerie), so that each of them asks it the same question. The blocked member is never told: no
 * read here is ever shown to them.
 */
export class MemberBlocks extends Context.Tag("@vigie/domain/MemberBlocks")<
  MemberBlocks,
  {
    /** Records the block (again: nothing changes); true when it was new. */
    readonly block: (blockerId: AccountId, blockedId: AccountId, at: DateTime.Utc) => Effect.Effect<boolean>
    /** Lifts the block (absent: nothing changes); true when there was one. */
    readonly unblock: (blockerId: AccountId, blockedId: AccountId) => Effect.Effect<boolean>
    /** The blocks `blockerId` made, newest first. */
    readonly blockedBy: (blockerId: AccountId) => Effect.Effect<ReadonlyArray<MemberBlock>>
    /** The accounts that blocked `blockedId` (whom the blocked member may not reach). */
    readonly blockersOf: (blockedId: AccountId) => Effect.Effect<ReadonlyArray<AccountId>>
    /** Whether `blockerId` blocked `blockedId` (one way). */
    readonly isBlockedBy: (blockedId: AccountId, blockerId: AccountId) => Effect.Effect<boolean>
    /** Whether either of `a` and `b` blocked the other (the messagerie's rule: neither writes to the other). */
    readonly eitherBlocks: (a: AccountId, b: AccountId) => Effect.Effect<boolean>
    /**
     * The blocks whose two ends are both among `accountIds`, in one read (a group's members: nobody is
     * put together with whom they blocked). Ask `eitherBlocks`/`blocks` above of the pairs in hand.
     */
    readonly among: (
      accountIds: ReadonlyArray<AccountId>
    ) => Effect.Effect<ReadonlyArray<Pick<MemberBlock, "blockerId" | "blockedId">>>
  }
>() {}
