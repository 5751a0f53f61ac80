import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"
import { storedTexts } from "../delivery/SubjectTexts.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"

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

/** Subject, plain text and HTML of the unread e-mail: its stored text and a link to the conversation. */
export const conversationNoticeEmailText = (
  body: string,
  conversationId: string,
  publicUrl: URL | string
): EmailText => {
  const link = siteUrl(publicUrl, conversationPath(conversationId))
  return layout({
    subject: "Vigie – un message vous attend",
    heading: "Un message vous attend",
    blocks: [
      paragraphs([body, "Pour ne plus recevoir ces e-mails, décochez l'option sur la page Messages."]),
      button(link, "Lire la conversation", `La conversation : ${link}`)
    ]
  })
}

/** How an unread e-mail is sent: its text was rendered when it was written. */
export interface ConversationNoticeTextsSpec {
  readonly sms: (body: string, delivery: ClaimedDelivery) => string
  readonly email: (body: string, delivery: ClaimedDelivery) => EmailContent
}

/** The unread e-mails for the delivery engine. */
export const conversationNoticeRenderers = (spec: ConversationNoticeTextsSpec): MessageRenderers => ({
  [CONVERSATION_NOTICE_MESSAGE]: storedTexts({
    missing: (delivery) => `delivery ${delivery.id}: its conversation notice text is missing`,
    sms: spec.sms,
    email: spec.email
  })
})
