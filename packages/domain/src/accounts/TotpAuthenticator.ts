import { Context } from "effect"
import type { Effect, Option } from "effect"

/**
 * Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30-second steps), as every
 * authenticator app computes them. Secrets are base32 text, as typed into an app by hand.
 */
export class TotpAuthenticator extends Context.Tag("@vigie/domain/TotpAuthenticator")<
  TotpAuthenticator,
  {
    /** A new random secret of 160 bits, in base32. */
    readonly newSecret: Effect.Effect<string>
    /** The otpauth:// address an authenticator app reads from the QR code. */
    readonly uri: (input: { readonly secret: string; readonly label: string }) => string
    /** The 30-second step `code` belongs to, when it is valid at `atMillis` give or take one step. */
    readonly matchStep: (secret: string, code: string, atMillis: number) => Option.Option<number>
    /** The code an app shows at `atMillis` (for the demo staff in the dev inbox, and tests). */
    readonly codeAt: (secret: string, atMillis: number) => string
  }
>() {}
