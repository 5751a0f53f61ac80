import { Context, Effect, Layer, Option, Redacted } from "effect"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { CommonPasswords } from "../accounts/CommonPasswords.js"
import { checkNewPassword } from "../accounts/NewPassword.js"
import type { CommonPassword } from "../accounts/PasswordErrors.js"
import { PasswordHasher } from "../accounts/PasswordHasher.js"
import { WeakPassword } from "../accounts/SessionErrors.js"
import { EmailSender } from "../channels/EmailSender.js"
import type { HomeAddress } from "../membership/Membership.js"
import { MembershipRepo } from "../membership/MembershipRepo.js"
import { Transactor } from "../shared/Transactor.js"
import type { AccountId } from "../shared/Ids.js"
import type { Email, PhoneE164 } from "../shared/Text.js"
import { InvalidPhoneNumber, PhoneCountryNotAllowed } from "../channels/PhoneErrors.js"
import { smsCountryAllowed, VerificationSmsSettings } from "../channels/VerificationSms.js"
import { PhoneNumbers } from "../channels/PhoneNumbers.js"
import type { Commune, InseeCode, Postcode } from "../communities/Commune.js"
import type { Community, CommunityId } from "../communities/Community.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import { CommunityNotFound, UnknownCommune, UnknownPostcode } from "../communities/CommunityErrors.js"
import { CommunityRepo } from "../communities/CommunityRepo.js"
import { AddressOutsideCommune } from "./RegistrationErrors.js"
import { addressAlreadyUsedEmail } from "./RegistrationTexts.js"

/** Who registers: their names, e-mail, optional phone, password and home address. */
export interface NewAccountInput {
  readonly firstName: string
  readonly lastName: string
  readonly email: Email
  readonly phone: Option.Option<string>
  readonly password: Redacted.Redacted<string>
  readonly address: HomeAddress
}

export interface RegistrationInput extends NewAccountInput {
  readonly communityId: CommunityId
}

type AccountProblem =
  | WeakPassword
  | CommonPassword
  | AddressOutsideCommune
  | InvalidPhoneNumber
  | PhoneCountryNotAllowed

/** Finding one's community and registering. Open to anyone: nothing here needs a session. */
export class Registration extends Context.Tag("@vigie/domain/Registration")<
  Registration,
  {
    readonly findCommunes: (postcode: Postcode) => Effect.Effect<ReadonlyArray<Commune>, UnknownPostcode>
    readonly listCommunities: (insee: InseeCode) => Effect.Effect<ReadonlyArray<Community>, UnknownCommune>
    readonly register: (
      input: RegistrationInput
    ) => Effect.Effect<
      void,
      | WeakPassword
      | CommonPassword
      | CommunityNotFound
      | AddressOutsideCommune
      | InvalidPhoneNumber
      | PhoneCountryNotAllowed
    >
    /**
     * Registers an account living in `insee` with the same checks as `register` (password rules,
     * phone, address in the commune) and, in the same transaction, runs `within` with its id (a
     * quartier proposal instead of a membership). A known e-mail answers alike: nothing is written,
     * its owner is told by e-mail.
     */
    readonly registerWith: (
      input: NewAccountInput,
      insee: InseeCode,
      within: (accountId: AccountId) => Effect.Effect<void>
    ) => Effect.Effect<void, AccountProblem>
  }
>() {}

export const make = Effect.gen(function*() {
  const directory = yield* CommuneDirectory
  const communities = yield* CommunityRepo
  const accounts = yield* AccountRepo
  const memberships = yield* MembershipRepo
  const hasher = yield* PasswordHasher
  const phones = yield* PhoneNumbers
  const email = yield* EmailSender
  const tx = yield* Transactor
  const smsLimits = yield* VerificationSmsSettings
  const commonPasswords = yield* CommonPasswords

  const tellOwner = (to: Email) => email.send([{ to, ...addressAlreadyUsedEmail() }]).pipe(Effect.ignore)

  const checkPassword = (password: Redacted.Redacted<string>) =>
    checkNewPassword(password).pipe(Effect.provideService(CommonPasswords, commonPasswords))

  /** Registers the account once its password is checked: the rest of `registerWith`. */
  const createAccount: Registration["Type"]["registerWith"] = (input, insee, within) =>
    Effect.gen(function*() {
      const password = input.password
      const commune = yield* directory.findByInsee(insee)
      if (Option.isNone(commune) || !commune.value.postcodes.includes(input.address.postcode)) {
        return yield* new AddressOutsideCommune({ postcode: input.address.postcode, insee })
      }
      const phone = yield* Option.match(input.phone, {
        onNone: () => Effect.succeed(Option.none<PhoneE164>()),
        onSome: (typed) =>
          Effect.flatMap(
            phones.normalize(typed),
            (p) => (Option.isSome(p) ? Effect.succeed(p) : Effect.fail(new InvalidPhoneNumber()))
          )
      })
      // Only numbers Vigie may text (French mobiles, or SMS_ALLOWED_COUNTRIES): others could never be verified.
      if (Option.isSome(phone)) {
        const country = Option.getOrUndefined(yield* phones.country(phone.value))
        if (!smsCountryAllowed(country, smsLimits)) return yield* new PhoneCountryNotAllowed({ country: country ?? "" })
      }
      // Hashing comes before the e-mail lookup, so known and unknown addresses cost the same.
      const passwordHash = yield* hasher.hash(password)
      const existing = yield* accounts.findByEmail(input.email)
      if (Option.isSome(existing)) return yield* tellOwner(input.email)
      // A phone already used elsewhere is dropped silently; its owner verifies it later.
      const freePhone: Option.Option<PhoneE164> =
        Option.isSome(phone) && Option.isSome(yield* accounts.findByPhone(phone.value))
          ? Option.none()
          : phone
      const insert = (phone: Option.Option<PhoneE164>) =>
        tx.transaction(Effect.gen(function*() {
          const account = yield* accounts.insert({
            firstName: input.firstName,
            lastName: input.lastName,
            email: Option.some(input.email),
            phone,
            phoneVerified: false,
            passwordHash: Option.some(passwordHash),
            staffRoles: []
          })
          yield* within(account.id)
          return true
        }))
      // Races with a concurrent registration: the e-mail lost means "known address"; a phone
      // taken meanwhile is dropped like above.
      const created = yield* insert(freePhone).pipe(
        Effect.catchTag("PhoneAlreadyUsed", () => insert(Option.none())),
        Effect.catchTags({ EmailAlreadyUsed: () => Effect.succeed(false), PhoneAlreadyUsed: () =>
          Effect.succeed(false) })
      )
      if (!created) yield* tellOwner(input.email)
    })

  const registerWith: Registration["Type"]["registerWith"] = (input, insee, within) =>
    Effect.zipRight(checkPassword(input.password), createAccount(input, insee, within)).pipe(
      Effect.withSpan("Registration.registerWith")
    )

  const register: Registration["Type"]["register"] = (input) =>
    Effect.gen(function*() {
      yield* checkPassword(input.password)
      const community = yield* communities.findById(input.communityId)
      if (Option.isNone(community) || community.value.status !== "active") {
        return yield* new CommunityNotFound({ communityId: input.communityId })
      }
      yield* createAccount(input, community.value.insee, (accountId) =>
        memberships.insert({
          accountId,
          communityId: input.communityId,
          role: "resident",
          status: "pending_verification",
          address: input.address
        }).pipe(Effect.orDie, Effect.asVoid))
    }).pipe(Effect.withSpan("Registration.register"))

  return Registration.of({
    findCommunes: (postcode) =>
      Effect.flatMap(
        directory.findByPostcode(postcode),
        (found) => found.length === 0 ? Effect.fail(new UnknownPostcode({ postcode })) : Effect.succeed(found)
      ),
    listCommunities: (insee) =>
      Effect.gen(function*() {
        if (Option.isNone(yield* directory.findByInsee(insee))) return yield* new UnknownCommune({ insee })
        const all = yield* communities.listByCommune(insee)
        return all.filter((c) => c.status === "active")
      }),
    register,
    registerWith
  })
})

export const layer = Layer.effect(Registration, make)
