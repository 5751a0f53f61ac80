import { isAcceptablePassword, PASSWORD_MIN_LENGTH } from "@vigie/domain/accounts/AuthPolicy"
import { normalizeActivationCode } from "@vigie/domain/verification/ActivationCode"

/** A check returns the French message to show, or undefined when the value is fine. */
export type Check = (value: string) => string | undefined

export const required = (what: string): Check => (v) => (v.trim() === "" ? `Indiquez ${what}.` : undefined)

export const maxLength = (n: number): Check => (v) => v.trim().length > n ? `${n} caractères au maximum.` : undefined

export const email: Check = (v) =>
  v.trim() === ""
    ? "Indiquez votre adresse e-mail."
    : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())
    ? undefined
    : "Cette adresse e-mail n'est pas valide (exemple : marie.dupont@exemple.fr)."

export const postcode: Check = (v) =>
  v.trim() === ""
    ? "Indiquez le code postal."
    : /^[0-9]{5}$/.test(v.trim())
    ? undefined
    : "Le code postal compte 5 chiffres."

export const password: Check = (v) =>
  v === ""
    ? "Choisissez un mot de passe."
    : isAcceptablePassword(v)
    ? undefined
    : `Mot de passe trop faible : au moins ${PASSWORD_MIN_LENGTH} caractères variés (ou une phrase de passe).`

/** Optional; when given, something that looks like a phone number (the server normalises it). */
export const optionalPhone: Check = (v) =>
  v.trim() === "" || /^\+?[0-9][0-9 .-]{7,20}$/.test(v.trim())
    ? undefined
    : "Ce numéro n'est pas valide (exemple : 06 12 34 56 78)."

export const phone: Check = (v) => (v.trim() === "" ? "Indiquez votre numéro de portable." : optionalPhone(v))

export const activationCode: Check = (v) =>
  v.trim() === ""
    ? "Indiquez le code reçu par courrier."
    : normalizeActivationCode(v) === undefined
    ? "Le code compte 10 caractères (lettres et chiffres), comme sur la lettre."
    : undefined

export const smsCode: Check = (v) =>
  v.trim() === ""
    ? "Indiquez le code reçu par SMS."
    : /^[0-9]{6}$/.test(v.replace(/\s/g, ""))
    ? undefined
    : "Le code compte 6 chiffres."

/** The first message of the checks, in order. */
export const first = (...checks: ReadonlyArray<Check>): Check => (v) => {
  for (const check of checks) {
    const message = check(v)
    if (message !== undefined) return message
  }
  return undefined
}
