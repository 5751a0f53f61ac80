import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { AccountSuspended, Unauthenticated } from "../accounts/AccountErrors.js"
import { displayName } from "../accounts/DisplayName.js"
import { requireAccount, type Actor } from "../accounts/CurrentActor.js"
import { MemberBlocks } from "../membership/MemberBlocks.js"
import type { AccountId } from "../shared/Ids.js"
import { InvalidBlock } from "./DirectoryErrors.js"
import { Directory } from "./Directory.js"
import { BlockedMember } from "./Profile.js"
import { blockRefusal } from "./ProfilePolicy.js"
import { ProfileRepo } from "./ProfileRepo.js"

type Acting = Unauthenticated | AccountSuspended

/**
 * Blocking a member (issue 16, item 4). The blocked member no longer finds the blocker in the
 * annuaire nor sees their profile (ProfileNotFound, as for anyone unknown), can no longer comment or
 * say « merci » on the blocker's Gazette posts nor mark their alerts (the generic refusal,
 * Forbidden), nor write to them; and is never told. One blocks a member who shares a verified
 * quartier with them (InvalidBlock otherwise, or for oneself); lifting a block is always allowed.
 * The rule others reuse is membership/MemberBlocks (`isBlockedBy`, `eitherBlocks`).
 */
export class Blocking extends Context.Tag("@vigie/domain/Blocking")<
  Blocking,
  {
    readonly block: (
      actor: Actor,
      accountId: AccountId
    ) => Effect.Effect<ReadonlyArray<BlockedMember>, Acting | InvalidBlock>
    readonly unblock: (actor: Actor, accountId: AccountId) => Effect.Effect<ReadonlyArray<BlockedMember>, Acting>
    readonly list: (actor: Actor) => Effect.Effect<ReadonlyArray<BlockedMember>, Acting>
  }
>() {}

export const make = Effect.gen(function*() {
  const blocks = yield* MemberBlocks
  const profiles = yield* ProfileRepo
  const directory = yield* Directory

  /** My blocks, newest first, each named as other members are named (« Ancien membre » once erased). */
  const listOf = (blockerId: AccountId) =>
    Effect.flatMap(
      blocks.blockedBy(blockerId),
      (rows) =>
        Effect.forEach(rows, (row) =>
          Effect.map(profiles.member(row.blockedId), (member) =>
            new BlockedMember({
              accountId: row.blockedId,
              name: Option.match(member, { onNone: () => displayName({ firstName: "", lastName: "", status: "erased" }),
                onSome: (m) => displayName(m) }),
              since: row.createdAt
            })))
    )

  const block: Blocking["Type"]["block"] = (actor, accountId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const viewer = yield* directory.viewerOf(account)
      const target = yield* profiles.member(accountId)
      const refusal = blockRefusal(viewer, Option.getOrUndefined(target), accountId)
      if (refusal !== undefined) return yield* new InvalidBlock({ accountId, reason: refusal })
      yield* blocks.block(account.id, accountId, yield* DateTime.now)
      return yield* listOf(account.id)
    }).pipe(Effect.withSpan("Blocking.block"))

  const unblock: Blocking["Type"]["unblock"] = (actor, accountId) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      yield* blocks.unblock(account.id, accountId)
      return yield* listOf(account.id)
    }).pipe(Effect.withSpan("Blocking.unblock"))

  const list: Blocking["Type"]["list"] = (actor) =>
    Effect.flatMap(requireAccount(actor), (account) => listOf(account.id)).pipe(Effect.withSpan("Blocking.list"))

  return Blocking.of({ block, unblock, list })
})

export const layer = Layer.effect(Blocking, make)
