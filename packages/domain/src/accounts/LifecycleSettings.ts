import { Context, Layer } from "effect"

/** What the lifecycle messages need: the site's address (PUBLIC_URL), which their links start with. */
export class LifecycleSettings extends Context.Tag("@vigie/domain/LifecycleSettings")<
  LifecycleSettings,
  { readonly publicUrl: URL }
>() {}

export const layer = (publicUrl: URL) => Layer.succeed(LifecycleSettings, { publicUrl })
