import type { AccountId } from "@vigie/domain/accounts/Account"
import { PersonRef } from "@vigie/domain/moderation/ModeratedAlert"
import { Option, Schema } from "effect"

/** A timestamp column read as a UTC DateTime. */
export const Time = Schema.DateTimeUtcFromDate

/** A person named on a moderation row (an author, a moderator, a flagger). */
export const person = (id: AccountId, first: string, last: string) =>
  new PersonRef({ accountId: id, firstName: first, lastName: last }, true)

/** A person from the columns of an outer join: none when any is NULL. */
export const optionalPerson = (
  id: AccountId | null,
  first: string | null,
  last: string | null
): Option.Option<PersonRef> =>
  id === null || first === null || last === null ? Option.none() : Option.some(person(id, first, last))
