import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { GazetteSocial } from "@vigie/domain/gazette/GazetteSocial"
import { GazetteSocialRpcs } from "@vigie/domain/gazette/GazetteSocialRpcs"
import { Effect, Option } from "effect"

export const layer = GazetteSocialRpcs.toLayer(Effect.gen(function*() {
  const social = yield* GazetteSocial
  return {
    CommentGazettePost: ({ postId, replyTo, text }) =>
      Effect.flatMap(CurrentActor, (actor) => social.comment(actor, postId, text, Option.fromNullable(replyTo))),
    DeleteGazetteComment: ({ commentId }) =>
      Effect.flatMap(CurrentActor, (actor) => social.deleteComment(actor, commentId)),
    ListGazetteComments: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => social.comments(actor, postId)),
    ThankGazettePost: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => social.thank(actor, postId)),
    UnthankGazettePost: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => social.unthank(actor, postId)),
    GetGazetteThanks: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => social.thanks(actor, postId)),
    AnswerGazetteEvent: ({ answer, postId }) =>
      Effect.flatMap(CurrentActor, (actor) => social.answer(actor, postId, answer)),
    GetGazetteEventAnswers: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => social.answers(actor, postId)),
    CancelGazetteEvent: ({ postId }) => Effect.flatMap(CurrentActor, (actor) => social.cancelEvent(actor, postId)),
    MoveGazetteEvent: ({ endsAt, place, postId, startsAt }) =>
      Effect.flatMap(
        CurrentActor,
        (actor) => social.moveEvent(actor, postId, { startsAt, endsAt: Option.fromNullable(endsAt), place })
      )
  }
}))
