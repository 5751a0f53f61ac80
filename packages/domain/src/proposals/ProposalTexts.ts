import { button, type EmailText, facts, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"

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
 * The French e-mail telling the requester that their proposal was accepted (the quartier is open,
 * they are its référent once their address is verified) or refused (with the reason given).
 */
export const proposalDecisionEmail = (spec: ProposalDecisionSpec, publicUrl: URL | string): EmailText => {
  const link = siteUrl(publicUrl, "/propositions")
  switch (spec.kind) {
    case "accepted":
      return layout({
        subject: `Vigie : le quartier « ${spec.quartier} » est ouvert`,
        heading: "Votre proposition de quartier est acceptée",
        blocks: [
          paragraphs([
            `Bonjour ${spec.firstName},`,
            `Le quartier « ${spec.quartier} » que vous avez proposé à ${spec.commune} est ouvert sur Vigie. ` +
            "Vous en êtes le référent : vous accueillerez vos voisins et veillerez au bon usage des alertes.",
            "Votre adresse doit encore être vérifiée, comme pour tout membre : demandez la lettre d'activation " +
            "depuis Vigie, ou faites-vous parrainer par la mairie."
          ]),
          button(link, "Voir mes propositions", `Vos propositions : ${link}`)
        ]
      })
    case "refused":
      return layout({
        subject: `Vigie : votre proposition de quartier « ${spec.quartier} »`,
        heading: "Votre proposition de quartier n'est pas retenue",
        blocks: [
          paragraphs([
            `Bonjour ${spec.firstName},`,
            `Le quartier « ${spec.quartier} » que vous avez proposé à ${spec.commune} n'a pas été ouvert. ` +
            "Voici la raison donnée :"
          ]),
          facts([["Raison", spec.reason]]),
          paragraphs(["Vous pouvez proposer un autre périmètre, ou vous adresser à votre mairie."]),
          button(link, "Voir mes propositions", `Vos propositions : ${link}`)
        ]
      })
  }
}
