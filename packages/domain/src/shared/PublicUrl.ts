import { Context, Layer } from "effect"

/**
 * The site's public address (PUBLIC_URL): the links of SMS, e-mails and letters start with it, and
 * the "how to join" reply names it. Read once by the app's configuration and provided to every
 * service that writes a link, so that none takes it as an argument.
 */
export class PublicUrl extends Context.Tag("@vigie/domain/PublicUrl")<PublicUrl, URL>() {}

/** A fixed address (the app gives the configured one; tests and tools their own). */
export const layer = (url: URL | string) => Layer.succeed(PublicUrl, new URL(url))
