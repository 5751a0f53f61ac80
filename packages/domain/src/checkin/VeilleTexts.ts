import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"
import { storedTexts } from "../delivery/SubjectTexts.js"
import type { EmailContent, MessageRenderers } from "../delivery/SubjectTexts.js"
import type { ClaimedDelivery } from "../delivery/DeliveryRepo.js"

/** The message kind of every veille message (check-ins, alerts, confirmations): its text is stored with it. */
export const VEILLE_MESSAGE = "veille_notice"

/** The French texts of the veille (issue 17). Names are as the person is registered. */
export const veilleTexts = {
  checkInSms: (name: string) =>
    `Vigie : bonjour ${name}, tout va bien ? Répondez OK. Besoin d'aide ? Répondez AIDE-MOI.`,
  checkInVoice: (name: string) =>
    `Bonjour ${name}, tout va bien ? Appuyez sur 1 si tout va bien, sur 9 si vous avez besoin d'aide.`,
  reminderSms: (name: string) =>
    `Vigie : ${name}, nous n'avons pas encore de vos nouvelles. Tout va bien ? Répondez OK.`,
  thanksPerson: "Vigie : merci, bonne journée !",
  helpAcknowledged: "Vigie : vos voisins veilleurs sont prévenus, quelqu'un va passer vous voir. " +
    "En cas d'urgence, appelez le 15 ou le 112.",
  alertVeilleurs: (name: string, since: string) =>
    `Vigie : pas de nouvelles de ${name} depuis ${since}. Pouvez-vous passer la voir ? Répondez J'Y VAIS.`,
  helpVeilleurs: (name: string, since: string) =>
    `Vigie : ${name} demande de l'aide (veille de ${since}). Pouvez-vous passer la voir ? Répondez J'Y VAIS.`,
  ownerConfirmed: (name: string) =>
    `Vigie : merci, vous passez voir ${name}. Ensuite répondez OK si tout va bien, ou URGENCE.`,
  othersOwned: (owner: string, name: string) => `Vigie : ${owner} passe voir ${name}. Merci !`,
  alreadyOwned: (owner: string, name: string) => `Vigie : ${owner} passe déjà voir ${name}. Merci !`,
  ownerClosed: (name: string) => `Vigie : merci ! La veille de ${name} est close : tout va bien.`,
  urgentOwner: (name: string) =>
    `Vigie : URGENCE pour ${name}. Appelez le 15 (SAMU) ou le 112 maintenant. Le référent est prévenu.`,
  referentNoVeilleur: (name: string, address: string, since: string) =>
    `Vigie veille : pas de nouvelles de ${name} (${address}) depuis ${since}, et aucun veilleur n'a pu passer. ` +
    `Pouvez-vous prendre de ses nouvelles ?`,
  referentUrgent: (name: string, address: string, owner: string) =>
    `Vigie veille : ${owner} signale une URGENCE chez ${name} (${address}). Le 15 ou le 112 doit être appelé.`,
  ccas: (name: string, address: string, since: string) =>
    `Vigie veille : pas de nouvelles de ${name} (${address}) depuis ${since} ; ni ses voisins veilleurs ni le ` +
    `référent n'ont pu passer. Pouvez-vous prendre de ses nouvelles ?`,
  closedOk: (name: string) => `Vigie veille : ${name} va bien, la veille est close. Merci de votre vigilance.`,
  closedUnanswered: (name: string) =>
    `Vigie veille : la veille de ${name} est close sans réponse. Merci de prendre de ses nouvelles dès que possible.`,
  invitation: (name: string, schedule: string) =>
    `Vigie : ${name} vous choisit comme voisin veilleur (veille ${schedule}). Si ${name} ne répond pas, ` +
    `vous serez prévenu. Répondez OUI pour accepter, NON pour refuser.`,
  consentRequest: (setter: string, schedule: string) =>
    `Vigie : ${setter} vous propose une veille ${schedule} : un message pour prendre de vos nouvelles. ` +
    `Répondez OUI pour accepter, NON pour refuser.`,
  consentRefused: "Vigie : c'est noté, pas de veille. Votre référent ou la mairie peut vous la proposer à nouveau.",
  veilleurAccepted: (name: string) => `Vigie : merci ! Vous veillez désormais sur ${name}.`,
  veilleurDeclined: (name: string) => `Vigie : c'est noté, vous ne veillerez pas sur ${name}. Merci de votre réponse.`,
  consentGiven: (schedule: string) => `Vigie : votre veille est en place, ${schedule}. STOP VEILLE pour l'arrêter.`,
  veilleurWithdrew: (veilleur: string) =>
    `Vigie : ${veilleur} ne peut plus être votre voisin veilleur. Choisissez-en un autre sur Vigie ou avec votre référent.`,
  absenceNoted: (from: string, to: string, resume: string | undefined) =>
    `Vigie : absence notée du ${from} au ${to}, pas de veille pendant ce temps.` +
    (resume === undefined ? "" : ` La veille reprendra le ${resume}.`),
  absenceSetByVeilleur: (veilleur: string, from: string, to: string) =>
    `Vigie : ${veilleur} a noté votre absence du ${from} au ${to} ; pas de veille pendant ce temps.`,
  absenceInvalid: "Vigie : dates non comprises. Écrivez par exemple ABSENT 12/08 20/08 (du 12 août au 20 août).",
  resumed: (schedule: string) => `Vigie : bon retour ! Votre veille reprend, ${schedule}.`,
  stopped: "Vigie : votre veille est arrêtée. Vous pouvez la reprendre sur Vigie ou avec votre référent.",
  stoppedVeilleurs: (name: string) => `Vigie : la veille de ${name} est arrêtée. Merci d'avoir veillé.`,
  keypadOk: "Merci, bonne journée !",
  keypadHelp: "Vos voisins veilleurs sont prévenus. En cas d'urgence, appelez le 15 ou le 112.",
  keypadNothing: "Merci. Au revoir."
} as const

/** The e-mail of a veille message: its stored text and a link to the veille page. */
export const veilleEmailText = (body: string, publicUrl: URL | string): EmailText => {
  const link = siteUrl(publicUrl, "/veille")
  return layout({
    subject: "Vigie – veille bienveillante",
    heading: "Veille bienveillante",
    blocks: [paragraphs([body]), button(link, "Ouvrir la veille", `La veille : ${link}`)]
  })
}

/** The veille messages for the delivery engine: their text was rendered when they were written. */
export const veilleRenderers = (spec: {
  readonly sms: (body: string, delivery: ClaimedDelivery) => string
  readonly email: (body: string, delivery: ClaimedDelivery) => EmailContent
}): MessageRenderers => ({
  [VEILLE_MESSAGE]: storedTexts({
    missing: (delivery) => `delivery ${delivery.id}: its veille text is missing`,
    sms: spec.sms,
    email: spec.email
  })
})
