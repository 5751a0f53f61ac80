import { Context } from "effect"
import type { Effect } from "effect"

/** What a keyed hash is for; each purpose hashes under its own derived key. */
export type KeyedHashPurpose =
  | "activation_code"
  | "phone_code"
  | "session_token"
  | "login_key"
  | "password_reset"
  | "email_change"
  | "recovery_code"
  | "sign_in_challenge"
  | "staff_invitation"
  | "account_claim"
  | "account_claim_letter"
  | "secret_box"
  | "message_keys"
  | LimitsHashPurpose

/** Device cookies, a known device's own failure counter, and client addresses for the SMS budgets. */
type LimitsHashPurpose = "login_device" | "login_device_key" | "sms_client"

/**
 * Randomness and keyed hashing with the server's secret key (HMAC-SHA256 in production). Codes and
 * session tokens are stored only as keyed hashes, so a copy of the database alone reveals none.
 */
export class Secrets extends Context.Tag("@vigie/domain/Secrets")<
  Secrets,
  {
    /** `length` bytes from a cryptographically secure generator. */
    readonly randomBytes: (length: number) => Effect.Effect<Uint8Array>
    readonly keyedHash: (purpose: KeyedHashPurpose, input: string) => Effect.Effect<Uint8Array>
    /** Compares two hashes in time that does not depend on where they differ. */
    readonly equal: (a: Uint8Array, b: Uint8Array) => boolean
  }
>() {}
