import type { AccountStatus } from "./Account.js"

/** How an erased account's alerts and marks are signed: its names are gone. */
export const ERASED_MEMBER_NAME = "Ancien membre"

/**
 * How other members are named to each other: the first name and the initial of the last name
 * ("Chloé M."). The full last name never leaves the server with what a member shares.
 */
export const shortName = (firstName: string, lastName: string): string => {
  const initial = [...lastName.trim()][0]
  return initial === undefined ? firstName.trim() : `${firstName.trim()} ${initial.toLocaleUpperCase("fr-FR")}.`
}

/** The name members see of an account: its short name, or "Ancien membre" once it is erased. */
export const displayName = (person: {
  readonly firstName: string
  readonly lastName: string
  readonly status: AccountStatus
}): string => (person.status === "erased" ? ERASED_MEMBER_NAME : shortName(person.firstName, person.lastName))
