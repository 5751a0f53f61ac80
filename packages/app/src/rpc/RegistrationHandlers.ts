import { RegistrationRpcs } from "@vigie/domain/registration/RegistrationRpcs"
import { Registration } from "@vigie/domain/registration/Registration"
import { Effect } from "effect"

export const layer = RegistrationRpcs.toLayer(Effect.gen(function*() {
  const registration = yield* Registration
  return {
    FindCommunes: ({ postcode }) => registration.findCommunes(postcode),
    ListCommunities: ({ insee }) => registration.listCommunities(insee),
    Register: (payload) => registration.register(payload)
  }
}))
