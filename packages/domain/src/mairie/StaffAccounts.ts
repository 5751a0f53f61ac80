import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import type { Account, StaffRole } from "../accounts/Account.js"
import type { EmailAlreadyUsed, PhoneAlreadyUsed } from "../accounts/AccountErrors.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { PasswordHasher } from "../accounts/PasswordHasher.js"
import { CommuneDirectory } from "../communities/CommuneDirectory.js"
import { Secrets } from "../shared/Secrets.js"
import type { Email } from "../shared/Text.js"
import { StaffRoleRepo } from "./StaffRoleRepo.js"

/** The commune of a mairie or police role is not in the official list. */
export class UnknownCommune extends Schema.TaggedError<UnknownCommune>()("UnknownCommune", { insee: Schema.String }) {}

export interface StaffRequest {
  readonly role: StaffRole
  readonly email: Email
  readonly firstName: string
  readonly lastName: string
}

/** What `add` did: the account, whether it is new, and its initial password when it is (shown once). */
export interface StaffAdded {
  readonly account: Account
  readonly created: boolean
  readonly roleGranted: boolean
  readonly initialPassword: Option.Option<Redacted.Redacted<string>>
}

/** 120 random bits as 24 Crockford base32 characters in groups of 4: well past the CNIL password rule. */
export const formatPassword = (bytes: Uint8Array): string => {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
  let bits = 0
  let value = 0
  let out = ""
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return out.slice(0, 24).match(/.{1,4}/g)!.join("-")
}

/**
 * Staff accounts, created by an operator (the `staff add` command): a new account gets a random
 * initial password, printed once and stored only as its Argon2id hash; an existing one (same e-mail)
 * gets the role added.
 */
export class StaffAccounts extends Context.Tag("@vigie/domain/StaffAccounts")<
  StaffAccounts,
  { readonly add: (request: StaffRequest) => Effect.Effect<StaffAdded, UnknownCommune | EmailAlreadyUsed | PhoneAlreadyUsed> }
>() {}

export const make = Effect.gen(function*() {
  const accounts = yield* AccountRepo
  const roles = yield* StaffRoleRepo
  const hasher = yield* PasswordHasher
  const secrets = yield* Secrets
  const communes = yield* CommuneDirectory

  const add: StaffAccounts["Type"]["add"] = (request) =>
    Effect.gen(function*() {
      const role = request.role
      if (role._tag === "MairieAgent" || role._tag === "MunicipalPolice") {
        if (Option.isNone(yield* communes.findByInsee(role.insee))) return yield* new UnknownCommune({ insee: role.insee })
      }
      const existing = yield* accounts.findByEmail(request.email)
      if (Option.isSome(existing)) {
        const granted = yield* roles.grant(existing.value.id, role)
        const account = Option.getOrElse(yield* accounts.findById(existing.value.id), () => existing.value)
        return { account, created: false, roleGranted: granted, initialPassword: Option.none() }
      }
      const password = formatPassword(yield* secrets.randomBytes(15))
      const account = yield* accounts.insert({
        firstName: request.firstName,
        lastName: request.lastName,
        email: Option.some(request.email),
        phone: Option.none(),
        phoneVerified: false,
        passwordHash: Option.some(yield* hasher.hash(Redacted.make(password))),
        staffRoles: [role]
      })
      return { account, created: true, roleGranted: true, initialPassword: Option.some(Redacted.make(password)) }
    })

  return StaffAccounts.of({ add })
})

export const layer = Layer.effect(StaffAccounts, make)

