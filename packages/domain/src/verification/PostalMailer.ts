import { Context, Schema } from "effect"
import type { Effect } from "effect"
import type { ActivationCode } from "./ActivationCode.js"
import type { HomeAddress } from "../membership/Membership.js"
import type { DateTime } from "effect"

/** An activation letter to print and post to a member's home. */
export interface ActivationLetter {
  readonly kind?: "activation"
  readonly recipientName: string
  readonly address: HomeAddress
  readonly communityName: string
  readonly communeName: string
  readonly code: ActivationCode
  readonly expiresAt: DateTime.Utc
}

/**
 * A letter to a neighbour registered on paper (issue 14, item 5), carrying the code that lets them
 * create their web access (an e-mail and a password) on « J'ai été inscrit(e) sur papier ».
 */
export interface AccountClaimLetter {
  readonly kind: "account_claim"
  readonly recipientName: string
  readonly address: HomeAddress
  readonly communityName: string
  readonly communeName: string
  readonly code: ActivationCode
  readonly expiresAt: DateTime.Utc
}

/** Every letter Vigie posts. */
export type PostalLetter = ActivationLetter | AccountClaimLetter

/** The letter could not be produced (disk full, print service down). */
export class PostalUnavailable extends Schema.TaggedError<PostalUnavailable>()("PostalUnavailable", {
  reason: Schema.String
}) {}

/** Produces printable letters. Adapter: PDF letters into a print-batch folder. */
export class PostalMailer extends Context.Tag("@vigie/domain/PostalMailer")<
  PostalMailer,
  { readonly send: (letter: PostalLetter) => Effect.Effect<{ readonly letterId: string }, PostalUnavailable> }
>() {}
