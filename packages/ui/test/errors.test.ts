import type { Rpc } from "@effect/rpc"
import { RpcClientError } from "@effect/rpc/RpcClientError"
import { RpcSchema } from "@effect/rpc"
import { Cause, Schema } from "effect"
import * as AST from "effect/SchemaAST"
import { describe, expect, it } from "vitest"
import { describeCause, describeError, messages, NETWORK_MESSAGE, UNEXPECTED_MESSAGE } from "../src/lib/errors.js"
import { VigieRpcs } from "../src/lib/rpc.js"

const tagsOf = (schema: Schema.Schema.Any): ReadonlyArray<string> => {
  const ast = schema.ast
  const members = ast._tag === "Union" ? ast.types : [ast]
  return members.flatMap((m) => {
    const target = AST.encodedAST(m)
    if (target._tag !== "TypeLiteral") return []
    const field = target.propertySignatures.find((p) => p.name === "_tag")
    return field !== undefined && field.type._tag === "Literal" ? [String(field.type.literal)] : []
  })
}

/** Every error tag an RPC may answer with, streams included. */
const errorTags = (rpc: Rpc.AnyWithProps): ReadonlyArray<string> => {
  const success = rpc.successSchema as Schema.Schema.Any
  const streamError = RpcSchema.isStreamSchema(success)
    ? tagsOf((success as unknown as RpcSchema.Stream<Schema.Schema.Any, Schema.Schema.Any>).failure)
    : []
  return [...tagsOf(rpc.errorSchema as Schema.Schema.Any), ...streamError]
}

const rpcs = [...VigieRpcs.requests.values()] as unknown as ReadonlyArray<Rpc.AnyWithProps>

describe("French error messages", () => {
  it("the app calls every RPC group of the domain", () => {
    expect(rpcs.map((r) => r._tag)).toEqual(
      expect.arrayContaining(["Register", "LogIn", "ConfirmActivationCode", "ConfirmPhoneCode", "UpdatePreferences",
        "PostAlert", "WatchLiveEvents"])
    )
  })

  it.each(rpcs.map((rpc) => [rpc._tag, rpc] as const))("every error of %s has a French message", (_tag, rpc) => {
    const tags = errorTags(rpc)
    expect(tags.length).toBeGreaterThan(0)
    const missing = tags.filter((tag) => !(tag in messages))
    expect(missing, `errors of ${rpc._tag} without a French message in src/lib/errors.ts`).toEqual([])
  })

  it("each message is a French sentence built from the error's facts", () => {
    expect(describeError({ _tag: "WrongCode", remainingAttempts: 2 })).toEqual({
      tag: "WrongCode",
      field: "code",
      message: "Code incorrect. Encore 2 essais avant le blocage du code."
    })
    expect(describeError({ _tag: "LoginThrottled", retryAfterSeconds: 120 }).message).toBe(
      "Trop d'essais de connexion. Réessayez dans 2 minutes."
    )
    expect(describeError({ _tag: "WeakPassword", minLength: 12, estimatedBits: 30 }).field).toBe("password")
  })

  it("network failures and defects have their own French message, never a raw error", () => {
    const network = new RpcClientError({ reason: "Protocol", message: "Failed to send HTTP request" })
    expect(describeCause(Cause.fail(network)).message).toBe(NETWORK_MESSAGE)
    expect(describeCause(Cause.die(new Error("boom"))).message).toBe(UNEXPECTED_MESSAGE)
    expect(describeError({ _tag: "SomethingNew" }).message).toBe(UNEXPECTED_MESSAGE)
  })
})

describe("the RPC gate's refusals", () => {
  it("a body refused as a whole (too many calls at once) reads in French", () => {
    const failure = describeError({ _tag: "BatchRefused", reason: "too_many_calls", maxCalls: 4 })
    expect(failure.tag).toBe("BatchRefused")
    expect(failure.message).toMatch(/Trop de demandes/)
  })
})

describe("French messages of uploads", () => {
  it("name the sizes in Mo, the format refused, and tell an iPhone user what to do", () => {
    expect(describeError({ _tag: "FileTooLarge", bytes: 12.5 * 1024 * 1024, limit: 10 * 1024 * 1024 })).toEqual({
      tag: "FileTooLarge",
      field: "file",
      message:
        "Ce fichier est trop lourd (12,5 Mo) : 10 Mo au plus. Choisissez une photo plus petite ou réduisez le document."
    })
    expect(describeError({ _tag: "UnsupportedImageFormat", format: "heic" }).message).toMatch(/HEIC.*JPEG/)
    expect(describeError({ _tag: "UnsupportedImageFormat", format: "gif" }).message).toBe(
      "Le format GIF n'est pas accepté : envoyez une photo JPEG, PNG, WebP ou AVIF."
    )
    expect(describeError({ _tag: "TooManyUploads", retryAfterSeconds: 1500 }).message).toBe(
      "Vous avez envoyé beaucoup de fichiers en peu de temps. Réessayez dans 25 minutes."
    )
  })
})
