import type { AccountStatus } from "./Account.js"

/** How an erased account is named wherever a name was shown (its alerts stay for the neighbours). */
export const ERASED_DISPLAY_NAME = "Ancien membre"

/** What an erased account's names become in the tombstone: together they read "Ancien membre". */
export const TOMBSTONE_NAMES = { firstName: "Ancien", lastName: "membre" } as const

/**
 * The name to show for an account: "Ancien membre" once it is erased, whatever display name was
 * derived from the tombstone's names. Every code path that shows a person's name goes through it.
 */
export const shownName = (status: AccountStatus, displayName: string): string =>
  status === "erased" ? ERASED_DISPLAY_NAME : displayName
