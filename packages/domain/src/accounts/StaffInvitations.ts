import { Context, DateTime, Effect, Encoding, Layer, Option, Redacted } from "effect"
import { Secrets } from "../shared/Secrets.js"
import type { AccountId } from "./Account.js"
import { AccountSuspended } from "./AccountErrors.js"
import { AccountRepo } from "./AccountRepo.js"
import { CommonPasswords } from "./CommonPasswords.js"
import { checkNewPassword } from "./NewPassword.js"
import { openSession } from "./OpenSession.js"
import { PasswordHasher } from "./PasswordHasher.js"
import type { CommonPassword } from "./PasswordErrors.js"
import { STAFF_INVITATION_LIFETIME } from "./SecondFactorPolicy.js"
import { InvitationExpired, InvitationNotFound } from "./SecondFactorErrors.js"
import type { WeakPassword } from "./SessionErrors.js"
import { SessionRepo } from "./SessionRepo.js"
import { type LoginResult, Sessions } from "./Sessions.js"
import { StaffInvitationRepo } from "./StaffInvitationRepo.js"

/** Bytes of randomness in an invitation token (256 bits). */
export const INVITATION_TOKEN_BYTES = 32

/**
 * Staff choose their own password: an operator's `staff add` gives a one-time link valid 7 days
 * (its token stored only as a keyed hash); opening it, the person chooses a password (the rule of
 * every password, common ones refused) and is signed in, to enrol a second factor next.
 */
export class StaffInvitations extends Context.Tag("@vigie/domain/StaffInvitations")<
  StaffInvitations,
  {
    readonly issue: (accountId: AccountId) => Effect.Effect<Redacted.Redacted<string>>
    readonly accept: (input: {
      readonly token: string
      readonly password: Redacted.Redacted<string>
    }) => Effect.Effect<
      LoginResult,
      InvitationNotFound | InvitationExpired | WeakPassword | CommonPassword | AccountSuspended
    >
  }
>() {}

/** A new invitation for the account: its token (for the link, shown once) is stored only as a keyed hash. */
export const issueInvitation = (
  accountId: AccountId
): Effect.Effect<Redacted.Redacted<string>, never, StaffInvitationRepo | Secrets> =>
  Effect.gen(function*() {
    const repo = yield* StaffInvitationRepo
    const secrets = yield* Secrets
    const at = yield* DateTime.now
    const token = Encoding.encodeBase64Url(yield* secrets.randomBytes(INVITATION_TOKEN_BYTES))
    yield* repo.insert({
      tokenHash: yield* secrets.keyedHash("staff_invitation", token),
      accountId,
      createdAt: at,
      expiresAt: DateTime.addDuration(at, STAFF_INVITATION_LIFETIME)
    })
    return Redacted.make(token)
  })

export const make = Effect.gen(function*() {
  const repo = yield* StaffInvitationRepo
  const accounts = yield* AccountRepo
  const sessions = yield* Sessions
  const sessionRepo = yield* SessionRepo
  const hasher = yield* PasswordHasher
  const secrets = yield* Secrets
  const commonPasswords = yield* CommonPasswords
  const now = DateTime.now

  const issue: StaffInvitations["Type"]["issue"] = (accountId) =>
    issueInvitation(accountId).pipe(
      Effect.provideService(StaffInvitationRepo, repo),
      Effect.provideService(Secrets, secrets)
    )

  const accept: StaffInvitations["Type"]["accept"] = ({ password, token }) =>
    Effect.gen(function*() {
      if (token.length === 0 || token.length > 100) return yield* new InvitationNotFound()
      const at = yield* now
      const tokenHash = yield* secrets.keyedHash("staff_invitation", token)
      const found = yield* repo.find(tokenHash)
      if (Option.isNone(found) || found.value.used) return yield* new InvitationNotFound()
      if (!DateTime.lessThan(at, found.value.expiresAt)) return yield* new InvitationExpired()
      yield* checkNewPassword(password).pipe(Effect.provideService(CommonPasswords, commonPasswords))
      const passwordHash = yield* hasher.hash(password)
      // Used or expired by now (a second tab, the clock): refused by the one statement that uses it.
      const accepted = yield* repo.accept(tokenHash, passwordHash, at)
      if (Option.isNone(accepted)) return yield* new InvitationNotFound()
      const account = yield* accounts.findById(accepted.value)
      if (Option.isNone(account) || account.value.status === "erased") return yield* new InvitationNotFound()
      if (account.value.status === "suspended") return yield* new AccountSuspended({ accountId: account.value.id })
      const opened = yield* openSession(account.value.id, at).pipe(
        Effect.provideService(SessionRepo, sessionRepo),
        Effect.provideService(Secrets, secrets)
      )
      const me = yield* sessions.whoAmI({ _tag: "Authenticated", account: account.value, sessionId: opened.session.id })
        .pipe(Effect.orDie)
      return { ...opened, me, device: Option.none() }
    }).pipe(Effect.withSpan("StaffInvitations.accept"))

  return StaffInvitations.of({ issue, accept })
})

export const layer = Layer.effect(StaffInvitations, make)
