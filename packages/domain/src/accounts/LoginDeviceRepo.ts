import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "./Account.js"

/**
 * Browsers that logged in successfully before: a device cookie (random, long-lived) stored only as
 * its keyed hash and bound to the account it logged in. A log-in from a known device is throttled
 * by its own failures only, so that nobody else's failures lock the owner out.
 */
export class LoginDeviceRepo extends Context.Tag("@vigie/domain/LoginDeviceRepo")<
  LoginDeviceRepo,
  {
    /** The account a device cookie (by its hash) is bound to. */
    readonly accountOf: (tokenHash: Uint8Array) => Effect.Effect<Option.Option<AccountId>>
    readonly insert: (
      device: { readonly tokenHash: Uint8Array; readonly accountId: AccountId; readonly at: DateTime.Utc }
    ) => Effect.Effect<void>
    readonly touch: (tokenHash: Uint8Array, at: DateTime.Utc) => Effect.Effect<void>
  }
>() {}
