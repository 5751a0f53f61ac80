import type { AddressInfo } from "node:net"
import * as sesLocal from "aws-ses-v2-local"
import { Context, Effect, Layer } from "effect"

/** One e-mail as aws-ses-v2-local stored it (GET /store). */
export interface StoredEmail {
  readonly messageId: string
  readonly from: string
  readonly destination: { readonly to: ReadonlyArray<string> }
  readonly subject: string
  readonly body: { readonly text?: string; readonly html?: string }
}

export interface SesLocal {
  /** `http://127.0.0.1:<port>`, to use as SES_ENDPOINT. */
  readonly endpoint: string
  /** Everything the emulator holds. Its store is per process, shared by every instance. */
  readonly emails: Effect.Effect<ReadonlyArray<StoredEmail>>
}

type Start = (config?: { host?: string; port?: number }) => Promise<import("node:http").Server>

// A CommonJS module whose `exports.default` is the function: from ESM it is `m.default.default`.
const startServer = (): Start => {
  const m = sesLocal as unknown as { default: Start | { default: Start } }
  return typeof m.default === "function" ? m.default : m.default.default
}

/** aws-ses-v2-local in this process, on 127.0.0.1 and a free port (its default is every interface). */
export class SesLocalServer extends Context.Tag("@vigie/adapters/test/SesLocalServer")<SesLocalServer, SesLocal>() {}

export const layer: Layer.Layer<SesLocalServer> = Layer.scoped(
  SesLocalServer,
  Effect.gen(function*() {
    const server = yield* Effect.acquireRelease(
      Effect.promise(() => startServer()({ host: "127.0.0.1", port: 0 })),
      (server) =>
        Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
          server.closeAllConnections()
        })
    )
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return {
      endpoint,
      emails: Effect.promise(async () => {
        const reply = await fetch(`${endpoint}/store`)
        const body = (await reply.json()) as { emails: ReadonlyArray<StoredEmail> }
        return body.emails
      })
    }
  })
)
