import { Context } from "effect"
import type { DateTime, Effect } from "effect"

/**
 * Failed logins, counted per login key (the keyed hash of the e-mail address, known or not), to
 * slow down password guessing with a growing delay.
 */
export class LoginAttemptRepo extends Context.Tag("@vigie/domain/LoginAttemptRepo")<
  LoginAttemptRepo,
  {
    /** The failures since the last success, and when the latest happened. */
    readonly failures: (
      key: Uint8Array
    ) => Effect.Effect<{ readonly count: number; readonly lastAt: DateTime.Utc | undefined }>
    readonly recordFailure: (key: Uint8Array, at: DateTime.Utc) => Effect.Effect<void>
    readonly clear: (key: Uint8Array) => Effect.Effect<void>
  }
>() {}
