import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type { Cause, ParseResult } from "effect"

/** What a repository statement can fail with before mapping: the driver, or a row that does not decode. */
export type RepoFailure = SqlError | ParseResult.ParseError | Cause.NoSuchElementException

/** The unique constraint or unique index a statement violated, when that is why it failed. */
export const uniqueViolation = (error: RepoFailure): string | undefined => {
  if (error._tag !== "SqlError") return undefined
  const cause = error.cause as { readonly code?: unknown; readonly constraint?: unknown } | null | undefined
  return typeof cause === "object" && cause !== null && cause.code === "23505" && typeof cause.constraint === "string"
    ? cause.constraint
    : undefined
}

/**
 * The one place where a repository method's infrastructure failures are mapped: a violation of one
 * of the named unique constraints becomes that domain error; anything else is a defect.
 */
export const mapFailures =
  <const M extends Readonly<Record<string, () => unknown>> = {}>(unique?: M) =>
  <A, R>(self: Effect.Effect<A, RepoFailure, R>): Effect.Effect<A, ReturnType<M[keyof M]>, R> =>
    Effect.catchAll(self, (error): Effect.Effect<never, ReturnType<M[keyof M]>> => {
      const constraint = uniqueViolation(error)
      const toDomain = unique !== undefined && constraint !== undefined && Object.hasOwn(unique, constraint)
        ? unique[constraint]
        : undefined
      return toDomain === undefined ? Effect.die(error) : Effect.fail(toDomain() as ReturnType<M[keyof M]>)
    })
