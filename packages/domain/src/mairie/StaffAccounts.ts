import { Context, Effect, Layer, Option, Schema } from "effect"
import type { Redacted } from "effect"
import type { Account, StaffRole } from "../accounts/Account.js"
import type { EmailAlreadyUsed, PhoneAlreadyUsed } from "../accounts/AccountErrors.js"
import { AccountRepo } from "../accounts/AccountRepo.js"
import { StaffInvitationRepo } from "../accounts/StaffInvitationRepo.js"
import { issueInvitation } from "../accounts/StaffInvitations.js"
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

/**
 * What `add` did: the account, whether it is new, and when it is, the token of its invitation (the
 * link where the person chooses a password, valid 7 days, shown once).
 */
export interface StaffAdded {
  readonly account: Account
  readonly created: boolean
  readonly roleGranted: boolean
  readonly invitation: Option.Option<Redacted.Redacted<string>>
}

/**
 * Staff accounts, created by an operator (the `staff add` command): a new account has no password
 * and gets a one-time invitation to choose one (then to enrol a second factor); an existing one
 * (same e-mail) gets the role added, and must enrol a second factor before acting as staff.
 */
export class StaffAccounts extends Context.Tag("@vigie/domain/StaffAccounts")<
  StaffAccounts,
  {
    readonly add: (
      request: StaffRequest
    ) => Effect.Effect<StaffAdded, UnknownCommune | EmailAlreadyUsed | PhoneAlreadyUsed>
  }
>() {}

export const make = Effect.gen(function*() {
  const accounts = yield* AccountRepo
  const roles = yield* StaffRoleRepo
  const invitations = yield* StaffInvitationRepo
  const secrets = yield* Secrets
  const communes = yield* CommuneDirectory

  const add: StaffAccounts["Type"]["add"] = (request) =>
    Effect.gen(function*() {
      const role = request.role
      if (role._tag === "MairieAgent" || role._tag === "MunicipalPolice") {
        if (Option.isNone(yield* communes.findByInsee(role.insee))) {
          return yield* new UnknownCommune({ insee: role.insee })
        }
      }
      const existing = yield* accounts.findByEmail(request.email)
      if (Option.isSome(existing)) {
        const granted = yield* roles.grant(existing.value.id, role)
        const account = Option.getOrElse(yield* accounts.findById(existing.value.id), () => existing.value)
        return { account, created: false, roleGranted: granted, invitation: Option.none() }
      }
      const account = yield* accounts.insert({
        firstName: request.firstName,
        lastName: request.lastName,
        email: Option.some(request.email),
        phone: Option.none(),
        phoneVerified: false,
        passwordHash: Option.none(),
        staffRoles: [role]
      })
      const invitation = yield* issueInvitation(account.id).pipe(
        Effect.provideService(StaffInvitationRepo, invitations),
        Effect.provideService(Secrets, secrets)
      )
      return { account, created: true, roleGranted: true, invitation: Option.some(invitation) }
    })

  return StaffAccounts.of({ add })
})

export const layer = Layer.effect(StaffAccounts, make)
