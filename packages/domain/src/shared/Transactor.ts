import { Context } from "effect"
import type { Effect } from "effect"

/**
 * Runs a unit of work in one database transaction: every repository call inside commits together
 * or not at all. Nested calls join the outer transaction.
 */
export class Transactor extends Context.Tag("@vigie/domain/Transactor")<
  Transactor,
  { readonly transaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> }
>() {}
