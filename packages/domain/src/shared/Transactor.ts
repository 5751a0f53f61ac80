import { Context } from "effect"
import type { Effect } from "effect"

/**
 * Runs a unit of work in one database transaction: every repository call inside commits together
 * or not at all. Nested calls join the outer transaction.
 */
export class Transactor extends Context.Tag("@vigie/domain/Transactor")<
  Transactor,
  {
    readonly transaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    /**
     * Waits for, then holds until the surrounding transaction ends, the lock named (namespace, key):
     * the check-then-write of a limit (count, decide, insert) runs under it, so that concurrent calls
     * on the same key are counted one after the other. Call it inside `transaction`. Locks taken
     * together are taken in one order everywhere (the order of the calls in the use case).
     */
    readonly lock: (namespace: string, key: string) => Effect.Effect<void>
  }
>() {}
