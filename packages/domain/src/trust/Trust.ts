import { Context } from "effect"
import { DEFAULT_TRUST, type TrustSettings } from "./TrustPolicy.js"

/**
 * The trust policy's settings in force (first alerts held, member and community bursts): the
 * defaults unless a layer provides others (tests, or a deployment that tunes them).
 */
export class Trust extends Context.Reference<Trust>()("@vigie/domain/Trust", {
  defaultValue: (): TrustSettings => DEFAULT_TRUST
}) {}
