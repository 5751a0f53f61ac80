import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"
import { storedTexts } from "../delivery/SubjectTexts.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"

/** The kind of the messages that tell members of a change of their quartier by the mairie. */
export const COMMUNITY_NOTICE_MESSAGE = "community_notice"

/** What changed, for the members' notice. */
export type QuartierNoticeSpec =
  | { readonly kind: "redrawn"; readonly quartier: string; readonly commune: string }
  | { readonly kind: "archived"; readonly quartier: string; readonly commune: string }

/**
 * The French text told to the members a change concerns, stored with the message (one per change,
 * the same for every recipient, so it names no address): the quartier redrawn without their home, or
 * the quartier closed.
 */
export const quartierNoticeBody = (spec: QuartierNoticeSpec): string => {
  switch (spec.kind) {
    case "redrawn":
      return `La mairie de ${spec.commune} a redessiné le périmètre du quartier « ${spec.quartier} » sur Vigie. ` +
        "Votre adresse n'en fait plus partie : vous n'êtes plus membre de ce quartier et n'en recevrez plus les " +
        "alertes. Si un autre quartier couvre votre rue, vous pouvez le rejoindre depuis Vigie ; pour toute " +
        "question, adressez-vous à votre mairie."
    case "archived":
      return `La mairie de ${spec.commune} a fermé le quartier « ${spec.quartier} » sur Vigie. ` +
        "Vous n'en recevrez plus les alertes ni les messages. Pour toute question, adressez-vous à votre mairie."
  }
}

/** Subject, plain text and HTML (escaped) of the notice by e-mail: its stored text and a link to Vigie. */
export const quartierNoticeEmailText = (body: string, publicUrl: URL | string): EmailText => {
  const site = siteUrl(publicUrl)
  return layout({
    subject: "Vigie – votre quartier change",
    heading: "Votre quartier change",
    blocks: [paragraphs([body]), button(site, "Ouvrir Vigie", `Vigie : ${site}`)]
  })
}

/** How a quartier notice is sent: its text was rendered when the change was made. */
export interface QuartierNoticeTextsSpec {
  readonly sms: (body: string, delivery: ClaimedDelivery) => string
  readonly email: (body: string, delivery: ClaimedDelivery) => EmailContent
}

/** The mairie's quartier notices for the delivery engine. */
export const quartierNoticeRenderers = (spec: QuartierNoticeTextsSpec): MessageRenderers => ({
  [COMMUNITY_NOTICE_MESSAGE]: storedTexts({
    missing: (delivery) => `delivery ${delivery.id}: its quartier notice text is missing`,
    sms: spec.sms,
    email: spec.email
  })
})
