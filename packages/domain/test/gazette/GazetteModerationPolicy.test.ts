import { describe, expect, it } from "@effect/vitest"
import type { AccountId } from "../../src/accounts/Account.js"
import {
  appealRefusal,
  flagRefusal,
  flagsClosedAs,
  gazetteNoticeText,
  hideDetailsRefusal,
  mayDecideGazetteAppeal,
  moderatedStatus,
  moderationRefusal
} from "../../src/gazette/GazetteModerationPolicy.js"
import type { GazetteCommentId } from "../../src/gazette/GazetteComment.js"
import { type GazettePostId, PostStatus } from "../../src/gazette/GazettePost.js"
import { HideReason } from "../../src/moderation/HideReason.js"
import { Option } from "effect"

const alice = "00000000-0000-4000-8000-0000000000a1" as AccountId
const bob = "00000000-0000-4000-8000-0000000000b2" as AccountId
const postId = "00000000-0000-4000-8000-0000000000c3" as GazettePostId
const post = { postId, commentId: Option.none() }
const comment = { postId, commentId: Option.some("00000000-0000-4000-8000-0000000000d4" as GazetteCommentId) }

describe("GazetteModerationPolicy", () => {
  it("moves a post only as a moderator may: approve held, hide published or held, restore hidden", () => {
    const table = PostStatus.literals.map((from) => [
      from,
      Option.getOrNull(moderatedStatus("approve", from)),
      Option.getOrNull(moderatedStatus("hide", from)),
      Option.getOrNull(moderatedStatus("restore", from))
    ])
    expect(table).toEqual([
      ["published", null, "hidden", null],
      ["held_for_review", "published", "hidden", null],
      ["hidden", null, null, "published"],
      ["withdrawn", null, null, null]
    ])
    expect(moderationRefusal(post, "approve", "published")?._tag).toBe("GazetteModerationConflict")
    expect(moderationRefusal(post, "restore", "withdrawn")?.status).toBe("withdrawn")
    expect(moderationRefusal(comment, "restore", "published")?.commentId).toBe(Option.getOrThrow(comment.commentId))
    expect(moderationRefusal(comment, "hide", "held_for_review")).toBeUndefined()
  })

  it("upholds the open flags of a hidden post and dismisses them otherwise", () => {
    expect([flagsClosedAs("hide"), flagsClosedAs("approve"), flagsClosedAs("restore")]).toEqual([
      "upheld",
      "dismissed",
      "dismissed"
    ])
  })

  it("needs details for the reason 'other' only", () => {
    for (const reason of HideReason.literals) {
      expect(hideDetailsRefusal(reason, Option.none())?._tag, reason).toBe(
        reason === "other" ? "ReasonDetailsRequired" : undefined
      )
      expect(hideDetailsRefusal(reason, Option.some("Publicité déguisée"))).toBeUndefined()
    }
    expect(hideDetailsRefusal("other", Option.some("   "))?._tag).toBe("ReasonDetailsRequired")
  })

  it("lets a member flag what others wrote, never their own post", () => {
    expect(flagRefusal(alice, bob)).toBeUndefined()
    expect(flagRefusal(alice, alice)?._tag).toBe("Forbidden")
  })

  it("lets the author appeal a hidden post or comment only", () => {
    for (const target of [post, comment]) {
      expect(appealRefusal(alice, target, { authorId: alice, status: "hidden" })).toBeUndefined()
      expect(appealRefusal(bob, target, { authorId: alice, status: "hidden" })?._tag).toBe("Forbidden")
      for (const status of ["published", "held_for_review", "withdrawn"] as const) {
        expect(appealRefusal(alice, target, { authorId: alice, status })?._tag).toBe("GazetteNotAppealable")
      }
    }
  })

  it("has an appeal decided by another moderator than the one who hid the post", () => {
    expect(mayDecideGazetteAppeal(bob, alice)).toBe(true)
    expect(mayDecideGazetteAppeal(alice, alice)).toBe(false)
  })

  it("tells the author in French what was decided, with the reason of a hiding", () => {
    expect(gazetteNoticeText("Vélo", { _tag: "hidden", reason: "off_topic", details: Option.some("pub") }))
      .toBe(
        "Votre publication « Vélo » dans la Gazette a été masquée par la modération. Motif : hors sujet (pub). " +
          "Vous pouvez contester cette décision une fois depuis votre publication."
      )
    expect(gazetteNoticeText("Vélo", { _tag: "approved" })).toContain("vos voisins la voient désormais")
    expect(gazetteNoticeText("Vélo", { _tag: "appeal_upheld", reason: "Charte" })).toContain("reste masquée")
    expect(gazetteNoticeText("Vélo", { _tag: "restored" }, "comment")).toBe(
      "Votre commentaire sur « Vélo » dans la Gazette a été rétabli par la modération : vos voisins le voient de nouveau."
    )
  })
})
