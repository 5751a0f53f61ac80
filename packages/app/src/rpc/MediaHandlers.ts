import { CurrentActor, requireAccount } from "@vigie/domain/accounts/CurrentActor"
import { MediaRpcs } from "@vigie/domain/gazette/MediaRpcs"
import { uploadView } from "@vigie/domain/media/UploadView"
import { Uploads } from "@vigie/domain/media/Uploads"
import { Effect } from "effect"

/**
 * The media context sits below accounts and takes an account id: the signed-in, active account is
 * checked here, by the accounts' own rule (requireAccount), before anything is read.
 */
export const layer = MediaRpcs.toLayer(Effect.gen(function*() {
  const uploads = yield* Uploads
  return {
    UploadFile: ({ data, kind, name }) =>
      CurrentActor.pipe(
        Effect.flatMap(requireAccount),
        Effect.flatMap((account) => uploads.upload(account.id, { kind, name, bytes: data })),
        Effect.map(uploadView)
      )
  }
}))
