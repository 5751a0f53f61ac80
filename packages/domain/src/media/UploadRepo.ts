import { Context } from "effect"
import type { DateTime, Effect, Option } from "effect"
import type { AccountId } from "../shared/Ids.js"
import type { UploadUnavailable } from "./MediaErrors.js"
import type { Upload, UploadId, UploadKind } from "./Upload.js"

/**
 * Persistence of uploads (table media_uploads). `claim` is what a post or message calls inside its
 * own transaction: it marks every listed upload as taken, or none (UploadUnavailable names those
 * that are unknown, not the owner's, of another kind or already claimed), in one statement, so that
 * two posts racing for one upload cannot both take it.
 */
export class UploadRepo extends Context.Tag("@vigie/domain/UploadRepo")<
  UploadRepo,
  {
    readonly insert: (upload: Upload) => Effect.Effect<void>
    readonly get: (id: UploadId) => Effect.Effect<Option.Option<Upload>>
    readonly claim: (
      ownerId: AccountId,
      ids: ReadonlyArray<UploadId>,
      kind: UploadKind,
      now: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<Upload>, UploadUnavailable>
    /**
     * Lets go of the owner's claimed uploads among `ids` (a profile's photo replaced or removed): unclaimed
     * again, they are served to nobody and their bytes go with the next sweep of stale uploads.
     */
    readonly release: (ownerId: AccountId, ids: ReadonlyArray<UploadId>) => Effect.Effect<void>
  }
>() {}
