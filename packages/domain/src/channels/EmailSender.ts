import { Context, Schema } from "effect"
import type { Effect } from "effect"
import type { Email } from "../shared/Text.js"

/** SES takes up to 50 messages in one go. */
export const EMAIL_BATCH_LIMIT = 50

/** One e-mail to one person, in plain text and HTML. */
export interface EmailMessage {
  readonly to: Email
  readonly subject: string
  readonly text: string
  readonly html: string
}

/**
 * Per message: accepted with the provider's id; refused for good (bad address, rejected content);
 * or not sent this time (throttling, provider error, network) and worth retrying later. Messages are
 * sent one by one, so one batch can hold all three.
 */
export type EmailOutcome =
  | { readonly _tag: "Accepted"; readonly to: Email; readonly providerId: string }
  | { readonly _tag: "Refused"; readonly to: Email; readonly reason: string }
  | { readonly _tag: "Retry"; readonly to: Email; readonly reason: string }

/**
 * The provider could not be reached or throttled us and nothing of the batch went out: retry the
 * whole batch later. When only some messages failed transiently, `send` succeeds with "Retry" outcomes.
 */
export class EmailUnavailable extends Schema.TaggedError<EmailUnavailable>()("EmailUnavailable", {
  reason: Schema.String
}) {}

/** Sends e-mail. Adapters: Amazon SES (production), outbox (development, tests). */
export class EmailSender extends Context.Tag("@vigie/domain/EmailSender")<
  EmailSender,
  {
    readonly send: (batch: ReadonlyArray<EmailMessage>) => Effect.Effect<ReadonlyArray<EmailOutcome>, EmailUnavailable>
  }
>() {}
