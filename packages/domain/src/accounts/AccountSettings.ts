import { Context, DateTime, Effect, Either, Encoding, Layer, Option } from "effect"
import type { Redacted } from "effect"
import { EmailSender, type EmailMessage } from "../channels/EmailSender.js"
import { Secrets } from "../shared/Secrets.js"
import type { Email } from "../shared/Text.js"
import { Transactor } from "../shared/Transactor.js"
import { mayIssueCode } from "../channels/OneTimeCodes.js"
import type { Account } from "./Account.js"
import { Unauthenticated } from "./AccountErrors.js"
import type { AccountSuspended, EmailAlreadyUsed } from "./AccountErrors.js"
import { AccountRepo } from "./AccountRepo.js"
import { requireAccount, type Actor } from "./CurrentActor.js"
import { EmailUnchanged, LinkNotFound, TooManyEmailChanges, WrongPassword } from "./LifecycleErrors.js"
import type { LinkAlreadyUsed, LinkExpired } from "./LifecycleErrors.js"
import { emailChangeRules, judgeLink, LINK_TOKEN_BYTES, maskEmail } from "./LifecyclePolicy.js"
import { LifecycleRepo } from "./LifecycleRepo.js"
import { EmailChanged, EmailChangeRequested } from "./EmailChange.js"
import { PublicUrl } from "../shared/PublicUrl.js"
import {
  emailChangeAskedEmail,
  emailChangedEmail,
  emailChangeLink,
  emailChangeLinkEmail,
  emailTakenEmail,
  passwordChangedEmail
} from "./LifecycleTexts.js"
import { PasswordChoice } from "./PasswordChoice.js"
import type { CommonPassword } from "./PasswordErrors.js"
import * as PasswordTries from "./PasswordTries.js"
import type { LoginThrottled, WeakPassword } from "./SessionErrors.js"

type Acting = Unauthenticated | AccountSuspended

/**
 * A member's own account: change of password (the current one asked, the other sessions ended) and
 * of e-mail address (confirmed by a link sent to the new address; the old one is told). The phone
 * changes through PhoneVerifications: the verified number changes only once the new one's code is
 * confirmed.
 */
export class AccountSettings extends Context.Tag("@vigie/domain/AccountSettings")<
  AccountSettings,
  {
    readonly changePassword: (
      actor: Actor,
      current: Redacted.Redacted<string>,
      next: Redacted.Redacted<string>
    ) => Effect.Effect<void, Acting | WrongPassword | LoginThrottled | WeakPassword | CommonPassword>
    readonly requestEmailChange: (
      actor: Actor,
      newEmail: Email,
      password: Redacted.Redacted<string>
    ) => Effect.Effect<
      EmailChangeRequested,
      Acting | WrongPassword | LoginThrottled | EmailUnchanged | TooManyEmailChanges
    >
    readonly confirmEmailChange: (
      token: string
    ) => Effect.Effect<EmailChanged, LinkNotFound | LinkExpired | LinkAlreadyUsed | EmailAlreadyUsed>
  }
>() {}

export const make = Effect.gen(function*() {
  const repo = yield* LifecycleRepo
  const accounts = yield* AccountRepo
  const choice = yield* PasswordChoice
  const tries = yield* PasswordTries.make
  const secrets = yield* Secrets
  const mail = yield* EmailSender
  const tx = yield* Transactor
  const publicUrl = yield* PublicUrl

  const now = DateTime.now

  /** Sends, logging a failure: the change itself is made, a lost notice must not undo it. */
  const send = (messages: ReadonlyArray<EmailMessage>, what: string) =>
    mail.send(messages).pipe(
      Effect.asVoid,
      Effect.catchAllCause((cause) => Effect.logWarning(`${what} not sent`, cause)),
      Effect.withSpan(`AccountSettings.${what}`)
    )

  /** The current password, checked like a log-in (PasswordTries): its failures count with the log-in's. */
  const checkPassword = (account: Account, password: Redacted.Redacted<string>) =>
    Effect.flatMap(
      tries.checkAccountPassword(account, password),
      (matches) => matches ? Effect.void : Effect.fail(new WrongPassword())
    )

  const sessionOf = (actor: Actor) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (actor._tag !== "Authenticated") return yield* new Unauthenticated()
      return { account, sessionId: actor.sessionId }
    })

  const changePassword: AccountSettings["Type"]["changePassword"] = (actor, current, next) =>
    Effect.gen(function*() {
      const { account, sessionId } = yield* sessionOf(actor)
      yield* checkPassword(account, current)
      const passwordHash = yield* choice.accept(next)
      yield* tx.transaction(Effect.gen(function*() {
        yield* repo.setPasswordHash(account.id, passwordHash)
        yield* repo.endSessions(account.id, Option.some(sessionId))
        yield* repo.supersedeResets(account.id)
      }))
      if (Option.isSome(account.email)) {
        yield* send(
          [{ to: account.email.value, ...passwordChangedEmail(account.firstName, publicUrl) }],
          "passwordChangedNotice"
        )
      }
    }).pipe(Effect.withSpan("AccountSettings.changePassword"))

  const requestEmailChange: AccountSettings["Type"]["requestEmailChange"] = (actor, newEmail, password) =>
    Effect.gen(function*() {
      const { account } = yield* sessionOf(actor)
      if (Option.exists(account.email, (e) => e.toLowerCase() === newEmail.toLowerCase())) {
        return yield* new EmailUnchanged()
      }
      yield* checkPassword(account, password)
      const token = Encoding.encodeBase64Url(yield* secrets.randomBytes(LINK_TOKEN_BYTES))
      const tokenHash = yield* secrets.keyedHash("email_change", token)
      const owner = yield* accounts.findByEmail(newEmail)
      const taken = Option.exists(owner, (o) => o.id !== account.id)
      const at = yield* now
      const expiresAt = DateTime.addDuration(at, emailChangeRules.validity)
      const issued = yield* tx.transaction(Effect.gen(function*() {
        yield* repo.lockAccount(account.id, "email_change")
        const sends = yield* repo.emailChangeSends(
          account.id,
          DateTime.subtractDuration(at, emailChangeRules.sendWindow)
        )
        const may = mayIssueCode(emailChangeRules, sends, at)
        if (Either.isLeft(may)) {
          return Either.left(new TooManyEmailChanges({ retryAfterSeconds: may.left.retryAfterSeconds }))
        }
        // An address taken by another account gets no link; the request is counted all the same.
        yield* repo.insertEmailChange({
          accountId: account.id,
          newEmail,
          tokenHash: taken ? Option.none() : Option.some(tokenHash),
          createdAt: at,
          expiresAt
        })
        return Either.right(undefined)
      }))
      yield* issued
      // The same answer either way; the owner of a taken address is told, as registration does.
      yield* send([{
        to: newEmail,
        ...(taken ? emailTakenEmail() : emailChangeLinkEmail(account.firstName, emailChangeLink(publicUrl, token)))
      }], "emailChangeLink")
      if (Option.isSome(account.email)) {
        yield* send(
          [{ to: account.email.value, ...emailChangeAskedEmail(account.firstName, maskEmail(newEmail)) }],
          "emailChangeAsked"
        )
      }
      return new EmailChangeRequested({ newEmail, expiresAt })
    }).pipe(Effect.withSpan("AccountSettings.requestEmailChange"))

  const confirmEmailChange: AccountSettings["Type"]["confirmEmailChange"] = (token) =>
    Effect.gen(function*() {
      const hash = yield* secrets.keyedHash("email_change", token)
      const { account, change } = yield* tx.transaction(Effect.gen(function*() {
        const found = yield* repo.findEmailChange(hash)
        if (Option.isNone(found)) return yield* new LinkNotFound()
        const change = found.value
        const account = yield* accounts.findById(change.accountId)
        if (Option.isNone(account) || account.value.status === "erased") return yield* new LinkNotFound()
        const at = yield* now
        yield* Either.match(judgeLink(change, at), { onLeft: Effect.fail, onRight: () => Effect.void })
        yield* repo.applyEmailChange(change, at)
        // Reset links still waiting in the old mailbox no longer open the account.
        yield* repo.supersedeResets(change.accountId)
        return { account: account.value, change }
      }))
      if (Option.isSome(account.email)) {
        yield* send(
          [{ to: account.email.value, ...emailChangedEmail(account.firstName, maskEmail(change.newEmail)) }],
          "emailChanged"
        )
      }
      return new EmailChanged({ email: change.newEmail })
    }).pipe(Effect.withSpan("AccountSettings.confirmEmailChange"))

  return AccountSettings.of({ changePassword, requestEmailChange, confirmEmailChange })
})

export const layer = Layer.effect(AccountSettings, make)
