import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { VOICE_EMERGENCY_REMINDER, voiceScript } from "../../src/delivery/VoiceScript.js"

describe("voiceScript: what a voice call reads of an SMS", () => {
  it("leaves the link out, says who calls, and reminds the emergency numbers", () => {
    expect(voiceScript("Vigie ALERTE Incendie: Fumée derrière l'école https://vigie.example.fr/a/AbC_12"))
      .toBe(`Message de Vigie. ALERTE Incendie: Fumée derrière l'école. ${VOICE_EMERGENCY_REMINDER}`)
    expect(voiceScript("Vigie: l'alerte est résolue. https://x.fr/a/1"))
      .toBe(`Message de Vigie. l'alerte est résolue. ${VOICE_EMERGENCY_REMINDER}`)
  })

  it.prop("never empty, never a link, always ends with the reminder", [fc.string()], ([sms]) => {
    const script = voiceScript(sms)
    expect(script.trim().length).toBeGreaterThan(VOICE_EMERGENCY_REMINDER.length)
    expect(script).not.toMatch(/https?:\/\//i)
    expect(script.endsWith(VOICE_EMERGENCY_REMINDER)).toBe(true)
  })
})
