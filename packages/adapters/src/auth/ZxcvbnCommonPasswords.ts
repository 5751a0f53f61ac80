import { dictionary } from "@zxcvbn-ts/language-common"
import { CommonPasswords } from "@vigie/domain/accounts/CommonPasswords"
import { Effect, Layer } from "effect"

/**
 * The common-password list of zxcvbn-ts (about 49,000 passwords from public leaks), read once into a
 * set; a password is looked up in lower case, so "Qwerty123456" is as common as "qwerty123456".
 */
export const make = Effect.sync(() => {
  const list = new Set((dictionary["passwords-common"] as ReadonlyArray<string>).map((p) => p.toLowerCase()))
  return CommonPasswords.of({
    isCommon: (password) => Effect.sync(() => list.has(password.toLowerCase()))
  })
})

export const layer = Layer.effect(CommonPasswords, make)
