import { DateTime } from "effect"
import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"
import { storedTexts } from "../delivery/SubjectTexts.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"
import type { GazettePost } from "./GazettePost.js"

/** The kind of the message telling an author that their post expires soon. */
export const GAZETTE_NOTICE_MESSAGE = "gazette_notice"

const day = (at: DateTime.Utc) =>
  new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", timeZone: "Europe/Paris" })
    .format(DateTime.toDateUtc(at))

/**
 * The French text of the 3-day reminder, stored with the message when the job decides to send it:
 * the post, the day it leaves the Gazette, and what the author can do (renew, or close it).
 */
export const expiryReminderBody = (post: Pick<GazettePost, "title" | "expiresAt">): string =>
  `Votre publication « ${post.title} » quittera la Gazette de votre quartier le ${
    post.expiresAt === null ? "" : day(post.expiresAt)
  }. ` +
  "Si elle est toujours d'actualité, renouvelez-la pour 30 jours depuis la Gazette ; si c'est réglé, " +
  "marquez-la comme close pour que vos voisins le sachent."

/** Subject, plain text and HTML (escaped) of the reminder e-mail: its stored text and a link to the Gazette. */
export const gazetteNoticeEmailText = (body: string, publicUrl: URL | string): EmailText => {
  const link = siteUrl(publicUrl, "/gazette")
  return layout({
    subject: "Vigie – votre publication expire bientôt",
    heading: "Votre publication dans la Gazette",
    blocks: [paragraphs([body]), button(link, "Ouvrir la Gazette", `La Gazette : ${link}`)]
  })
}

/** How a Gazette notice is sent: its text was rendered when the job decided to send it. */
export interface GazetteNoticeTextsSpec {
  readonly sms: (body: string, delivery: ClaimedDelivery) => string
  readonly email: (body: string, delivery: ClaimedDelivery) => EmailContent
}

/** The Gazette notices for the delivery engine. */
export const gazetteNoticeRenderers = (spec: GazetteNoticeTextsSpec): MessageRenderers => ({
  [GAZETTE_NOTICE_MESSAGE]: storedTexts({
    missing: (delivery) => `delivery ${delivery.id}: its Gazette notice text is missing`,
    sms: spec.sms,
    email: spec.email
  })
})
