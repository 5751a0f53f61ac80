/**
 * The commands of `node dist/main.js <command>` (and `npm run vigie -- <command>`). main.ts's table is
 * typed by this list, and the infra test checks that compose.yaml, the Kubernetes manifests and the
 * Dockerfile only run commands of it.
 */
export const commandNames = ["start", "migrate", "seed", "serve", "worker", "staff"] as const

export type CommandName = typeof commandNames[number]
