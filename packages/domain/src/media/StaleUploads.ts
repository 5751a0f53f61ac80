import { Context } from "effect"
import type { DateTime, Effect } from "effect"

/**
 * The uploads nobody claimed: a member sent a photo or a PDF and never posted it. `removeStale`
 * deletes at most `limit` rows of uploads created before `before` and still unclaimed (in one
 * statement, so that a claim racing with it either takes the upload or finds it gone), and answers
 * the blob keys of the rows it deleted, whose bytes the caller then removes from the BlobStore.
 */
export class StaleUploads extends Context.Tag("@vigie/domain/StaleUploads")<
  StaleUploads,
  { readonly removeStale: (before: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<string>> }
>() {}
