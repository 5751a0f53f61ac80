import { button, type EmailText, layout, paragraphs, together } from "../channels/EmailLayout.js"
import { gsm7Segments, MIN_TEXT, oneLine, septetsOf, SMS_SINGLE, toGsm7, truncateGsm7 } from "../channels/Gsm7.js"
import { preferencesLink, siteUrl } from "../channels/Links.js"
import { mairieOf, originLabels } from "../alerts/AlertLabels.js"

/** What the texts need to know about a bulletin to référents. `communeName` names the mairie. */
export interface BulletinForMessage {
  readonly origin: "mairie" | "police"
  readonly communeName: string
  readonly text: string
}

const bulletinSpeaker = (b: BulletinForMessage): string =>
  b.origin === "mairie" ? mairieOf(b.communeName) : `${originLabels.police} de ${b.communeName}`

/**
 * The SMS of a bulletin: "Vigie – Mairie de X aux référents : …". The dash is written "-" (the en
 * dash is not GSM-7); the text is made GSM-7 and shortened with "..." to keep one 160-septet part;
 * the whole text stays in the référent's inbox and e-mail. No link: the web app has no inbox page yet,
 * and every septet goes to the text.
 */
export const bulletinSmsText = (b: BulletinForMessage): string => {
  const head = `Vigie - ${toGsm7(bulletinSpeaker(b))} aux référents : `
  const text = oneLine(toGsm7(b.text))
  const full = `${head}${text}`
  if (gsm7Segments(full).segments === 1) return full
  const room = SMS_SINGLE - septetsOf(head)
  const cut = room >= MIN_TEXT ? truncateGsm7(text, room) : ""
  return cut === "" ? full : `${head}${cut}`
}

/** Subject, plain text and HTML (escaped) of a bulletin to référents by e-mail. */
export const bulletinEmailText = (b: BulletinForMessage, publicUrl: URL | string): EmailText => {
  const site = siteUrl(publicUrl)
  const relay = "Vous le recevez en tant que référent : relayez-le à vos voisins si vous le jugez utile."
  const inbox = `Retrouvez-le dans votre boîte de référent sur Vigie : ${site}`
  return layout({
    subject: oneLine(`Vigie – ${bulletinSpeaker(b)} aux référents`),
    heading: `${bulletinSpeaker(b)} aux référents`,
    headingInText: true,
    blocks: [
      paragraphs(b.text.split(/\r?\n/)),
      together(paragraphs([relay]), button(site, "Ouvrir Vigie", inbox))
    ],
    footer: { preferences: preferencesLink(publicUrl) }
  })
}
