import * as OTPAuth from "otpauth"
import { TotpAuthenticator } from "@vigie/domain/accounts/TotpAuthenticator"
import { Effect, Layer, Option } from "effect"

const ISSUER = "Vigie"
const PERIOD = 30

const totpOf = (secret: string, label = "") =>
  new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: PERIOD,
    secret: OTPAuth.Secret.fromBase32(secret) })

/** TOTP on otpauth (RFC 6238, the parameters every authenticator app reads: SHA-1, 6 digits, 30 s). */
export const make = TotpAuthenticator.of({
  newSecret: Effect.sync(() => new OTPAuth.Secret({ size: 20 }).base32),
  uri: ({ label, secret }) => totpOf(secret, label).toString(),
  matchStep: (secret, code, atMillis) => {
    if (!/^\d{6}$/.test(code)) return Option.none()
    const delta = totpOf(secret).validate({ token: code, timestamp: atMillis, window: 1 })
    return delta === null
      ? Option.none()
      : Option.some(OTPAuth.TOTP.counter({ period: PERIOD, timestamp: atMillis }) + delta)
  },
  codeAt: (secret, atMillis) => totpOf(secret).generate({ timestamp: atMillis })
})

export const layer = Layer.succeed(TotpAuthenticator, make)
