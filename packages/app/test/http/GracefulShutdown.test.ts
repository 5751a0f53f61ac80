import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { afterEach, describe, expect, it } from "vitest"
import * as GracefulShutdown from "../../src/http/GracefulShutdown.js"

const servers: Array<Server> = []
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done)))))

const listening = async (server: Server) => {
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const get = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
  return { status: response.status, body: await response.text(), retryAfter: response.headers.get("retry-after") }
}

describe("a server that listens before its routes are attached", () => {
  it("answers 503 starting meanwhile, then lets the routes answer, once each", async () => {
    const server = createServer()
    GracefulShutdown.track(server)
    const starting = GracefulShutdown.answerWhileStarting(server)
    const url = await listening(server)
    expect(await get(`${url}/readyz`)).toStrictEqual({ status: 503, body: "{\"status\":\"starting\"}",
      retryAfter: "1" })
    // The routes attach (NodeHttpServer's serve): they answer, and the starting answer stays out of their way.
    let answered = 0
    server.on("request", (_request, response) => {
      answered++
      response.end("routes")
    })
    expect(await get(`${url}/readyz`)).toStrictEqual({ status: 200, body: "routes", retryAfter: null })
    starting.done()
    expect(await get(`${url}/readyz`)).toStrictEqual({ status: 200, body: "routes", retryAfter: null })
    expect(answered).toBe(2)
    expect(server.listenerCount("request")).toBe(2)
  })

  it("without it, such a request is never answered", async () => {
    const url = await listening(createServer())
    await expect(get(`${url}/readyz`)).rejects.toThrow(/aborted|timeout/i)
  })
})
