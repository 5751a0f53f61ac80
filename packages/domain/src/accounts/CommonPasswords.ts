import { Context } from "effect"
import type { Effect } from "effect"

/**
 * The list of passwords everybody tries first (leaked-password lists). A password on it is refused
 * whatever its length, because guessing starts there. Case does not matter.
 */
export class CommonPasswords extends Context.Tag("@vigie/domain/CommonPasswords")<
  CommonPasswords,
  { readonly isCommon: (password: string) => Effect.Effect<boolean> }
>() {}
