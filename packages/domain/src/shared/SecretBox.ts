import { Context } from "effect"
import type { Effect } from "effect"

/**
 * Authenticated encryption under a key derived from the server's secret key (AES-256-GCM in
 * production), for the few secrets the server must read back (a staff member's TOTP secret): a copy
 * of the database alone reveals none of them.
 */
export class SecretBox extends Context.Tag("@vigie/domain/SecretBox")<
  SecretBox,
  {
    readonly seal: (plaintext: string) => Effect.Effect<Uint8Array>
    /** Dies when the box was not sealed under this key or was altered: that is never a user's error. */
    readonly open: (sealed: Uint8Array) => Effect.Effect<string>
  }
>() {}
