import type { Account } from "@vigie/domain/accounts/Account"
import { enrolWithSecret, SecondFactor } from "@vigie/domain/accounts/SecondFactor"
import { Sessions } from "@vigie/domain/accounts/Sessions"
import type { Email } from "@vigie/domain/shared/Text"
import { Effect, Redacted } from "effect"

/** The TOTP secret the test staff accounts are enrolled with (base32). */
export const TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

/** Enrols a staff account's second factor at once with the test secret; its 10 recovery codes. */
export const enrolStaff = (account: Account) => enrolWithSecret(account, TEST_TOTP_SECRET)

/**
 * Signs in as anyone: the password, then, for a staff account with a second factor, the second step
 * with `recoveryCode` (a recovery code never collides with a TOTP code already used in this window).
 */
export const logInWithSecondStep = (email: Email, password: string, recoveryCode?: string) =>
  Effect.gen(function*() {
    const sessions = yield* Sessions
    const secondFactor = yield* SecondFactor
    const logIn = sessions.logIn({ email, password: Redacted.make(password) })
    if (recoveryCode === undefined) return yield* logIn
    const code = recoveryCode
    return yield* logIn.pipe(
      Effect.catchTag("SecondFactorRequired", (e) => secondFactor.completeSignIn({ challenge: e.challenge, code }))
    )
  })
