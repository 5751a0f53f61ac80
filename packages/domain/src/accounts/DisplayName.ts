import type { AccountStatus } from "./Account.js"

/** How an erased account's alerts and marks are signed: its names are gone. */
export const ERASED_MEMBER_NAME = "Ancien membre"

/**
 * How other members are named to each other: the first name and the initial of the last name
 * ("Chloé M."). The full last name never leaves the server with what a member shares.
 */
export const shortName = (firstName: string, lastName: string): string => {
  const initial = [...lastName.trim()][0]
  return initial === undefined ? firstName.trim() : `${firstName.trim()} ${upperInitial(initial)}.`
}

/** Initials upper-cased once each: `toLocaleUpperCase` goes through ICU, and a page names 50 authors. */
const initials = new Map<string, string>()
const upperInitial = (initial: string): string => {
  let upper = initials.get(initial)
  if (upper === undefined) {
    upper = initial.toLocaleUpperCase("fr-FR")
    if (initials.size < 4096) initials.set(initial, upper)
  }
  return upper
}

/** The name members see of an account: its short name, or "Ancien membre" once it is erased. */
export const displayName = (person: {
  readonly firstName: string
  readonly lastName: string
  readonly status: AccountStatus
}): string => (person.status === "erased" ? ERASED_MEMBER_NAME : shortName(person.firstName, person.lastName))
