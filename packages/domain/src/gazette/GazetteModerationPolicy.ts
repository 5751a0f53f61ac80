import { Duration, Option } from "effect"
import type { AccountId } from "../accounts/Account.js"
import { Forbidden } from "../accounts/AccountErrors.js"
import { type HideReason, hideReasonLabel } from "../moderation/HideReason.js"
import { ReasonDetailsRequired } from "../moderation/ModerationErrors.js"
import { GazetteModerationConflict, GazetteNotAppealable } from "./GazetteModerationErrors.js"
import type { GazetteFlagStatus, GazetteItemKind, GazetteTarget } from "./GazetteModerationItem.js"
import type { PostStatus } from "./GazettePost.js"

/** The commentId field of an error about the target, when it is a comment. */
const commentOf = (target: GazetteTarget) =>
  Option.match(target.commentId, { onNone: () => ({}), onSome: (commentId) => ({ commentId }) })

/** At most this many flags per member in each GAZETTE_FLAG_WINDOW (a fixed day window). */
export const GAZETTE_FLAG_DAILY_LIMIT = 20
export const GAZETTE_FLAG_WINDOW = Duration.days(1)

/** A moderator's decision on a Gazette post. */
export type GazetteModeratorAction = "approve" | "hide" | "restore"

/**
 * Where a moderator's action takes a post or a comment: approve a held one (published), hide a
 * published or held one, restore a hidden one (published). None: the action does not apply (a
 * withdrawn post is its author's, nobody moderates it any more).
 */
export const moderatedStatus = (action: GazetteModeratorAction, from: PostStatus): Option.Option<PostStatus> => {
  switch (action) {
    case "approve":
      return from === "held_for_review" ? Option.some("published") : Option.none()
    case "hide":
      return from === "published" || from === "held_for_review" ? Option.some("hidden") : Option.none()
    case "restore":
      return from === "hidden" ? Option.some("published") : Option.none()
  }
}

/** The conflict when the action does not apply to the post as it stands; undefined when it does. */
export const moderationRefusal = (
  target: GazetteTarget,
  action: GazetteModeratorAction,
  from: PostStatus
): GazetteModerationConflict | undefined =>
  Option.isSome(moderatedStatus(action, from))
    ? undefined
    : new GazetteModerationConflict({ postId: target.postId, ...commentOf(target), action, status: from })

/** What becomes of the open flags of a post a moderator decided on: upheld by a hiding, dismissed otherwise. */
export const flagsClosedAs = (action: GazetteModeratorAction): Exclude<GazetteFlagStatus, "open"> =>
  action === "hide" ? "upheld" : "dismissed"

/** The reason `other` needs a free text saying what it is (as for alerts). */
export const hideDetailsRefusal = (
  reason: HideReason,
  details: Option.Option<string>
): ReasonDetailsRequired | undefined =>
  reason === "other" && Option.isNone(Option.filter(details, (d) => d.trim().length > 0))
    ? new ReasonDetailsRequired({ reason })
    : undefined

/** A member flags what others wrote; their own post (or comment) they withdraw (or delete) instead. */
export const flagRefusal = (flaggerId: AccountId, authorId: AccountId): Forbidden | undefined =>
  flaggerId === authorId ? new Forbidden({ action: "flag_own_gazette_post" }) : undefined

/** Only the author appeals, and only a hidden post or comment. */
export const appealRefusal = (
  appellantId: AccountId,
  target: GazetteTarget,
  item: { readonly authorId: AccountId; readonly status: PostStatus }
): Forbidden | GazetteNotAppealable | undefined =>
  item.authorId !== appellantId
    ? new Forbidden({ action: "appeal_gazette_hiding" })
    : item.status !== "hidden"
    ? new GazetteNotAppealable({ postId: target.postId, ...commentOf(target), status: item.status })
    : undefined

/** Another moderator than the one who hid the post decides the appeal against the hiding. */
export const mayDecideGazetteAppeal = (moderatorId: AccountId, hiddenBy: AccountId): boolean => moderatorId !== hiddenBy

const agree = (item: GazetteItemKind, participle: string) => (item === "post" ? `${participle}e` : participle)
const pronoun = (item: GazetteItemKind) => (item === "post" ? "la" : "le")

/** What the author is told by e-mail of a moderator's decision on their post (French, plain text). */
export type GazetteNoticeOccasion =
  | { readonly _tag: "approved" }
  | { readonly _tag: "hidden"; readonly reason: HideReason; readonly details: Option.Option<string> }
  | { readonly _tag: "restored" }
  | { readonly _tag: "appeal_restored"; readonly reason: string }
  | { readonly _tag: "appeal_upheld"; readonly reason: string }

export const gazetteNoticeText = (
  title: string,
  occasion: GazetteNoticeOccasion,
  item: GazetteItemKind = "post"
): string => {
  const post = item === "post"
    ? `Votre publication « ${title} » dans la Gazette`
    : `Votre commentaire sur « ${title} » dans la Gazette`
  switch (occasion._tag) {
    case "approved":
      return `${post} a été ${agree(item, "vérifié")} par la modération : vos voisins ${
        pronoun(item)
      } voient désormais.`
    case "hidden": {
      const words = Option.match(occasion.details, { onNone: () => "", onSome: (d) => ` (${d.trim()})` })
      return `${post} a été ${agree(item, "masqué")} par la modération. Motif : ${
        hideReasonLabel[occasion.reason]
      }${words}. Vous pouvez contester cette décision une fois depuis votre publication.`
    }
    case "restored":
      return `${post} a été ${agree(item, "rétabli")} par la modération : vos voisins ${
        pronoun(item)
      } voient de nouveau.`
    case "appeal_restored":
      return `${post} a été ${
        agree(item, "rétabli")
      } après votre contestation. Réponse de la modération : ${occasion.reason.trim()}`
    case "appeal_upheld":
      return `${post} reste ${
        agree(item, "masqué")
      } après examen de votre contestation. Réponse de la modération : ${occasion.reason.trim()}`
  }
}
