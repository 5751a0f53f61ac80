import { Context } from "effect"
import type { Effect } from "effect"

/**
 * Envelope encryption of message bodies (issue 16, item 5). Each conversation has its own random data
 * key, stored only wrapped (encrypted) under a key derived from the server's secret key
 * (VIGIE_SECRET_KEY): a copy of the database alone reveals no message. `context` (the conversation's
 * id) is bound to each sealed body, so a body moved to another conversation does not open.
 */
export class MessageCipher extends Context.Tag("@vigie/domain/MessageCipher")<
  MessageCipher,
  {
    /** A fresh data key for a new conversation, already wrapped. */
    readonly newKey: Effect.Effect<Uint8Array>
    readonly seal: (wrappedKey: Uint8Array, context: string, plaintext: string) => Effect.Effect<Uint8Array>
    /** Dies when the body was not sealed under this key and context, or was altered: never a user's error. */
    readonly open: (wrappedKey: Uint8Array, context: string, sealed: Uint8Array) => Effect.Effect<string>
  }
>() {}
