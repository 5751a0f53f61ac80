import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"

/** The page where a reset link is used: PUBLIC_URL + "/mot-de-passe/nouveau?jeton=…". */
export const resetLink = (publicUrl: URL | string, token: string): string =>
  siteUrl(publicUrl, `/mot-de-passe/nouveau?jeton=${encodeURIComponent(token)}`)

/** The page that confirms a new e-mail address: PUBLIC_URL + "/mon-compte/email?jeton=…". */
export const emailChangeLink = (publicUrl: URL | string, token: string): string =>
  siteUrl(publicUrl, `/mon-compte/email?jeton=${encodeURIComponent(token)}`)

/** An account e-mail: its first paragraph, the link (when it has one), then the other paragraphs. */
const mail = (
  subject: string,
  title: string,
  lines: ReadonlyArray<string>,
  link?: { readonly href: string; readonly label: string }
): EmailText =>
  layout({
    subject,
    heading: title,
    blocks: [
      paragraphs(lines.slice(0, 1)),
      ...(link === undefined ? [] : [button(link.href, link.label)]),
      ...lines.slice(1).map((line) => paragraphs([line]))
    ]
  })

const notYou =
  "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé."

/** The e-mail with the link to choose a new password (valid 1 hour, single use). */
export const resetLinkEmail = (firstName: string, link: string): EmailText =>
  mail("Vigie : choisir un nouveau mot de passe", "Nouveau mot de passe", [
    `Bonjour ${firstName}, vous avez demandé à changer le mot de passe de votre compte Vigie.`,
    "Ce lien est valable une heure et ne sert qu'une fois.",
    notYou
  ], { href: link, label: "Choisir un nouveau mot de passe" })

/** The SMS with the 6-digit reset code (valid 15 minutes). */
export const resetCodeSms = (code: string): string =>
  `Vigie : votre code pour changer de mot de passe est ${code}. Il expire dans 15 minutes. Ne le communiquez a personne.`

/** Told after any change of password, so the owner notices one they did not make. */
export const passwordChangedEmail = (firstName: string, site: URL | string): EmailText =>
  mail("Vigie : votre mot de passe a été changé", "Mot de passe changé", [
    `Bonjour ${firstName}, le mot de passe de votre compte Vigie vient d'être changé, et vos autres connexions ont été fermées.`,
    "Si ce n'est pas vous, choisissez tout de suite un nouveau mot de passe avec « Mot de passe oublié ? » sur la page de connexion, puis prévenez la modération de Vigie."
  ], { href: siteUrl(site, "/mot-de-passe-oublie"), label: "Mot de passe oublié ?" })

/** To the new address: the link that confirms it (valid 24 hours, single use). */
export const emailChangeLinkEmail = (firstName: string, link: string): EmailText =>
  mail("Vigie : confirmez votre nouvelle adresse e-mail", "Confirmer votre adresse", [
    `Bonjour ${firstName}, vous avez demandé à utiliser cette adresse pour votre compte Vigie.`,
    "Ce lien est valable 24 heures et ne sert qu'une fois. Tant que vous ne l'avez pas ouvert, votre ancienne adresse reste celle du compte.",
    "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message."
  ], { href: link, label: "Confirmer cette adresse" })

/**
 * To the old address when a change is asked: no link that acts, only what happened (the new address
 * masked) and what to do if it was not the owner.
 */
export const emailChangeAskedEmail = (firstName: string, maskedNew: string): EmailText =>
  mail("Vigie : changement d'adresse e-mail demandé", "Changement d'adresse demandé", [
    `Bonjour ${firstName}, un changement de l'adresse e-mail de votre compte Vigie vers ${maskedNew} a été demandé.`,
    "Il ne prendra effet que lorsque le lien envoyé à la nouvelle adresse sera ouvert.",
    "Si ce n'est pas vous, changez votre mot de passe sans attendre (« Mot de passe oublié ? » sur la page de connexion) et prévenez la modération de Vigie."
  ])

/** To the old address once the change is made. */
export const emailChangedEmail = (firstName: string, maskedNew: string): EmailText =>
  mail("Vigie : votre adresse e-mail a été changée", "Adresse e-mail changée", [
    `Bonjour ${firstName}, l'adresse e-mail de votre compte Vigie est maintenant ${maskedNew}. Vous ne recevrez plus de messages de Vigie à cette adresse.`,
    "Si ce n'est pas vous, prévenez la modération de Vigie sans attendre."
  ])

/** To the account's address once another phone number has replaced the verified one. */
export const phoneChangedEmail = (firstName: string, maskedNew: string): EmailText =>
  mail("Vigie : votre numéro de téléphone a été changé", "Numéro de téléphone changé", [
    `Bonjour ${firstName}, le numéro de téléphone de votre compte Vigie est maintenant le ${maskedNew}. Les SMS de Vigie partiront désormais vers ce numéro, et seuls les SMS envoyés depuis ce numéro seront reconnus comme les vôtres.`,
    "Si ce n'est pas vous, changez votre mot de passe sans attendre (« Mot de passe oublié ? » sur la page de connexion) et prévenez la modération de Vigie."
  ])

/**
 * To an address that already has an account, when another account asks to use it: the same thing
 * registration tells, and no link.
 */
export const emailTakenEmail = (): EmailText =>
  mail("Vigie : tentative d'utiliser votre adresse", "Votre adresse a déjà un compte", [
    "Quelqu'un a demandé à utiliser votre adresse e-mail pour un compte Vigie, alors qu'elle est déjà celle de votre compte. Rien n'a changé.",
    "Si c'était vous, connectez-vous avec cette adresse ou demandez un nouveau mot de passe. Sinon, vous pouvez ignorer ce message."
  ])
