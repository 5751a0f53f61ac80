import { button, type EmailBlock, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { siteUrl } from "../channels/Links.js"

/**
 * The e-mail to an account inactive for `warningMonths`, in French: without a sign-in within a month,
 * the account is erased (accounts inactive for `erasureMonths` are). The link to sign in is the site's
 * home page (PUBLIC_URL). The one e-mail layout of Vigie (channels/EmailLayout.ts).
 */
export const inactivityWarningEmail = (
  firstName: string,
  publicUrl: URL | string,
  erasureMonths: number,
  warningMonths: number
): EmailText => {
  const site = siteUrl(publicUrl)
  const keep = "Pour garder votre compte, il suffit de vous connecter"
  // One paragraph of the text ("… connecter : https://…"); in HTML, the sentence then a large link.
  const signIn: EmailBlock = {
    text: [`${keep} : ${site}`],
    html: [...paragraphs([`${keep}.`]).html, ...button(site, "Me connecter à Vigie").html]
  }
  return layout({
    subject: "Votre compte Vigie va être supprimé faute de connexion",
    heading: "Votre compte va être supprimé",
    blocks: [
      paragraphs([`Bonjour ${firstName},`]),
      paragraphs([
        `Vous ne vous êtes pas connecté(e) à Vigie depuis ${warningMonths} mois. Comme la loi nous y invite, ` +
        `nous supprimons les comptes inactifs depuis ${erasureMonths} mois : sans connexion de votre part d'ici ` +
        "un mois, votre compte et vos données personnelles seront effacés. Vos alertes resteront visibles de vos " +
        "voisins, signées « Ancien membre »."
      ]),
      signIn,
      paragraphs(["L'équipe Vigie"])
    ]
  })
}
