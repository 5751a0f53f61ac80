import { Option } from "effect"
import { describe, expect, it } from "vitest"
import { parseVeilleCommand } from "../../src/sms/VeilleSmsCommands.js"

const tagOf = (text: string) => Option.getOrNull(Option.map(parseVeilleCommand(text), (c) => c._tag))

describe("the veille's SMS keywords", () => {
  it("reads OUI and NON (the consent's answers) whatever the case and punctuation", () => {
    expect(["oui", "OUI !", "Oui j'accepte"].map(tagOf)).toEqual(["Yes", "Yes", "Yes"])
    expect(["non", "NON.", "Non merci", "je refuse"].map(tagOf)).toEqual(["No", "No", "No", "No"])
    expect(["STOP VEILLE", "stop veille"].map(tagOf)).toEqual(["StopVeille", "StopVeille"])
  })

  it("leaves other texts alone: a sentence with non in it is no keyword", () => {
    expect(["non je ne sais pas qui a volé le vélo", "nono", "Bonjour"].map(tagOf)).toEqual([null, null, null])
  })
})
