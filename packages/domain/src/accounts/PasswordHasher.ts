import { Context } from "effect"
import type { Effect, Redacted } from "effect"

/** Hashes and checks passwords (Argon2id in production). The clear password never leaves a Redacted. */
export class PasswordHasher extends Context.Tag("@vigie/domain/PasswordHasher")<
  PasswordHasher,
  {
    readonly hash: (password: Redacted.Redacted<string>) => Effect.Effect<string>
    readonly verify: (hash: string, password: Redacted.Redacted<string>) => Effect.Effect<boolean>
  }
>() {}
