import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"
import { storedTexts } from "../delivery/SubjectTexts.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"

/** The kind of the message telling the requester of a quartier proposal of its decision. */
export const PROPOSAL_NOTICE_MESSAGE = "proposal_notice"

/** What the requester of a quartier proposal is told of its decision. */
export type ProposalDecisionSpec =
  | {
    readonly kind: "accepted"
    readonly firstName: string
    readonly quartier: string
    readonly commune: string
  }
  | {
    readonly kind: "refused"
    readonly firstName: string
    readonly quartier: string
    readonly commune: string
    readonly reason: string
  }

/**
 * The French text told to the requester, stored with the message when the decision is taken: the
 * quartier is open and they are its référent once their address is verified, or the proposal is
 * refused, with the reason given.
 */
export const proposalDecisionBody = (spec: ProposalDecisionSpec): string => {
  switch (spec.kind) {
    case "accepted":
      return `Bonjour ${spec.firstName}, le quartier « ${spec.quartier} » que vous avez proposé à ${spec.commune} ` +
        "est ouvert sur Vigie. Vous en êtes le référent : vous accueillerez vos voisins et veillerez au bon usage " +
        "des alertes. Votre adresse doit encore être vérifiée, comme pour tout membre : demandez la lettre " +
        "d'activation depuis Vigie, ou faites-vous parrainer par la mairie."
    case "refused":
      return `Bonjour ${spec.firstName}, le quartier « ${spec.quartier} » que vous avez proposé à ${spec.commune} ` +
        `n'a pas été ouvert. Raison donnée : ${spec.reason} — Vous pouvez proposer un autre périmètre, ou vous ` +
        "adresser à votre mairie."
  }
}

/** Subject, plain text and HTML (escaped) of the decision's e-mail: its stored text and a link to one's proposals. */
export const proposalNoticeEmailText = (body: string, publicUrl: URL | string): EmailText => {
  const link = siteUrl(publicUrl, "/propositions")
  return layout({
    subject: "Vigie – votre proposition de quartier",
    heading: "Votre proposition de quartier",
    blocks: [paragraphs([body]), button(link, "Voir mes propositions", `Vos propositions : ${link}`)]
  })
}

/** How a proposal notice is sent: its text was rendered when the decision was taken. */
export interface ProposalNoticeTextsSpec {
  readonly sms: (body: string, delivery: ClaimedDelivery) => string
  readonly email: (body: string, delivery: ClaimedDelivery) => EmailContent
}

/** The proposal notices for the delivery engine. */
export const proposalNoticeRenderers = (spec: ProposalNoticeTextsSpec): MessageRenderers => ({
  [PROPOSAL_NOTICE_MESSAGE]: storedTexts({
    missing: (delivery) => `delivery ${delivery.id}: its proposal notice text is missing`,
    sms: spec.sms,
    email: spec.email
  })
})
