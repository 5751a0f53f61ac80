import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"
import { storedTexts } from "../delivery/SubjectTexts.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"
import type { EvenementDetails } from "./GazettePost.js"
import { frenchDayAndHour } from "./GazettePrinter.js"

/**
 * The kind of the messages that tell members what happened on a Gazette post (subject: the post):
 * new comments, "retrouvé", an event cancelled, moved or coming tomorrow.
 */
export const GAZETTE_ACTIVITY_MESSAGE = "gazette_activity"

type Event = typeof EvenementDetails.Type

/** What a Gazette activity notice tells, rendered into its stored French text when it is written. */
export type GazetteActivitySpec =
  | { readonly kind: "comments"; readonly title: string }
  | { readonly kind: "found"; readonly title: string; readonly authorName: string }
  | { readonly kind: "cancelled"; readonly title: string; readonly event: Event }
  | { readonly kind: "moved"; readonly title: string; readonly event: Event }
  | { readonly kind: "reminder"; readonly title: string; readonly event: Event }

const when = (event: Event) => frenchDayAndHour(event.startsAt)

/** The French text of a Gazette notice, stored with its message. */
export const gazetteActivityBody = (spec: GazetteActivitySpec): string => {
  switch (spec.kind) {
    case "comments":
      return `De nouveaux commentaires ont été écrits sous votre publication « ${spec.title} ».`
    case "found":
      return `Bonne nouvelle : « ${spec.title} », que vous aviez commenté, est retrouvé (${spec.authorName}). ` +
        "Merci pour votre aide !"
    case "cancelled":
      return `L'événement « ${spec.title} » prévu ${when(spec.event)} (${spec.event.place}) est annulé.`
    case "moved":
      return `L'événement « ${spec.title} » change : il aura lieu ${when(spec.event)}, ${spec.event.place}.`
    case "reminder":
      return `Rappel : vous venez à « ${spec.title} », ${when(spec.event)}, ${spec.event.place}.`
  }
}

/** The page of a post in the web app. */
export const gazettePostPath = (postId: string): string => `/gazette/${postId}`

/** Subject, plain text and HTML (escaped) of a Gazette notice: its stored text and a link to the post. */
export const gazetteActivityEmailText = (body: string, postId: string, publicUrl: URL | string): EmailText => {
  const link = siteUrl(publicUrl, gazettePostPath(postId))
  return layout({
    subject: "Vigie – la Gazette de votre quartier",
    heading: "La Gazette de votre quartier",
    blocks: [paragraphs([body]), button(link, "Voir la publication", `La publication : ${link}`)]
  })
}

/** How a Gazette notice is sent: its text was rendered when it was written. */
export interface GazetteActivityTextsSpec {
  readonly sms: (body: string, delivery: ClaimedDelivery) => string
  readonly email: (body: string, delivery: ClaimedDelivery) => EmailContent
}

/** The Gazette notices for the delivery engine. */
export const gazetteActivityRenderers = (spec: GazetteActivityTextsSpec): MessageRenderers => ({
  [GAZETTE_ACTIVITY_MESSAGE]: storedTexts({
    missing: (delivery) => `delivery ${delivery.id}: its Gazette activity text is missing`,
    sms: spec.sms,
    email: spec.email
  })
})
