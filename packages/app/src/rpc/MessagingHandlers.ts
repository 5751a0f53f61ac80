import { CurrentActor, type Actor } from "@vigie/domain/accounts/CurrentActor"
import { Gazette } from "@vigie/domain/gazette/Gazette"
import type { GazettePostId } from "@vigie/domain/gazette/GazettePost"
import type { Recipients } from "@vigie/domain/messaging/Conversation"
import { Messaging, type Resolved } from "@vigie/domain/messaging/Messaging"
import { RecipientUnavailable } from "@vigie/domain/messaging/MessagingErrors"
import { MessagingRpcs } from "@vigie/domain/messaging/MessagingRpcs"
import { Effect, Option } from "effect"

export const layer = MessagingRpcs.toLayer(Effect.gen(function*() {
  const messaging = yield* Messaging
  const gazette = yield* Gazette

  /**
   * Whom the conversation is with: members as named, or the author of an alert or a Gazette post the
   * actor may read (resolved here, on the server: the client never learns who wrote it). A post that
   * is not readable, a communication or one's own answers as any unreachable recipient.
   */
  const resolve = (actor: Actor, to: Recipients) => {
    switch (to._tag) {
      case "Members":
        return Effect.succeed<Resolved>({ origin: "member", accountIds: to.accountIds })
      case "AlertAuthor":
        return Effect.map(
          messaging.alertAuthor(actor, to.alertId),
          (id): Resolved => ({ origin: "alert", accountIds: [id] })
        )
      case "PostAuthor":
        return gazette.authorToWrite(actor, to.postId as GazettePostId).pipe(
          Effect.catchTag("GazettePostNotFound", () => Effect.fail(new RecipientUnavailable())),
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(new RecipientUnavailable()),
            onSome: (id) => Effect.succeed<Resolved>({ origin: "gazette", accountIds: [id] })
          }))
        )
    }
  }

  return {
    PreviewConversation: ({ to }) =>
      Effect.flatMap(CurrentActor, (actor) => Effect.flatMap(resolve(actor, to), (r) => messaging.preview(actor, r))),
    StartConversation: ({ photos, text, to }) =>
      Effect.flatMap(
        CurrentActor,
        (actor) => Effect.flatMap(resolve(actor, to), (r) => messaging.start(actor, r, text, photos))
      ),
    SendMessage: ({ conversationId, photos, text }) =>
      Effect.flatMap(CurrentActor, (actor) => messaging.send(actor, conversationId, text, photos)),
    ListConversations: ({ before }) =>
      Effect.flatMap(CurrentActor, (actor) => messaging.list(actor, Option.fromNullable(before))),
    GetConversation: ({ before, conversationId }) =>
      Effect.flatMap(CurrentActor, (actor) => messaging.get(actor, conversationId, Option.fromNullable(before))),
    MarkConversationRead: ({ conversationId, upTo }) =>
      Effect.flatMap(CurrentActor, (actor) => messaging.markRead(actor, conversationId, upTo)),
    CountUnreadMessages: () => Effect.flatMap(CurrentActor, (actor) => messaging.unread(actor)),
    LeaveConversation: ({ conversationId }) =>
      Effect.flatMap(CurrentActor, (actor) => messaging.leave(actor, conversationId)),
    ReportMessage: ({ messageId, note, reason }) =>
      Effect.flatMap(CurrentActor, (actor) => messaging.report(actor, messageId, reason, note)),
    ListMessageReports: () => Effect.flatMap(CurrentActor, (actor) => messaging.reports(actor)),
    ReadMessageReport: ({ reportId }) => Effect.flatMap(CurrentActor, (actor) => messaging.readReport(actor, reportId)),
    CloseMessageReport: ({ note, reportId }) =>
      Effect.flatMap(CurrentActor, (actor) => messaging.closeReport(actor, reportId, note)),
    GetMessagingPreferences: () => Effect.flatMap(CurrentActor, (actor) => messaging.preferences(actor)),
    UpdateMessagingPreferences: (prefs) =>
      Effect.flatMap(CurrentActor, (actor) => messaging.setPreferences(actor, prefs))
  }
}))
