import { Context } from "effect"
import type { Effect } from "effect"
import type { PaceConfig, Pacer } from "./Pacing.js"

/**
 * The pace of each provider account, shared by every process that sends through it: the provider's
 * rate (Plivo's 5 SMS/s by default) is the account's, not a process's, so N processes must draw on
 * one bucket. `pacer(provider, config)` gives a Pacer on the bucket named `provider`; every process
 * must be configured with the same `config` (see the adapter for what happens when they differ).
 */
export class ProviderPace extends Context.Tag("@vigie/domain/ProviderPace")<
  ProviderPace,
  {
    readonly pacer: (provider: string, config: PaceConfig) => Effect.Effect<Pacer>
  }
>() {}
