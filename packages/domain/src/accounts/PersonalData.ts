import { Context, DateTime, Effect, Layer } from "effect"
import type { Redacted } from "effect"
import { Secrets } from "../shared/Secrets.js"
import type { Account } from "./Account.js"
import type { AccountSuspended, Unauthenticated } from "./AccountErrors.js"
import { requireAccount, type Actor } from "./CurrentActor.js"
import * as PasswordTries from "./PasswordTries.js"
import { loginKeyOf } from "./PasswordTries.js"
import { StaffAccountErasureRefused } from "./PersonalDataErrors.js"
import { PersonalDataRepo, StoredFiles } from "./PersonalDataRepo.js"
import type { ErasureOutcome, PersonalDataFile } from "./PersonalDataRepo.js"
import { InvalidCredentials, type LoginThrottled } from "./SessionErrors.js"
import { Transactor } from "../shared/Transactor.js"

/**
 * GDPR self-service: a member's export of everything Vigie holds about them, and the erasure of their
 * account, confirmed by their password (a stolen session alone erases nothing; wrong passwords count
 * with the log-in's failures, so this is no way around its growing delay).
 */
export class PersonalData extends Context.Tag("@vigie/domain/PersonalData")<
  PersonalData,
  {
    readonly exportOf: (
      actor: Actor
    ) => Effect.Effect<ReadonlyArray<PersonalDataFile>, Unauthenticated | AccountSuspended>
    readonly eraseOwn: (
      actor: Actor,
      password: Redacted.Redacted<string>
    ) => Effect.Effect<
      void,
      Unauthenticated | AccountSuspended | InvalidCredentials | LoginThrottled | StaffAccountErasureRefused
    >
  }
>() {}

/** The key failed log-ins of this account count under (the keyed hash of its e-mail, as Sessions.logIn). */
export { loginKeyOf } from "./PasswordTries.js"

/**
 * Erases one account in the caller's transaction, then removes its files once committed. Used by
 * the member's own erasure and by the retention job (inactive accounts).
 */
export const eraseAccount = (account: Account, at: DateTime.Utc) =>
  Effect.gen(function*() {
    const repo = yield* PersonalDataRepo
    const files = yield* StoredFiles
    const transactor = yield* Transactor
    const outcome: ErasureOutcome = yield* transactor.transaction(repo.erase(account.id, at))
    const removed = yield* files.remove(outcome.letterFiles)
    yield* Effect.logInfo("account erased").pipe(Effect.annotateLogs({
      cancelledDeliveries: outcome.cancelledDeliveries,
      leftMemberships: outcome.leftMemberships,
      lettersRemoved: removed
    }))
    if (outcome.communitiesWithoutReferent.length > 0) {
      yield* Effect.logWarning("a quartier has no référent any more: its last one erased their account").pipe(
        Effect.annotateLogs({ communityIds: outcome.communitiesWithoutReferent.join(",") })
      )
    }
    return outcome
  })

export const make = Effect.gen(function*() {
  const repo = yield* PersonalDataRepo
  const tries = yield* PasswordTries.make
  const context = yield* Effect.context<Secrets | StoredFiles | Transactor | PersonalDataRepo>()
  const now = DateTime.now

  const exportOf: PersonalData["Type"]["exportOf"] = (actor) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      const key = yield* loginKeyOf(account)
      return yield* repo.collect(account.id, key)
    }).pipe(Effect.provide(context), Effect.withSpan("PersonalData.exportOf"))

  const eraseOwn: PersonalData["Type"]["eraseOwn"] = (actor, password) =>
    Effect.gen(function*() {
      const account = yield* requireAccount(actor)
      if (account.staffRoles.length > 0) return yield* new StaffAccountErasureRefused()
      // Counted before Argon2 under the login key's lock, like a log-in: parallel guesses wait their turn.
      if (!(yield* tries.checkAccountPassword(account, password))) return yield* new InvalidCredentials()
      const at = yield* now
      yield* eraseAccount(account, at)
    }).pipe(Effect.provide(context), Effect.withSpan("PersonalData.eraseOwn"))

  return PersonalData.of({ exportOf, eraseOwn })
})

export const layer = Layer.effect(PersonalData, make)
