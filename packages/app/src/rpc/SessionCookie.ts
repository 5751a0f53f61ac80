/** The session cookie's name: with the __Host- prefix (Secure, host-only, path /) over https. */
export const sessionCookieName = (publicUrl: URL): string =>
  publicUrl.protocol === "https:" ? "__Host-vigie_session" : "vigie_session"
