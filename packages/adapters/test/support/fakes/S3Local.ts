import { mkdtemp, rm } from "node:fs/promises"
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Context, Effect, Layer } from "effect"

/** The part of s3rver's API the tests use (the package ships no types). */
interface S3rverServer {
  run: () => Promise<AddressInfo>
  close: () => Promise<void>
}
type S3rverClass = new(options: {
  address: string
  port: number
  directory: string
  silent: boolean
  configureBuckets: ReadonlyArray<{ name: string }>
}) => S3rverServer

export interface S3Local {
  /** `http://127.0.0.1:<port>`, to use as S3_ENDPOINT (path style). */
  readonly endpoint: string
  readonly bucket: string
  /** The keys s3rver accepts. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }
}

/** s3rver in this process, on 127.0.0.1 and a free port, over a temporary folder with one bucket. */
export class S3LocalServer extends Context.Tag("@vigie/adapters/test/S3LocalServer")<S3LocalServer, S3Local>() {}

export const layer: Layer.Layer<S3LocalServer> = Layer.scoped(
  S3LocalServer,
  Effect.gen(function*() {
    const S3rver = createRequire(import.meta.url)("s3rver") as S3rverClass
    const directory = yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "vigie-s3rver-"))),
      (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
    )
    const bucket = "vigie-test"
    const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true,
      configureBuckets: [{ name: bucket }] })
    const address = yield* Effect.acquireRelease(
      Effect.promise(() => server.run()),
      () => Effect.promise(() => server.close())
    )
    return {
      endpoint: `http://127.0.0.1:${address.port}`,
      bucket,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }
    }
  })
)
