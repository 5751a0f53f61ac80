/** The session cookie's name: with the __Host- prefix (Secure, host-only, path /) over https. */
export const sessionCookieName = (publicUrl: URL): string =>
  publicUrl.protocol === "https:" ? "__Host-vigie_session" : "vigie_session"

/** The device cookie's name (a browser that logged in before): with the __Host- prefix over https. */
export const deviceCookieName = (publicUrl: URL): string =>
  publicUrl.protocol === "https:" ? "__Host-vigie_device" : "vigie_device"

/** A device cookie lasts a year (browsers cap cookies at 400 days); each log-in from it keeps it known. */
export const DEVICE_COOKIE_SECONDS = 365 * 24 * 60 * 60
