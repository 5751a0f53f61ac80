import { Effect, FastCheck as fc } from "effect"

/**
 * An agreement property between a pure rule and the SQL that decides the same thing: `check` runs
 * for `runs` generated cases, each with the services of the surrounding Effect (the repositories
 * over the test database), and fails the property on its first disagreement (shrunk by fast-check).
 */
export const agree = <A, R>(
  arbitrary: fc.Arbitrary<A>,
  check: (a: A) => Effect.Effect<void, unknown, R>,
  runs: number
): Effect.Effect<void, never, R> =>
  Effect.gen(function*() {
    const context = yield* Effect.context<R>()
    yield* Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(arbitrary, (a) => Effect.runPromise(check(a).pipe(Effect.provide(context)))),
        { numRuns: runs }
      )
    )
  })
