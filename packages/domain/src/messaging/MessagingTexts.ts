/** The kind of the e-mails that tell a member of messages left unread (subject: the conversation). */
export const CONVERSATION_NOTICE_MESSAGE = "conversation_notice"

/**
 * The e-mail's text: how many messages wait, never who wrote them nor what (the e-mail leaves the
 * platform; the messages do not).
 */
export const conversationNoticeBody = (unread: number): string =>
  unread > 1
    ? `Vous avez ${unread} messages non lus dans une conversation sur Vigie.`
    : "Vous avez un message non lu dans une conversation sur Vigie."

/** The page of a conversation in the web app. */
export const conversationPath = (conversationId: string): string => `/messages/${conversationId}`
