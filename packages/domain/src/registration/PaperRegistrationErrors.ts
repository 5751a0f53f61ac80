import { Schema } from "effect"

/** The paper form's consent box was not ticked: without the neighbour's agreement nothing is recorded. */
export class PaperConsentMissing extends Schema.TaggedError<PaperConsentMissing>()("PaperConsentMissing", {}) {}
