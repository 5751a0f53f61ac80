import { siteUrl } from "../channels/Links.js"

/**
 * The French replies of the SMS gateway. Each fits one GSM-7 part (160 septets, no character that
 * would switch the SMS to UCS-2), so a reply costs one SMS; the tests check it.
 */

/** The emergency numbers, on every reply about an alert. */
export const EMERGENCY = "En cas d'urgence : 17, 18, 15."

export const replyTexts = {
  /** The alert is out: `neighbours` distinct people will receive it (by SMS or e-mail). */
  published: (neighbours: number, truncated: boolean): string =>
    (neighbours === 0
      ? "Vigie : alerte publiée, mais aucun voisin ne peut la recevoir pour l'instant."
      : `Vigie : alerte envoyée à ${neighbours} ${neighbours === 1 ? "voisin" : "voisins"}.`) +
    (truncated ? " Texte trop long, raccourci." : "") + ` ${EMERGENCY}`,

  /** The alert waits for a moderator (new member, or it tripped a check). */
  held: (truncated: boolean): string =>
    "Vigie : alerte enregistrée. Un modérateur la vérifie avant de la diffuser." +
    (truncated ? " Texte trop long, raccourci." : "") + ` ${EMERGENCY}`,

  /** Too many alerts in a short time: this one is not sent. */
  rateLimited: (retryAfterSeconds: number): string =>
    `Vigie : trop d'alertes en peu de temps, celle-ci n'est PAS envoyée. Réessayez dans ${
      Math.max(1, Math.ceil(retryAfterSeconds / 60))
    } min. ${EMERGENCY}`,

  /** The number is now suppressed. The last SMS Vigie sends it, until START. */
  stopped: "Vigie : vous ne recevrez plus aucun SMS de Vigie. Pour les recevoir à nouveau, envoyez START.",

  /** The suppression is lifted. */
  started: "Vigie : vous recevez à nouveau les SMS de Vigie. Envoyez AIDE pour l'aide, STOP pour ne plus les recevoir.",

  /** AIDE / HELP, and an empty SMS from a member. */
  help:
    "Vigie : pour alerter vos voisins, envoyez votre message à ce numéro, ex. VOL, SUSPECT ou FEU + lieu. STOP : plus de SMS. Urgence : 17, 18, 15.",

  /** An unknown number, or one not verified on its account: how to join. At most once a day. */
  join: (publicUrl: URL | string): string =>
    `Vigie : ce numéro n'est pas celui d'un voisin vérifié. Inscrivez-vous sur ${
      siteUrl(publicUrl)
    } puis vérifiez votre téléphone. ${EMERGENCY}`,

  /** A known, verified phone whose membership is still waiting for its address check. At most once a day. */
  pending:
    `Vigie : votre inscription attend encore sa vérification, les alertes par SMS seront possibles ensuite. ${EMERGENCY}`
} as const
