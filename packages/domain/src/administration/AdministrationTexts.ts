import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import type { CommuneStaffRole } from "./VigilantCommune.js"

const roleName = (role: CommuneStaffRole) => role === "mairie" ? "agent de la mairie" : "police municipale"

/**
 * The invitation of a new staff member of a Mairie Vigilante, in French: the link (valid 7 days,
 * usable once) where the person chooses a password, then enrols a second factor.
 */
export const staffInvitationEmail = (input: {
  readonly firstName: string
  readonly communeName: string
  readonly role: CommuneStaffRole
  readonly link: string
}): EmailText =>
  layout({
    subject: `Votre accès Vigie pour ${input.communeName}`,
    heading: `Bienvenue dans Vigie, ${input.communeName}`,
    blocks: [
      paragraphs([`Bonjour ${input.firstName},`]),
      paragraphs([
        `L'équipe Vigie vous ouvre un accès « ${roleName(input.role)} » pour la commune de ${input.communeName}, ` +
        "Mairie Vigilante. Choisissez votre mot de passe avec le lien ci-dessous, puis configurez la seconde " +
        "étape de connexion (une application d'authentification sur votre téléphone)."
      ]),
      button(input.link, "Choisir mon mot de passe"),
      paragraphs([
        "Ce lien est valable 7 jours et ne sert qu'une fois. Ne le transmettez à personne. Si vous n'attendiez pas " +
        "ce message, ignorez-le."
      ]),
      paragraphs(["L'équipe Vigie"])
    ]
  })

/** To an existing account that receives a staff role of a Mairie Vigilante: sign in as usual. */
export const staffRoleGrantedEmail = (input: {
  readonly firstName: string
  readonly communeName: string
  readonly role: CommuneStaffRole
  readonly link: string
}): EmailText =>
  layout({
    subject: `Nouveau rôle Vigie pour ${input.communeName}`,
    heading: `Votre rôle pour ${input.communeName}`,
    blocks: [
      paragraphs([`Bonjour ${input.firstName},`]),
      paragraphs([
        `Votre compte Vigie a désormais le rôle « ${roleName(input.role)} » pour la commune de ` +
        `${input.communeName}. Connectez-vous comme d'habitude ; la seconde étape de connexion vous sera ` +
        "demandée si vous ne l'avez pas encore configurée."
      ]),
      button(input.link, "Me connecter à Vigie"),
      paragraphs(["L'équipe Vigie"])
    ]
  })
