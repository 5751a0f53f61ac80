/**
 * Checks that infra/ (Dockerfile, compose.yaml, Caddyfile, k8s/) agrees with the code: the environment
 * variables it sets are ones the code reads, those production requires are set, the commands exist, the
 * ports match PORT and the probes ask for paths the server answers; every app and worker exports /metrics
 * on a declared METRICS_PORT that neither the proxy, the Service nor the host's published ports reach. No container runtime is needed:
 * the files are parsed and compared with what the configuration modules read.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { ConfigProvider, Effect, Either, HashSet } from "effect"
import { commandNames } from "../../src/Commands.js"
import { HEALTHZ_PATH, READYZ_PATH } from "../../src/http/Health.js"
import * as ServerConfig from "../../src/ServerConfig.js"
import { parseYaml, parseYamlDocuments, type YamlValue } from "./Yaml.js"

/** The node flags the image's entry point runs the server with (OPERATIONS.md, « The image »). */
export const SERVER_NODE_FLAGS = ["--enable-source-maps", "--max-semi-space-size=32"] as const

/** Variables that a library reads itself: Node (NODE_ENV) and the AWS SDK's credentials chain. */
export const readByLibraries: ReadonlySet<string> = new Set([
  "NODE_ENV",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN"
])

/**
 * Runs the whole start-up configuration (what `serve` reads; `worker`, `migrate` and `staff` read
 * subsets of it) against `env`, recording every variable it asks for, and the variables it reports
 * as missing or malformed.
 */
export const readConfiguration = (env: Readonly<Record<string, string>>) => {
  const asked = new Set<string>()
  const inner = ConfigProvider.fromMap(new Map(Object.entries(env))).flattened
  const recording = ConfigProvider.fromFlat(ConfigProvider.makeFlat({
    load: (path, primitive, split) => {
      asked.add(path.join("_"))
      return inner.load(path, primitive, split)
    },
    enumerateChildren: (path) =>
      inner.enumerateChildren(path).pipe(Effect.orElseSucceed(() => HashSet.empty<string>())),
    patch: inner.patch
  }))
  const result = Effect.runSync(Effect.either(Effect.withConfigProvider(ServerConfig.startup, recording)))
  const problems = Either.isLeft(result) ? result.left.lines.map((line) => line.split(":")[0]!) : []
  return { asked, problems }
}

/** Every variable the code reads, under every provider choice (Plivo and SES variables are read only when chosen). */
export const namesTheCodeReads = (): ReadonlySet<string> => {
  const names = new Set<string>()
  for (
    const env of [
      { VIGIE_ENV: "development" },
      { VIGIE_ENV: "production", SMS_PROVIDER: "plivo", EMAIL_PROVIDER: "ses" }
    ]
  ) {
    for (const name of readConfiguration(env).asked) names.add(name)
  }
  return names
}

/**
 * What production refuses to start without, for these providers, plus DATABASE_URL: the embedded
 * database serves one process only, and infra/ always runs several.
 */
export const requiredInProduction = (providers: { readonly sms: string; readonly email: string }) =>
  new Set([
    ...readConfiguration({ VIGIE_ENV: "production", SMS_PROVIDER: providers.sms, EMAIL_PROVIDER: providers.email })
      .problems,
    "DATABASE_URL"
  ])

/** One process of the platform as infra/ runs it. */
export interface VigieProcess {
  /** Where it is declared: "compose app-1", "k8s Deployment vigie/app". */
  readonly where: string
  readonly command: string
  /** The variables set; a value of null is passed through from the operator's shell (compose). */
  readonly env: Readonly<Record<string, string | null>>
  /** The HTTP port it listens on (the container port), when it serves. */
  readonly port?: number
  /** The port declared for GET /metrics: compose's `expose`, the container port named `metrics`. */
  readonly metricsPort?: number
  /** The scrape port a `prometheus.io/port` annotation names (Kubernetes). */
  readonly annotatedMetricsPort?: number
  /** Container ports published on the host (compose `ports:`). */
  readonly published?: ReadonlyArray<number>
  readonly probes: ReadonlyArray<
    { readonly kind: "liveness" | "readiness" | "startup" | "health"; readonly path: string }
  >
}

export interface Infra {
  readonly processes: ReadonlyArray<VigieProcess>
  /** Ports other parts send the apps' traffic to: the proxy's upstreams, the Service's target. */
  readonly upstreamPorts: ReadonlyArray<{ readonly where: string; readonly port: number }>
  readonly dockerfile: {
    readonly env: Readonly<Record<string, string>>
    readonly expose: ReadonlyArray<number>
    readonly healthcheck: string
    readonly entrypoint: ReadonlyArray<string>
    readonly cmd: ReadonlyArray<string>
    readonly copies: ReadonlyArray<string>
    readonly user: string
    readonly runs: ReadonlyArray<string>
  }
  /** The patterns of .dockerignore (the build context sent to the builder). */
  readonly dockerignore: ReadonlyArray<string>
}

const isMap = (v: YamlValue | undefined): v is { readonly [key: string]: YamlValue } =>
  typeof v === "object" && v !== null && !Array.isArray(v)
const map = (v: YamlValue | undefined): { readonly [key: string]: YamlValue } => (isMap(v) ? v : {})
const list = (v: YamlValue | undefined): ReadonlyArray<YamlValue> => (Array.isArray(v) ? v : [])
const text = (v: YamlValue | undefined): string => (v === null || v === undefined ? "" : String(v))

/** A compose value with its `${NAME:-default}` and `${NAME:?message}` resolved as the operator's defaults. */
const composeValue = (value: YamlValue): string | null =>
  value === null
    ? null
    : String(value).replaceAll(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_, _name, op, rest) =>
      op === "-" ? String(rest) : op === "?" ? "set-by-operator" : "")

const composeProcesses = (compose: YamlValue): { processes: Array<VigieProcess>; dockerHealth: boolean } => {
  const processes: Array<VigieProcess> = []
  for (const [name, service] of Object.entries(map(map(compose)["services"]))) {
    const s = map(service)
    const image = text(s["image"])
    if (s["build"] === undefined && !image.startsWith("vigie")) continue
    const rawEnv = s["environment"]
    const env: Record<string, string | null> = {}
    if (Array.isArray(rawEnv)) {
      for (const entry of rawEnv) {
        const [key, ...rest] = text(entry).split("=")
        env[key!] = rest.length === 0 ? null : rest.join("=")
      }
    } else {
      for (const [key, value] of Object.entries(map(rawEnv))) env[key] = composeValue(value)
    }
    const command = list(s["command"]).map(text)
    const port = env["PORT"] === null || env["PORT"] === undefined ? undefined : Number(env["PORT"])
    const exposed = list(s["expose"]).map((e) => Number(text(e)))
    // "8080", "80:8080", "127.0.0.1:80:8080/tcp": the container's side is the last number.
    const published = list(s["ports"]).map((e) => Number(text(e).replace(/\/\w+$/, "").split(":").at(-1)))
    processes.push({
      where: `compose ${name}`,
      command: command[0] ?? "",
      env,
      ...(command[0] === "serve" && port !== undefined ? { port } : {}),
      ...(exposed.length > 0 ? { metricsPort: exposed[0]! } : {}),
      published,
      probes: []
    })
  }
  return { processes, dockerHealth: true }
}

interface K8sObject {
  readonly kind: string
  readonly name: string
  readonly body: { readonly [key: string]: YamlValue }
}

const k8sObjects = (documents: ReadonlyArray<YamlValue>): Array<K8sObject> =>
  documents.map((d) => ({ kind: text(map(d)["kind"]), name: text(map(map(d)["metadata"])["name"]), body: map(d) }))

const k8sProcesses = (objects: ReadonlyArray<K8sObject>) => {
  const configs = new Map<string, Record<string, string>>()
  for (const o of objects) {
    if (o.kind === "ConfigMap" || o.kind === "Secret") {
      const data = { ...map(o.body["data"]), ...map(o.body["stringData"]) }
      configs.set(`${o.kind}/${o.name}`, Object.fromEntries(Object.entries(data).map(([k, v]) => [k, text(v)])))
    }
  }
  const processes: Array<VigieProcess> = []
  const namedPorts = new Map<string, number>()
  for (const o of objects.filter((o) => o.kind === "Deployment" || o.kind === "Job")) {
    const template = map(map(o.body["spec"])["template"])
    const pod = map(template["spec"])
    const annotations = map(map(template["metadata"])["annotations"])
    const scrape = annotations["prometheus.io/port"]
    const containers = [...list(pod["initContainers"]), ...list(pod["containers"])].map(map)
    for (const c of containers) {
      const env: Record<string, string> = {}
      for (const from of list(c["envFrom"]).map(map)) {
        const ref = isMap(from["configMapRef"])
          ? `ConfigMap/${text(from["configMapRef"]["name"])}`
          : `Secret/${text(map(from["secretRef"])["name"])}`
        Object.assign(env, configs.get(ref) ?? { [`(missing ${ref})`]: "" })
      }
      for (const e of list(c["env"]).map(map)) env[text(e["name"])] = text(e["value"])
      const ports = list(c["ports"]).map(map)
      for (const p of ports) if (p["name"] !== undefined) namedPorts.set(text(p["name"]), Number(p["containerPort"]))
      const probes: Array<VigieProcess["probes"][number]> = []
      for (const kind of ["liveness", "readiness", "startup"] as const) {
        const probe = map(c[`${kind}Probe`])
        if (!isMap(probe["httpGet"])) continue
        probes.push({ kind, path: text(probe["httpGet"]["path"]) })
        const port = probe["httpGet"]["port"]
        const number = typeof port === "number" ? port : ports.find((p) => p["name"] === port)?.["containerPort"]
        if (number === undefined) probes.push({ kind, path: `(port ${text(port)} not declared)` })
      }
      const http = ports.find((p) => p["name"] === "http") ?? ports.find((p) => p["name"] !== "metrics")
      const metrics = ports.find((p) => p["name"] === "metrics")
      const command = text(list(c["args"])[0])
      processes.push({
        where: `k8s ${o.kind} ${o.name}/${text(c["name"])}`,
        command,
        env,
        ...(http === undefined ? {} : { port: Number(http["containerPort"]) }),
        ...(metrics === undefined ? {} : { metricsPort: Number(metrics["containerPort"]) }),
        // The pod's annotation concerns its long-running containers, not the init container.
        ...(scrape === undefined || command === "migrate" ? {} : { annotatedMetricsPort: Number(text(scrape)) }),
        probes
      })
    }
  }
  const upstreamPorts = objects.filter((o) => o.kind === "Service").flatMap((o) =>
    list(map(o.body["spec"])["ports"]).map(map).map((p) => ({
      where: `k8s Service ${o.name}`,
      port: typeof p["targetPort"] === "number" ? p["targetPort"] : namedPorts.get(text(p["targetPort"])) ?? -1
    }))
  )
  return { processes, upstreamPorts }
}

/** The Caddyfile's upstream ports (`reverse_proxy app-1:8080 app-2:8080`) and its health check path. */
const caddy = (source: string) => {
  const upstreams = [...source.matchAll(/^\s*reverse_proxy\s+([^{\n]+)/gm)].flatMap((m) => m[1]!.trim().split(/\s+/))
  const health = /^\s*health_uri\s+(\S+)/m.exec(source)?.[1] ?? ""
  return {
    upstreamPorts: upstreams.map((u) => ({ where: `Caddyfile ${u}`, port: Number(u.split(":").at(-1)) })),
    health
  }
}

/** The runtime (last) stage of the Dockerfile: ENV, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD, COPY, USER, RUN. */
export const parseDockerfile = (source: string): Infra["dockerfile"] => {
  const instructions = source.replaceAll(/\\\n/g, " ").split("\n").map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
  const stages = instructions.reduce<Array<Array<string>>>(
    (acc, line) => (line.startsWith("FROM ") ? [...acc, [line]] : (acc.at(-1)?.push(line), acc)),
    []
  )
  const last = stages.at(-1) ?? []
  const args = (keyword: string) =>
    last.filter((l) => l.startsWith(`${keyword} `)).map((l) => l.slice(keyword.length + 1).trim())
  const env: Record<string, string> = {}
  for (const line of args("ENV")) {
    for (const m of line.matchAll(/([A-Z0-9_]+)=("[^"]*"|\S+)/g)) env[m[1]!] = m[2]!.replace(/^"|"$/g, "")
  }
  const json = (line: string | undefined) => (line === undefined ? [] : JSON.parse(line) as Array<string>)
  return {
    env,
    expose: args("EXPOSE").flatMap((l) => l.split(/\s+/)).map(Number),
    healthcheck: args("HEALTHCHECK").join(" "),
    entrypoint: json(args("ENTRYPOINT").at(-1)),
    cmd: json(args("CMD").at(-1)),
    copies: args("COPY"),
    user: args("USER").at(-1) ?? "root",
    runs: args("RUN")
  }
}

/**
 * A serving or sending process of infra/ exports /metrics on METRICS_PORT, declares exactly that port
 * (for the scraper), keeps it apart from the site's PORT and never publishes it on the host.
 */
const metricsProblems = (p: VigieProcess, env: Readonly<Record<string, string | null>>): Array<string> => {
  const value = env["METRICS_PORT"]
  if (value === undefined || value === null) return [`${p.where}: METRICS_PORT is not set, nothing to scrape`]
  const port = Number(value)
  const found: Array<string> = []
  if (p.metricsPort === undefined) found.push(`${p.where}: METRICS_PORT=${port} but no metrics port is declared`)
  else if (p.metricsPort !== port) {
    found.push(`${p.where}: serves /metrics on METRICS_PORT ${port}, declared ${p.metricsPort}`)
  }
  if (p.annotatedMetricsPort !== undefined && p.annotatedMetricsPort !== port) {
    found.push(`${p.where}: prometheus.io/port says ${p.annotatedMetricsPort}, METRICS_PORT is ${port}`)
  }
  if (port === Number(env["PORT"] ?? 3000)) found.push(`${p.where}: METRICS_PORT is the site's PORT ${port}`)
  if ((p.published ?? []).includes(port)) found.push(`${p.where}: publishes the metrics port ${port} on the host`)
  return found
}

/** Reads infra/ from the repository at `root`. */
export const readInfra = (root: string): Infra => {
  const infra = join(root, "infra")
  const compose = composeProcesses(parseYaml(readFileSync(join(infra, "compose.yaml"), "utf8")))
  const k8sDir = join(infra, "k8s")
  const k8s = k8sProcesses(k8sObjects(
    readdirSync(k8sDir).filter((f) => f.endsWith(".yaml")).sort()
      .flatMap((f) => parseYamlDocuments(readFileSync(join(k8sDir, f), "utf8")))
  ))
  const proxy = caddy(readFileSync(join(infra, "Caddyfile"), "utf8"))
  return {
    processes: [
      ...compose.processes,
      ...(proxy.health === "" ? [] : [{ where: "Caddyfile", command: "serve", env: {}, probes: [
        { kind: "health" as const, path: proxy.health }
      ] }]),
      ...k8s.processes
    ],
    upstreamPorts: [...proxy.upstreamPorts, ...k8s.upstreamPorts],
    dockerfile: parseDockerfile(readFileSync(join(infra, "Dockerfile"), "utf8")),
    dockerignore: readFileSync(join(root, ".dockerignore"), "utf8").split("\n").map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"))
  }
}

/**
 * Every disagreement between infra/ and the code, one line each (none: they agree). `mainOutput` is the
 * server bundle's path (dist/main.js).
 */
export const problems = (infra: Infra, mainOutput: string): Array<string> => {
  const found: Array<string> = []
  const read = namesTheCodeReads()
  const commands: ReadonlyArray<string> = commandNames
  const docker = infra.dockerfile
  for (const p of infra.processes) {
    if (!commands.includes(p.command)) {
      found.push(`${p.where}: command "${p.command}" is not one of ${commands.join(", ")}`)
    }
    for (const name of Object.keys(p.env)) {
      if (!read.has(name) && !readByLibraries.has(name)) found.push(`${p.where}: ${name} is read by nothing`)
    }
    const env = { ...docker.env, ...p.env }
    if (p.where !== "Caddyfile" && p.command !== "migrate") {
      const required = requiredInProduction({ sms: env["SMS_PROVIDER"] ?? "outbox",
        email: env["EMAIL_PROVIDER"] ?? "outbox" })
      for (const name of required) {
        if (env[name] === undefined || env[name] === null) found.push(`${p.where}: ${name} is required in production`)
      }
      found.push(...metricsProblems(p, env))
    }
    if (p.command === "migrate" && (env["DATABASE_URL"] ?? null) === null) {
      found.push(`${p.where}: migrate needs DATABASE_URL`)
    }
    if (p.port !== undefined && Number(env["PORT"] ?? 3000) !== p.port) {
      found.push(`${p.where}: listens on PORT ${env["PORT"] ?? 3000}, declared ${p.port}`)
    }
    for (const probe of p.probes) {
      const expected = probe.kind === "liveness" ? HEALTHZ_PATH : READYZ_PATH
      if (probe.path !== expected) {
        found.push(`${p.where}: ${probe.kind} probe asks ${probe.path}, the server answers ${expected}`)
      }
    }
  }
  const ports = new Set(infra.processes.filter((p) => p.command === "serve" && p.port !== undefined).map((p) => p.port))
  const metricsPorts = new Set(infra.processes.flatMap((p) => {
    const value = p.env["METRICS_PORT"]
    return [...(value === undefined || value === null ? [] : [Number(value)]),
      ...(p.metricsPort === undefined ? [] : [p.metricsPort])]
  }))
  for (const u of infra.upstreamPorts) {
    // The proxy and the Service carry the public traffic: /metrics must stay out of their reach.
    if (metricsPorts.has(u.port)) found.push(`${u.where}: routes to the metrics port ${u.port}`)
    else if (!ports.has(u.port)) found.push(`${u.where}: sends to port ${u.port}, no app listens there`)
  }
  if (!docker.expose.includes(Number(docker.env["PORT"]))) {
    found.push(`Dockerfile: EXPOSE ${docker.expose.join(" ")} but PORT=${docker.env["PORT"]}`)
  }
  for (const name of Object.keys(docker.env)) {
    if (!read.has(name) && !readByLibraries.has(name)) found.push(`Dockerfile: ${name} is read by nothing`)
  }
  if (!docker.healthcheck.includes(READYZ_PATH)) found.push(`Dockerfile: HEALTHCHECK does not ask ${READYZ_PATH}`)
  if (!docker.entrypoint.includes(mainOutput)) found.push(`Dockerfile: ENTRYPOINT does not run ${mainOutput}`)
  for (const flag of SERVER_NODE_FLAGS) {
    if (!docker.entrypoint.includes(flag)) found.push(`Dockerfile: ENTRYPOINT without ${flag}`)
  }
  const copied = (from: string) => docker.copies.some((c) => c.startsWith("--from=") && c.split(/\s+/)[1] === from)
  const outDir = mainOutput.split("/")[0]!
  if (!copied(`/app/${outDir}`)) found.push(`Dockerfile: the runtime stage does not copy /app/${outDir}`)
  const uiDir = docker.env["UI_DIR"] ?? ""
  if (!docker.copies.some((c) => c.startsWith("--from=") && `/app/${c.split(/\s+/)[2]}` === uiDir)) {
    found.push(`Dockerfile: UI_DIR=${uiDir} is not where the built web app is copied`)
  }
  if (!commands.includes(docker.cmd[0] ?? "")) found.push(`Dockerfile: CMD ${docker.cmd.join(" ")} is not a command`)
  if (docker.user === "root" || docker.user === "0") found.push("Dockerfile: runs as root")
  if (!docker.runs.some((r) => /npm ci\b.*--omit=dev/.test(r))) {
    found.push("Dockerfile: the runtime stage installs dev dependencies")
  }
  // The context stays small and free of local state: no installed packages, no embedded database.
  for (const pattern of ["node_modules", "**/node_modules", ".data", ".git"]) {
    if (!infra.dockerignore.includes(pattern)) found.push(`.dockerignore: ${pattern} is sent to the builder`)
  }
  return found
}
