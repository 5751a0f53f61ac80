import { Context, Option } from "effect"
import type { DateTime, Effect } from "effect"
import type { Account } from "../accounts/Account.js"
import type { PhoneE164 } from "../shared/Text.js"
import { cleanText, normalizeKeyword } from "./SmsKeywords.js"

/**
 * The replies of the veille bienveillante (issue 17) that come by SMS: OK, AIDE-MOI, J'Y VAIS,
 * URGENCE, ABSENT 12/08 20/08, STOP VEILLE, OUI, NON (the person refusing the veille proposed to
 * them, or an invited veilleur declining; an accepted veilleur's NON is no veille reply). Each
 * counts only when the whole message is it (accents, case and punctuation ignored; "AIDE" alone
 * stays the help keyword), and only when the sender has something of a veille it answers (see
 * VeilleSms): otherwise the message keeps its ordinary meaning, an alert.
 */
export type VeilleCommand =
  | { readonly _tag: "Ok" }
  | { readonly _tag: "HelpMe" }
  | { readonly _tag: "Going" }
  | { readonly _tag: "Urgent" }
  | { readonly _tag: "Absent"; readonly from: string; readonly to: string }
  | { readonly _tag: "StopVeille" }
  | { readonly _tag: "Yes" }
  | { readonly _tag: "No" }

const words: ReadonlyArray<readonly [VeilleCommand["_tag"], ReadonlyArray<string>]> = [
  ["Ok", ["OK", "OKAY", "O K", "CA VA", "TOUT VA BIEN"]],
  ["HelpMe", ["AIDE MOI", "AIDEZ MOI", "AU SECOURS"]],
  ["Going", ["J Y VAIS", "JY VAIS", "J Y VAS", "JE Y VAIS", "J Y VAIS OK"]],
  ["Urgent", ["URGENCE", "URGENT"]],
  ["StopVeille", ["STOP VEILLE", "ARRET VEILLE", "STOPVEILLE"]],
  ["Yes", ["OUI", "OUI J ACCEPTE", "J ACCEPTE"]],
  ["No", ["NON", "NON MERCI", "JE REFUSE"]]
]

/** The veille command an SMS is, if any. */
export const parseVeilleCommand = (raw: string): Option.Option<VeilleCommand> => {
  const text = cleanText(raw).trim()
  const absent =
    /^absente?s?\s*:?\s+(?:du\s+)?([0-9]{1,2}[/.-][0-9]{1,2}(?:[/.-][0-9]{2,4})?)\s+(?:au\s+|-\s*)?([0-9]{1,2}[/.-][0-9]{1,2}(?:[/.-][0-9]{2,4})?)\s*$/iu
      .exec(text)
  if (absent !== null) return Option.some({ _tag: "Absent", from: absent[1]!, to: absent[2]! })
  const key = normalizeKeyword(text)
  for (const [tag, list] of words) {
    if (list.includes(key)) return Option.some({ _tag: tag } as VeilleCommand)
  }
  return Option.none()
}

/**
 * The veille's side of the SMS gateway, provided by the checkin context. `answer` runs inside the
 * gateway's transaction for the message: it writes what the command does and returns the reply to
 * send, or none when the sender has nothing of a veille the command answers (the message then keeps
 * its ordinary meaning).
 */
export class VeilleSms extends Context.Tag("@vigie/domain/VeilleSms")<
  VeilleSms,
  {
    readonly answer: (
      account: Account,
      phone: PhoneE164,
      command: VeilleCommand,
      at: DateTime.Utc
    ) => Effect.Effect<Option.Option<string>>
  }
>() {}
