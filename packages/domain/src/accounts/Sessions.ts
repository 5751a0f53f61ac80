import { Context, DateTime, Effect, Encoding, Layer, Option, Redacted } from "effect"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { Secrets } from "../shared/Secrets.js"
import type { Email } from "../shared/Text.js"
import type { Account } from "./Account.js"
import type { AccountSuspended, Unauthenticated } from "./AccountErrors.js"
import { AccountSuspended as Suspended } from "./AccountErrors.js"
import { AccountRepo } from "./AccountRepo.js"
import { isSessionLive, SESSION_LIFETIME } from "./AuthPolicy.js"
import { anonymous, requireAccount, type Actor } from "./CurrentActor.js"
import { LoginAttemptRepo } from "./LoginAttemptRepo.js"
import { LoginDeviceRepo } from "./LoginDeviceRepo.js"
import { Me, MyMembership } from "./Me.js"
import { PasswordHasher } from "./PasswordHasher.js"
import * as PasswordTries from "./PasswordTries.js"
import type { Session } from "./Session.js"
import { InvalidCredentials, type LoginThrottled } from "./SessionErrors.js"
import { SessionRepo } from "./SessionRepo.js"
import { SecondFactorRequired } from "./SecondFactorErrors.js"
import { SignInChallenges } from "./SignInChallenges.js"

/** Bytes of randomness in a session token (256 bits). */
export const SESSION_TOKEN_BYTES = 32

/** Bytes of randomness in a device cookie (256 bits). */
export const DEVICE_TOKEN_BYTES = 32

/** What a successful login gives: the token for the cookie (shown once, never stored) and who it is. */
export interface LoginResult {
  readonly token: Redacted.Redacted<string>
  readonly session: Session
  readonly me: Me
  /** A new device cookie for this browser, when it carried none bound to this account. */
  readonly device: Option.Option<Redacted.Redacted<string>>
}

/**
 * Authentication use cases. Login answers the same way and does the same work (one Argon2
 * verification) whether the e-mail is known or not; failures slow further tries down.
 */
export class Sessions extends Context.Tag("@vigie/domain/Sessions")<
  Sessions,
  {
    /**
     * `device` is the browser's device cookie, if any: a device that logged in to this account
     * before is throttled by its own failures only, never by failures made elsewhere.
     */
    readonly logIn: (
      input: {
        readonly email: Email
        readonly password: Redacted.Redacted<string>
        readonly device?: string | undefined
      }
    ) => Effect.Effect<LoginResult, InvalidCredentials | LoginThrottled | AccountSuspended | SecondFactorRequired>
    readonly logOut: (actor: Actor) => Effect.Effect<void>
    /** The actor behind a session token; Anonymous when the token is unknown, expired or idle too long. */
    readonly authenticate: (token: string) => Effect.Effect<Actor>
    readonly whoAmI: (actor: Actor) => Effect.Effect<Me, Unauthenticated | AccountSuspended>
  }
>() {}

export const make = Effect.gen(function*() {
  const accounts = yield* AccountRepo
  const memberships = yield* MembershipRepo
  const communities = yield* CommunityRepo
  const sessions = yield* SessionRepo
  const attempts = yield* LoginAttemptRepo
  const devices = yield* LoginDeviceRepo
  const hasher = yield* PasswordHasher
  const secrets = yield* Secrets
  const challenges = yield* SignInChallenges
  const { reserveTry } = yield* PasswordTries.make

  // Checked against when the e-mail is unknown, so both answers cost one Argon2 verification.
  const decoy = yield* secrets.randomBytes(24).pipe(
    Effect.flatMap((bytes) => hasher.hash(Redacted.make(Encoding.encodeBase64Url(bytes))))
  )

  const now = DateTime.now

  const meOf = (account: Account) =>
    Effect.gen(function*() {
      const mine = yield* memberships.listByAccount(account.id)
      const rows: Array<MyMembership> = []
      for (const membership of mine) {
        const community = yield* communities.findById(membership.communityId)
        if (Option.isSome(community)) rows.push(new MyMembership({ membership, community: community.value }))
      }
      return new Me({ account, memberships: rows })
    })

  const logIn: Sessions["Type"]["logIn"] = ({ device, email, password }) =>
    Effect.gen(function*() {
      const at = yield* now
      const loginKey = yield* secrets.keyedHash("login_key", email)
      const account = yield* accounts.findByEmail(email)
      // A device that logged in to this very account before counts its failures on its own counter.
      const deviceHash = device !== undefined && device.length > 0 && device.length <= 100
        ? Option.some(yield* secrets.keyedHash("login_device", device))
        : Option.none<Uint8Array>()
      const knownDevice = Option.isSome(deviceHash) && Option.isSome(account) &&
        Option.contains(yield* devices.accountOf(deviceHash.value), account.value.id)
      const key = knownDevice && Option.isSome(deviceHash)
        ? yield* secrets.keyedHash(
          "login_device_key",
          `${Encoding.encodeHex(loginKey)}:${Encoding.encodeHex(deviceHash.value)}`
        )
        : loginKey
      yield* reserveTry(key)

      const stored = Option.isSome(account) ? yield* accounts.passwordHash(account.value.id) : Option.none<string>()
      const matches = yield* hasher.verify(Option.getOrElse(stored, () => decoy), password)
      if (!matches || Option.isNone(account) || Option.isNone(stored) || account.value.status === "erased") {
        return yield* new InvalidCredentials()
      }
      yield* attempts.clear(key)
      if (account.value.status === "suspended") return yield* new Suspended({ accountId: account.value.id })
      // Staff with a second factor get no session yet: a short-lived token for the second step.
      const challenge = yield* challenges.issue(account.value)
      if (Option.isSome(challenge)) return yield* new SecondFactorRequired({ challenge: challenge.value })

      let newDevice = Option.none<Redacted.Redacted<string>>()
      if (knownDevice && Option.isSome(deviceHash)) {
        yield* devices.touch(deviceHash.value, at)
      } else {
        const deviceToken = Encoding.encodeBase64Url(yield* secrets.randomBytes(DEVICE_TOKEN_BYTES))
        yield* devices.insert({ tokenHash: yield* secrets.keyedHash("login_device", deviceToken),
          accountId: account.value.id, at })
        newDevice = Option.some(Redacted.make(deviceToken))
      }

      const token = Encoding.encodeBase64Url(yield* secrets.randomBytes(SESSION_TOKEN_BYTES))
      const session = yield* sessions.insert({
        accountId: account.value.id,
        tokenHash: yield* secrets.keyedHash("session_token", token),
        createdAt: at,
        expiresAt: DateTime.addDuration(at, SESSION_LIFETIME)
      })
      const me = yield* meOf(account.value)
      return { token: Redacted.make(token), session, me, device: newDevice }
    }).pipe(Effect.withSpan("Sessions.logIn"))

  const authenticate = (token: string): Effect.Effect<Actor> =>
    Effect.gen(function*() {
      if (token.length === 0 || token.length > 100) return anonymous
      const at = yield* now
      const found = yield* sessions.findByTokenHash(yield* secrets.keyedHash("session_token", token))
      if (Option.isNone(found)) return anonymous
      const session = found.value
      if (!isSessionLive(session, at)) {
        yield* sessions.delete(session.id)
        return anonymous
      }
      const account = yield* accounts.findById(session.accountId)
      if (Option.isNone(account) || account.value.status === "erased") return anonymous
      // Touching at most once a minute keeps reads cheap; the idle timeout counts in days.
      if (DateTime.toEpochMillis(at) - DateTime.toEpochMillis(session.lastSeenAt) > 60_000) {
        yield* sessions.touch(session.id, at)
      }
      return { _tag: "Authenticated", account: account.value, sessionId: session.id } as const
    }).pipe(Effect.withSpan("Sessions.authenticate"))

  return Sessions.of({
    logIn,
    logOut: (actor) => (actor._tag === "Authenticated" ? sessions.delete(actor.sessionId) : Effect.void),
    authenticate,
    whoAmI: (actor) => Effect.flatMap(requireAccount(actor), meOf)
  })
})

export const layer = Layer.effect(Sessions, make)
