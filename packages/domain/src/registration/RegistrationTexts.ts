import { type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"

/**
 * To an address that already has an account, when someone tries to register with it: what happened
 * and what to do, in French, with no link (the message may reach someone who asked for nothing).
 * The one e-mail layout of Vigie (channels/EmailLayout.ts), without the preferences footer.
 */
export const addressAlreadyUsedEmail = (): EmailText =>
  layout({
    subject: "Vigie : tentative d'inscription avec votre adresse",
    heading: "Votre adresse a déjà un compte",
    blocks: [
      paragraphs(["Quelqu'un a essayé de créer un compte Vigie avec votre adresse e-mail, qui a déjà un compte."]),
      paragraphs([
        "Si c'était vous, connectez-vous ou demandez un nouveau mot de passe. Sinon, vous pouvez ignorer ce message."
      ])
    ]
  })
