import { CurrentActor } from "@vigie/domain/accounts/CurrentActor"
import { PersonalData } from "@vigie/domain/accounts/PersonalData"
import { PersonalDataRpcs } from "@vigie/domain/accounts/PersonalDataRpcs"
import { PublicUrl } from "@vigie/domain/shared/PublicUrl"
import { Effect } from "effect"
import { ResponseCookies } from "../http/ResponseCookies.js"
import { sessionCookieName } from "./SessionCookie.js"

export const layer = PersonalDataRpcs.toLayer(Effect.gen(function*() {
  const personalData = yield* PersonalData
  const cookies = yield* ResponseCookies
  const name = sessionCookieName(yield* PublicUrl)
  return {
    EraseMyAccount: ({ password }, { headers }) =>
      Effect.gen(function*() {
        yield* personalData.eraseOwn(yield* CurrentActor, password)
        yield* cookies.set(headers, { name, value: "", maxAge: 0 })
      })
  }
}))
