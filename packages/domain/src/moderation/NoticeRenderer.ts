import { storedTexts } from "../delivery/SubjectTexts.js"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"

/** The kind of the messages that tell one person a moderation decision about them. */
export const NOTICE_MESSAGE = "notice"

/** How a notice is sent: its text was rendered when the decision was taken and stored with the message. */
export interface NoticeTextsSpec {
  readonly sms: (body: string, delivery: ClaimedDelivery) => string
  readonly email: (body: string, delivery: ClaimedDelivery) => EmailContent
}

/** The moderation context's texts for the delivery engine. */
export const noticeRenderers = (spec: NoticeTextsSpec): MessageRenderers => ({
  [NOTICE_MESSAGE]: storedTexts({
    missing: (delivery) => `delivery ${delivery.id}: its notice text is missing`,
    sms: spec.sms,
    email: spec.email
  })
})
