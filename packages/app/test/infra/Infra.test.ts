import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { mainOutput, root } from "../../../../scripts/build-server.mjs"
import { type Infra, namesTheCodeReads, problems, readInfra, requiredInProduction } from "./InfraCheck.js"
import { parseYaml, parseYamlDocuments, YamlError } from "./Yaml.js"

const infra = readInfra(root)

describe("infra/ agrees with the code", () => {
  it("finds every process of compose.yaml and the Kubernetes manifests", () => {
    expect(infra.processes.map((p) => `${p.where}: ${p.command}`)).toStrictEqual([
      "compose migrate: migrate",
      "compose app-1: serve",
      "compose app-2: serve",
      "compose worker: worker",
      "Caddyfile: serve",
      "k8s Deployment vigie/migrate: migrate",
      "k8s Deployment vigie/app: serve",
      "k8s Deployment vigie-worker/worker: worker"
    ])
    expect(infra.upstreamPorts.map((u) => u.where)).toStrictEqual([
      "Caddyfile app-1:8080",
      "Caddyfile app-2:8080",
      "k8s Service vigie"
    ])
    expect(
      infra.processes.filter((p) => p.metricsPort !== undefined || p.annotatedMetricsPort !== undefined)
        .map((p) => `${p.where}: ${p.env["METRICS_PORT"]} ${p.metricsPort} ${p.annotatedMetricsPort}`)
    ).toStrictEqual([
      "compose app-1: 9464 9464 undefined",
      "compose app-2: 9464 9464 undefined",
      "compose worker: 9464 9464 undefined",
      "k8s Deployment vigie/app: 9464 9464 9464",
      "k8s Deployment vigie-worker/worker: 9464 9464 9464"
    ])
  })

  it("sets only variables the code reads, every one production requires, real commands, ports and probe paths", () => {
    expect(problems(infra, mainOutput)).toStrictEqual([])
  })

  it("reads the variable names from the configuration itself", () => {
    const names = namesTheCodeReads()
    for (const name of ["PORT", "PUBLIC_URL", "DATABASE_URL", "UI_DIR", "PLIVO_AUTH_TOKEN", "SMS_RATE_PER_SECOND"]) {
      expect(names).toContain(name)
    }
    expect(requiredInProduction({ sms: "outbox", email: "outbox" }))
      .toStrictEqual(new Set(["PUBLIC_URL", "VIGIE_SECRET_KEY", "DATABASE_URL"]))
    expect(requiredInProduction({ sms: "plivo", email: "outbox" })).toContain("PLIVO_NUMBER")
  })

  it("reports each kind of disagreement", () => {
    const [app1, ...rest] = infra.processes.filter((p) => p.where === "compose app-1")
    expect(rest).toHaveLength(0)
    const { PUBLIC_URL: _, ...withoutUrl } = app1!.env
    const broken: Infra = {
      ...infra,
      processes: infra.processes.map((p) =>
        p.where === "compose app-1"
          ? {
            ...p,
            command: "serv",
            env: { ...withoutUrl, PLIVO_AUTHID: "x", PORT: "8081", METRICS_PORT: "9465" },
            published: [9465]
          }
          : p.where === "compose worker"
          ? { ...p, env: { ...p.env, METRICS_PORT: null } }
          : p.where === "k8s Deployment vigie/app"
          ? {
            ...p,
            probes: p.probes.map((probe) => probe.kind === "readiness" ? { ...probe, path: "/ready" } : probe),
            annotatedMetricsPort: 9999
          }
          : p.where === "k8s Deployment vigie-worker/worker"
          ? (({ metricsPort: _, ...withoutMetrics }) => withoutMetrics)(p)
          : p
      ),
      upstreamPorts: [...infra.upstreamPorts, { where: "Caddyfile app-1:9464", port: 9464 }],
      dockerfile: { ...infra.dockerfile, healthcheck: "CMD curl -f http://127.0.0.1:8080/healthz", user: "root",
        env: { ...infra.dockerfile.env, UI_DIR: "/app/ui" } },
      dockerignore: infra.dockerignore.filter((p) => p !== ".data")
    }
    expect(problems(broken, "build/server.js")).toStrictEqual([
      "compose app-1: command \"serv\" is not one of start, migrate, seed, serve, worker, staff",
      "compose app-1: PLIVO_AUTHID is read by nothing",
      "compose app-1: PUBLIC_URL is required in production",
      "compose app-1: serves /metrics on METRICS_PORT 9465, declared 9464",
      "compose app-1: publishes the metrics port 9465 on the host",
      "compose app-1: listens on PORT 8081, declared 8080",
      "compose worker: METRICS_PORT is not set, nothing to scrape",
      "k8s Deployment vigie/app: prometheus.io/port says 9999, METRICS_PORT is 9464",
      "k8s Deployment vigie/app: readiness probe asks /ready, the server answers /readyz",
      "k8s Deployment vigie-worker/worker: METRICS_PORT=9464 but no metrics port is declared",
      "Caddyfile app-1:9464: routes to the metrics port 9464",
      "Dockerfile: HEALTHCHECK does not ask /readyz",
      "Dockerfile: ENTRYPOINT does not run build/server.js",
      "Dockerfile: the runtime stage does not copy /app/build",
      "Dockerfile: UI_DIR=/app/ui is not where the built web app is copied",
      "Dockerfile: runs as root",
      ".dockerignore: .data is sent to the builder"
    ])
  })
})

describe("the YAML subset infra/ is written in", () => {
  it("reads compose.yaml as YAML does (anchors merged, pass-through variables null)", () => {
    const compose = parseYaml(readFileSync(join(root, "infra/compose.yaml"), "utf8")) as {
      services: Record<string, { environment: Record<string, unknown>; command?: Array<string> }>
    }
    expect(compose.services["app-2"]!.environment["VIGIE_ENV"]).toBe("production")
    expect(compose.services["app-2"]!.environment["PLIVO_AUTH_ID"]).toBeNull()
    expect(compose.services["worker"]!.command).toStrictEqual(["worker"])
  })

  it("parses sequences of mappings, flow collections, quotes and documents", () => {
    const docs = parseYamlDocuments([
      "# a comment",
      "a: 1",
      "b:",
      "  - name: x # trailing",
      "    value: \"8080\"",
      "  - 'it''s'",
      "c: [\"serve\", plain]",
      "d: {}",
      "---",
      "e:",
      "- f",
      "g: &anchor",
      "  h: true",
      "i:",
      "  <<: *anchor",
      "  j: null"
    ].join("\n"))
    expect(docs).toStrictEqual([
      { a: 1, b: [{ name: "x", value: "8080" }, "it's"], c: ["serve", "plain"], d: {} },
      { e: ["f"], g: { h: true }, i: { h: true, j: null } }
    ])
  })

  it("refuses what it does not understand instead of misreading it", () => {
    expect(() => parseYaml("a: |\n  text")).toThrow(YamlError)
    expect(() => parseYaml("a: 1\na: 2")).toThrow(/duplicate key/)
    expect(() => parseYaml("a: *nowhere")).toThrow(/unknown alias/)
    expect(() => parseYaml("a: [1,\n  2]")).toThrow(YamlError)
  })
})
