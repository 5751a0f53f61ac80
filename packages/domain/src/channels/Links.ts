import { Either, Encoding, Option } from "effect"
import type { AlertId } from "../shared/Ids.js"

/**
 * The links every message carries, all built on PUBLIC_URL by `siteUrl`: the short link to an alert
 * (it must fit a one-part SMS), the preferences page, and any other page of the web app.
 */

/** A page of the web app: PUBLIC_URL without its trailing slashes, then `path` ("/preferences"; "" for home). */
export const siteUrl = (publicUrl: URL | string, path = ""): string => `${String(publicUrl).replace(/\/+$/, "")}${path}`

const uuidHex = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An alert id in 22 URL-safe characters (base64url of its 16 bytes), for SMS links. Reversible. */
export const shortAlertId = (alertId: AlertId): string => {
  const hex = alertId.replaceAll("-", "")
  const bytes = new Uint8Array(16)
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return Encoding.encodeBase64Url(bytes)
}

/** The alert id behind a short id, when it is one (the id still has to be checked against the database). */
export const alertIdFromShortId = (short: string): Option.Option<string> => {
  if (!/^[A-Za-z0-9_-]{22}$/.test(short)) return Option.none()
  return Either.match(Encoding.decodeBase64Url(short), {
    onLeft: () => Option.none(),
    onRight: (bytes) => {
      if (bytes.length !== 16) return Option.none()
      const hex = Encoding.encodeHex(bytes)
      const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
      return uuidHex.test(id) && shortAlertId(id as AlertId) === short ? Option.some(id) : Option.none()
    }
  })
}

/** The short link to an alert: PUBLIC_URL + "/a/" + short id. The web app serves that path. */
export const alertLink = (publicUrl: URL | string, alertId: AlertId): string =>
  siteUrl(publicUrl, `/a/${shortAlertId(alertId)}`)

/** Where a member chooses channels, urgency and quiet hours. */
export const preferencesLink = (publicUrl: URL | string): string => siteUrl(publicUrl, "/preferences")

/** The page where an invited staff member chooses a password; the token stays in the fragment, out of logs. */
export const staffInvitationLink = (publicUrl: URL | string, token: string): string =>
  siteUrl(publicUrl, `/invitation#${token}`)
