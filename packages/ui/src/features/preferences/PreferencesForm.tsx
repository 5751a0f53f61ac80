import {
  ChannelPreference,
  MinuteOfDay,
  type NotificationPreferences
} from "@vigie/domain/delivery/NotificationPreferences"
import { Effect, Option, Schema } from "effect"
import { For, Show, createResource, createSignal } from "solid-js"
import { FieldError, FormError } from "../../components/Field.js"
import { createForm } from "../../lib/form.js"
import { channelPreferenceLabels, minutesToTime, timeToMinutes } from "../../lib/labels.js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"
import { GazettePreferencesSection } from "../gazette/GazettePreferencesForm.js"

const time = (what: string) => (v: string) =>
  v === ""
    ? `Indiquez l'heure de ${what}.`
    : timeToMinutes(v) === undefined
    ? "Heure invalide (format 22:00)."
    : undefined

/**
 * SMS and e-mail, each: every alert, urgent only, or none; a voice call for urgent alerts (members with
 * a landline, or who do not read SMS); quiet hours for information alerts.
 */
export const PreferencesForm = (props: { readonly initial: NotificationPreferences }) => {
  const run = useRun()
  const [saved, setSaved] = createSignal(false)
  const quiet = Option.getOrUndefined(props.initial.quietHours)
  const form: ReturnType<typeof createForm<"sms" | "email" | "voice" | "quiet" | "start" | "end">> = createForm(
    {
      sms: props.initial.sms as string,
      email: props.initial.email as string,
      voice: props.initial.voiceUrgent ? "yes" : "",
      quiet: quiet === undefined ? "" : "yes",
      start: minutesToTime(quiet?.start ?? 21 * 60),
      end: minutesToTime(quiet?.end ?? 8 * 60)
    },
    {
      start: (v) => (form.values.quiet === "yes" ? time("début")(v) : undefined),
      end: (v) =>
        form.values.quiet !== "yes"
          ? undefined
          : time("fin")(v) ?? (v === form.values.start ? "Le début et la fin doivent être différents." : undefined)
    }
  )
  const set = (field: Parameters<typeof form.set>[0], value: string) => {
    setSaved(false)
    form.set(field, value)
  }

  const onSubmit = form.submit(
    () => {
      const v = form.values
      const decodeMinute = Schema.decode(MinuteOfDay)
      return run(Effect.gen(function*() {
        const client = yield* Vigie
        const quietHours = v.quiet === "yes"
          ? Option.some({ start: yield* decodeMinute(timeToMinutes(v.start)!),
            end: yield* decodeMinute(timeToMinutes(v.end)!) })
          : Option.none()
        return yield* client.UpdatePreferences({
          sms: v.sms as ChannelPreference,
          email: v.email as ChannelPreference,
          quietHours,
          voiceUrgent: v.voice === "yes"
        })
      }))
    },
    () => setSaved(true)
  )

  const channel = (id: "sms" | "email", legend: string) => (
    <fieldset class="choices" id={id}>
      <legend>{legend}</legend>
      <For each={ChannelPreference.literals}>
        {(p) => (
          <label class="choice">
            <input type="radio" name={id} value={p} checked={form.values[id] === p} onChange={() => set(id, p)} />
            <span>{channelPreferenceLabels[p]}</span>
          </label>
        )}
      </For>
    </fieldset>
  )

  return (
    <form onSubmit={onSubmit} novalidate aria-labelledby="prefs-title">
      <h1 id="prefs-title">Mes notifications</h1>
      <p>Les alertes apparaissent toujours dans l'application. Choisissez en plus comment être prévenu(e).</p>
      {channel("sms", "Par SMS")}
      {channel("email", "Par e-mail")}
      <fieldset id="voice">
        <legend>Par appel vocal</legend>
        <label class="switch">
          <input type="checkbox" role="switch" checked={form.values.voice === "yes"} aria-describedby="voice-hint"
            onChange={(e) => set("voice", e.currentTarget.checked ? "yes" : "")} />
          <span>Appel vocal pour les alertes urgentes</span>
        </label>
        <p class="hint" id="voice-hint">
          Vigie vous appelle sur votre numéro de téléphone vérifié et lit l'alerte à voix haute, à toute heure. Utile si
          vous ne lisez pas les SMS.
        </p>
      </fieldset>
      <fieldset>
        <legend>Heures calmes</legend>
        <label class="switch">
          <input type="checkbox" role="switch" checked={form.values.quiet === "yes"}
            onChange={(e) => set("quiet", e.currentTarget.checked ? "yes" : "")} />
          <span>Ne pas me déranger la nuit pour les simples informations</span>
        </label>
        <p class="hint">Les alertes urgentes arrivent toujours, à toute heure.</p>
        <Show when={form.values.quiet === "yes"}>
          <div class="row">
            <div class="field">
              <label for="start">De</label>
              <input id="start" type="time" value={form.values.start}
                onInput={(e) => set("start", e.currentTarget.value)} aria-invalid={form.error("start") !== undefined}
                aria-describedby={form.error("start") ? "start-error" : undefined} />
              <FieldError id="start" error={form.error("start")} />
            </div>
            <div class="field">
              <label for="end">À</label>
              <input id="end" type="time" value={form.values.end} onInput={(e) => set("end", e.currentTarget.value)}
                aria-invalid={form.error("end") !== undefined}
                aria-describedby={form.error("end") ? "end-error" : undefined} />
              <FieldError id="end" error={form.error("end")} />
            </div>
          </div>
        </Show>
      </fieldset>
      <FormError message={form.formError()} />
      <Show when={saved()}>
        <p class="notice success" role="status">Préférences enregistrées.</p>
      </Show>
      <button type="submit" class="primary" disabled={form.busy()}>Enregistrer</button>
    </form>
  )
}

export const PreferencesPage = () => {
  const run = useRun()
  const [prefs] = createResource(() => run(Effect.flatMap(Vigie, (client) => client.GetPreferences({}))))
  return (
    <>
      <Show when={prefs()} fallback={<p aria-busy="true">Chargement…</p>}>
        {(outcome) => {
          const o = outcome()
          return o.ok
            ? <PreferencesForm initial={o.value} />
            : <p class="form-error" role="alert">{o.failure.message}</p>
        }}
      </Show>
      <GazettePreferencesSection />
    </>
  )
}
