import { Schema } from "effect"

/**
 * The request did not match its contract: a wrong type, a missing or unknown field, an oversize
 * text. Nothing was written. `issue` is the schema's own description of the first problem.
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  issue: Schema.String.pipe(Schema.maxLength(2000))
}) {}
