import { rm } from "node:fs/promises"
import { StoredFiles } from "@vigie/domain/accounts/PersonalDataRepo"
import { Effect, Layer } from "effect"

/** Files on the local disk (the print batches' letters). A file already gone counts as removed. */
export const layer = Layer.succeed(
  StoredFiles,
  StoredFiles.of({
    remove: (paths) =>
      Effect.forEach(paths, (path) =>
        Effect.tryPromise(() => rm(path, { force: true })).pipe(
          Effect.as(1),
          Effect.catchAll((error) => Effect.logWarning("a file could not be removed", error).pipe(Effect.as(0)))
        ), { concurrency: 4 }).pipe(Effect.map((done) => done.reduce((a, b) => a + b, 0)))
  })
)
