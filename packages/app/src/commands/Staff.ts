import type { StaffRole } from "@vigie/domain/accounts/Account"
import { InseeCode } from "@vigie/domain/communities/Commune"
import { StaffAccounts } from "@vigie/domain/mairie/StaffAccounts"
import { PublicUrl } from "@vigie/domain/shared/PublicUrl"
import { Email, PersonName } from "@vigie/domain/shared/Text"
import { Console, Data, Effect, Either, Option, Redacted, Schema } from "effect"

export const usage = `Usage: node dist/main.js staff add --role mairie|police|moderator|admin [--commune INSEE]
         --email ADDRESS --first-name NAME --last-name NAME
  (from the sources in development: npm run vigie -- staff add …)
  mairie and police need --commune (the INSEE code, e.g. 33080); moderator and admin take none.
  A new account gets a one-time invitation link (valid 7 days, printed once) where the person chooses
  a password and enrols a second factor; an existing account (same e-mail) gets the role.`

/** The page of the web app where an invited staff member chooses a password; the token stays in the fragment, out of logs. */
export const invitationLink = (publicUrl: URL, token: Redacted.Redacted<string>): string =>
  `${publicUrl.origin}/invitation#${Redacted.value(token)}`

/** The command line was wrong: `message` says what, in one line. */
export class StaffCommandError extends Data.TaggedError("StaffCommandError")<{ readonly message: string }> {}

const flags = (args: ReadonlyArray<string>): Either.Either<Record<string, string>, string> => {
  const out: Record<string, string> = {}
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!
    const value = args[i + 1]
    if (!name.startsWith("--") || value === undefined || value.startsWith("--")) {
      return Either.left(`expected "--name value", got "${name}"`)
    }
    out[name.slice(2)] = value
  }
  return Either.right(out)
}

/** The request a command line asks for, or what is wrong with it. */
export const parse = (args: ReadonlyArray<string>) =>
  Either.gen(function*() {
    if (args[0] !== "add") return yield* Either.left(`unknown staff command "${args[0] ?? ""}"`)
    const f = yield* flags(args.slice(1))
    const unknown = Object.keys(f).filter((k) => !["role", "commune", "email", "first-name", "last-name"].includes(k))
    if (unknown.length > 0) return yield* Either.left(`unknown option --${unknown[0]}`)
    const required = (name: string) =>
      f[name] === undefined ? Either.left(`--${name} is required`) : Either.right(f[name]!)
    const decode = <A>(schema: Schema.Schema<A, string>, name: string, value: string) =>
      Either.mapLeft(Schema.decodeEither(schema)(value), () => `--${name} "${value}" is not valid`)
    const roleName = yield* required("role")
    const commune = f["commune"]
    let role: StaffRole
    if (roleName === "mairie" || roleName === "police") {
      if (commune === undefined) return yield* Either.left(`--commune is required for --role ${roleName}`)
      const insee = yield* decode(InseeCode, "commune", commune)
      role = roleName === "mairie" ? { _tag: "MairieAgent", insee } : { _tag: "MunicipalPolice", insee }
    } else if (roleName === "moderator" || roleName === "admin") {
      if (commune !== undefined) return yield* Either.left(`--commune does not apply to --role ${roleName}`)
      role = roleName === "moderator" ? { _tag: "Moderator" } : { _tag: "Admin" }
    } else {
      return yield* Either.left(`--role must be mairie, police, moderator or admin`)
    }
    return {
      role,
      email: yield* decode(Email, "email", yield* required("email")),
      firstName: yield* decode(PersonName, "first-name", yield* required("first-name")),
      lastName: yield* decode(PersonName, "last-name", yield* required("last-name"))
    }
  })

/**
 * `staff add ...`: creates the staff account (or adds the role to the account with that e-mail) and
 * prints what the operator must hand over. `args` are the words after "staff".
 */
export const staff = (args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const request = yield* Either.match(parse(args), {
      onLeft: (message) => Effect.fail(new StaffCommandError({ message: `${message}\n${usage}` })),
      onRight: Effect.succeed
    })
    const accounts = yield* StaffAccounts
    const added = yield* accounts.add(request).pipe(
      Effect.catchTags({
        UnknownCommune: (e) =>
          Effect.fail(new StaffCommandError({ message: `No commune has the INSEE code ${e.insee}.` })),
        EmailAlreadyUsed: () => Effect.fail(new StaffCommandError({ message: "This e-mail is already used." })),
        PhoneAlreadyUsed: () => Effect.fail(new StaffCommandError({ message: "This phone number is already used." }))
      })
    )
    const who = `${added.account.firstName} ${added.account.lastName} <${request.email}>`
    const role = request.role._tag + ("insee" in request.role ? ` (${request.role.insee})` : "")
    if (added.created) {
      const publicUrl = yield* PublicUrl
      yield* Console.log(`Staff account created: ${who}, ${role}.`)
      yield* Console.log(
        `Invitation link (valid 7 days, usable once; send it to this person only): ${
          Option.match(added.invitation, { onNone: () => "", onSome: (token) => invitationLink(publicUrl, token) })
        }`
      )
    } else {
      yield* Console.log(
        added.roleGranted ? `Role ${role} added to ${who}.` : `${who} already has the role ${role}: nothing changed.`
      )
    }
    return added
  })
