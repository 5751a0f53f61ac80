import { Context, Effect } from "effect"
import type { DateTime } from "effect"
import { BlobStore } from "./BlobStore.js"

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

/** Unclaimed uploads are kept this long (a member may take a while to finish a post), then removed. */
export const STALE_UPLOAD_HOURS = 24

/** Rows removed per statement by `removeStaleUploads`. */
export const STALE_UPLOAD_BATCH = 500

/**
 * Removes every upload older than `before` that no post or message claimed: its row first (so that
 * nothing can claim it any more), then its bytes. Answers how many. A crash between the two leaves
 * at most an orphan blob, never a row without its bytes.
 */
export const removeStaleUploads = (before: DateTime.Utc) =>
  Effect.gen(function*() {
    const stale = yield* StaleUploads
    const blobs = yield* BlobStore
    let removed = 0
    for (;;) {
      const keys = yield* stale.removeStale(before, STALE_UPLOAD_BATCH)
      yield* Effect.forEach(keys, blobs.remove, { concurrency: 8, discard: true })
      removed += keys.length
      if (keys.length < STALE_UPLOAD_BATCH) return removed
    }
  }).pipe(Effect.withSpan("StaleUploads.removeStaleUploads"))
