import { Option } from "effect"
import { button, type EmailText, layout, paragraphs } from "../channels/EmailLayout.js"
import { gsm7Segments, oneLine, septetsOf, SMS_SINGLE, toGsm7, truncateGsm7 } from "../channels/Gsm7.js"
import { siteUrl } from "../channels/Links.js"
import type { AlertCategory } from "../alerts/Alert.js"
import { categoryLabels } from "../alerts/AlertLabels.js"

/**
 * What a moderation notice tells one person: their alert approved, hidden (with the reason), or
 * restored; or a warning with its reason and the moderator's words.
 */
export type ModerationNoticeSpec =
  | { readonly kind: "approved"; readonly category: AlertCategory }
  | { readonly kind: "hidden"; readonly category: AlertCategory; readonly reason: string }
  | { readonly kind: "restored"; readonly category: AlertCategory }
  | { readonly kind: "warned"; readonly reason: string; readonly details: Option.Option<string> }

/**
 * The SMS of a moderation notice, in French, made GSM-7 and kept to one 160-septet part (the reason
 * or the moderator's words are shortened with "..." when needed). Sent to the author of an alert
 * posted by SMS, who has no alert page open, and to a warned account.
 */
export const moderationNoticeSms = (spec: ModerationNoticeSpec): string => {
  const alert = (category: AlertCategory) => `Vigie: votre alerte "${toGsm7(categoryLabels[category])}"`
  const fit = (head: string, variable: string, tail: string): string => {
    const whole = `${head}${variable}${tail}`
    if (gsm7Segments(whole).segments === 1) return whole
    const room = SMS_SINGLE - septetsOf(head) - septetsOf(tail)
    return `${head}${truncateGsm7(variable, Math.max(room, 0))}${tail}`
  }
  switch (spec.kind) {
    case "approved":
      return `${alert(spec.category)} a été vérifiée par la modération et envoyée à vos voisins. Merci.`
    case "restored":
      return `${alert(spec.category)} a été rétablie par la modération: vos voisins la voient de nouveau.`
    case "hidden":
      return fit(
        `${alert(spec.category)} a été masquée par la modération. Motif: `,
        oneLine(toGsm7(spec.reason)),
        ". Appel possible sur Vigie."
      )
    case "warned": {
      const words = Option.match(spec.details, { onNone: () => "", onSome: (d) => ` - ${oneLine(toGsm7(d))}` })
      return fit(
        "Vigie: avertissement de la modération. Motif: ",
        `${oneLine(toGsm7(spec.reason))}${words}`,
        ". Merci de respecter la charte."
      )
    }
  }
}

/** Subject, plain text and HTML (escaped) of a moderation notice by e-mail: the notice's own text. */
export const noticeEmailText = (body: string, publicUrl: URL | string): EmailText => {
  const site = siteUrl(publicUrl)
  return layout({
    subject: "Vigie – message de la modération",
    heading: "Message de la modération",
    blocks: [paragraphs([body]), button(site, "Ouvrir Vigie", `Vigie : ${site}`)]
  })
}
