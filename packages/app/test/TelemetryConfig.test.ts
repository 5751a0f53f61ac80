import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, LogLevel, Option, Redacted } from "effect"
import * as ServerConfig from "../src/ServerConfig.js"
import { isWellFormedRequestId, requestIdOf } from "../src/http/RequestId.js"
import { noTrustedProxies, parseTrustedProxies } from "../src/http/ClientAddress.js"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"

const production = {
  VIGIE_ENV: "production",
  PUBLIC_URL: "https://vigie.example",
  VIGIE_SECRET_KEY: "ab".repeat(32),
  DATABASE_URL: "postgres://vigie@db:5432/vigie"
}

const read = (env: Record<string, string>) =>
  Effect.runSync(Effect.either(Effect.withConfigProvider(
    ServerConfig.startup,
    ConfigProvider.fromMap(new Map(Object.entries({ ...production, ...env })))
  )))

const telemetry = (env: Record<string, string>) => {
  const result = read(env)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right.telemetry
}

const problems = (env: Record<string, string>) => {
  const result = read(env)
  return Either.isLeft(result) ? result.left.lines : []
}

describe("telemetry configuration", () => {
  it("is off by default: no exporter, no /metrics server; JSON logs in production, text in development", () => {
    const off = telemetry({})
    expect(Option.isNone(off.otlp.tracesUrl) && Option.isNone(off.otlp.metricsUrl)).toBe(true)
    expect(Option.isNone(off.prometheus)).toBe(true)
    expect(off.logging).toStrictEqual({ format: "json", level: LogLevel.Info })
    const development = Effect.runSync(Effect.withConfigProvider(
      ServerConfig.startup,
      ConfigProvider.fromMap(new Map([["VIGIE_ENV", "development"]]))
    ))
    expect(development.telemetry.logging.format).toBe("text")
    expect(telemetry({ LOG_FORMAT: "text", LOG_LEVEL: "debug" }).logging).toStrictEqual({
      format: "text",
      level: LogLevel.Debug
    })
  })

  it("reads the standard OTEL_* variables: the base endpoint gets /v1/traces, the signal's own wins, none and disabled turn it off", () => {
    const base = telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/", OTEL_SERVICE_NAME: "vigie-paris" })
    expect(base.otlp.tracesUrl).toStrictEqual(Option.some("http://collector:4318/v1/traces"))
    expect(Option.isNone(base.otlp.metricsUrl)).toBe(true)
    expect(base.otlp.serviceName).toBe("vigie-paris")
    expect(
      telemetry({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/v1/traces",
        OTEL_METRICS_EXPORTER: "otlp"
      }).otlp
    ).toMatchObject({
      tracesUrl: Option.some("https://traces.example/v1/traces"),
      metricsUrl: Option.some("http://collector:4318/v1/metrics")
    })
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }
    expect(Option.isNone(telemetry({ ...endpoint, OTEL_TRACES_EXPORTER: "none" }).otlp.tracesUrl)).toBe(true)
    expect(Option.isNone(telemetry({ ...endpoint, OTEL_SDK_DISABLED: "true" }).otlp.tracesUrl)).toBe(true)
  })

  it("serves /metrics only when METRICS_PORT is set, on all interfaces unless METRICS_HOST says otherwise", () => {
    const on = telemetry({ METRICS_PORT: "9464", METRICS_TOKEN: "s3cret" })
    expect(Option.map(on.prometheus, (p) => [p.port, p.host])).toStrictEqual(Option.some([9464, "0.0.0.0"]))
    expect(Option.flatMap(on.prometheus, (p) => Option.map(p.token, Redacted.value))).toStrictEqual(
      Option.some("s3cret")
    )
    expect(Option.map(telemetry({ METRICS_PORT: "9464", METRICS_HOST: "127.0.0.1" }).prometheus, (p) => p.host))
      .toStrictEqual(Option.some("127.0.0.1"))
  })

  it("reports every malformed value on its own line, with the variable's name", () => {
    const lines = problems({
      METRICS_PORT: "metrics",
      OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318",
      LOG_FORMAT: "xml",
      OTEL_TRACES_EXPORTER: "zipkin"
    })
    expect(lines.map((l) => l.split(":")[0]).sort()).toStrictEqual(
      ["LOG_FORMAT", "METRICS_PORT", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_TRACES_EXPORTER"]
    )
    expect(problems({ OTEL_METRICS_EXPORTER: "otlp" })).toStrictEqual([
      "OTEL_METRICS_EXPORTER: is otlp but no endpoint is set: set OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
    ])
  })
})

describe("request ids", () => {
  const request = (peer: string, id?: string) =>
    HttpServerRequest.fromWeb(
      new Request("http://vigie.test/healthz", id === undefined ? {} : { headers: { "x-request-id": id } })
    )
      .modify({ remoteAddress: peer })
  const proxies = parseTrustedProxies("10.0.0.0/8")
  const trusted = proxies._tag === "Right" ? proxies.value : noTrustedProxies

  it("keeps a trusted proxy's well-formed X-Request-Id, replaces anyone else's and any malformed one", () => {
    expect(requestIdOf(request("10.1.2.3", "nginx-5f2b8c0e9a"), trusted)).toBe("nginx-5f2b8c0e9a")
    expect(requestIdOf(request("203.0.113.9", "nginx-5f2b8c0e9a"), trusted)).not.toBe("nginx-5f2b8c0e9a")
    expect(requestIdOf(request("10.1.2.3", "a\"b} injected"), trusted)).toMatch(/^[0-9a-f-]{36}$/)
    expect(requestIdOf(request("10.1.2.3"), trusted)).toMatch(/^[0-9a-f-]{36}$/)
    expect(isWellFormedRequestId("short")).toBe(false)
    expect(isWellFormedRequestId("x".repeat(129))).toBe(false)
  })
})

describe("alerting rules", () => {
  it("infra/OPERATIONS.md's rules and table name only metrics the code exports", () => {
    const root = new URL("../../../", import.meta.url)
    const read = (path: string) => readFileSync(new URL(path, root), "utf8")
    const exported = new Set(
      [read("packages/app/src/telemetry/AppMetrics.ts"), read("packages/adapters/src/telemetry/ProviderMetrics.ts")]
        .flatMap((source) => [...source.matchAll(/"(vigie_[a-z_]+)"/g)].map((m) => m[1]!))
    )
    const section = read("infra/OPERATIONS.md").split("## Alerting rules")[1]!.split("\n## ")[0]!
    const named = new Set(
      [...section.matchAll(/\bvigie_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ""))
    )
    expect(named.size).toBeGreaterThan(10)
    expect([...named].filter((name) => !exported.has(name))).toStrictEqual([])
    // Every exported metric is documented there.
    expect([...exported].filter((name) => !named.has(name))).toStrictEqual([])
  })
})
