import type { UploadId } from "@vigie/domain/media/Upload"
import { MESSAGE_MAX_LENGTH } from "@vigie/domain/messaging/MessagingPolicy"
import { sensitiveSpans, type FlaggedSpan } from "@vigie/domain/trust/SensitiveDescriptors"
import { For, Show, createSignal } from "solid-js"
import { FilePicker, type PickedFile } from "../gazette/FilePicker.js"

/**
 * The message box: a labelled text area and "Envoyer". Before sending a text that describes people
 * by origin, skin colour, religion or health (the alerts' own check), it warns and asks again.
 * Photos (the Gazette's pipeline: re-encoded without their metadata) go with the message.
 * `onSend` answers an error message to show, or nothing when sent (the box empties).
 */
export const Composer = (props: {
  readonly label: string
  readonly onSend: (text: string, photos: ReadonlyArray<UploadId>) => Promise<string | undefined>
}) => {
  const [text, setText] = createSignal("")
  const [photos, setPhotos] = createSignal<ReadonlyArray<PickedFile>>([])
  const [error, setError] = createSignal<string>()
  const [flagged, setFlagged] = createSignal<ReadonlyArray<FlaggedSpan>>([])
  const [busy, setBusy] = createSignal(false)
  let box: HTMLTextAreaElement | undefined

  const send = async (confirmed: boolean) => {
    const value = text().trim()
    if (value === "" && photos().length === 0) {
      setError("Écrivez votre message avant de l'envoyer.")
      box?.focus()
      return
    }
    if ([...value].length > MESSAGE_MAX_LENGTH) {
      setError(`Votre message est trop long : ${MESSAGE_MAX_LENGTH} caractères au plus.`)
      return
    }
    const spans = sensitiveSpans(value)
    if (!confirmed && spans.length > 0) {
      setFlagged(spans)
      return
    }
    setBusy(true)
    const failed = await props.onSend(value, photos().map((p) => p.id))
    setBusy(false)
    setFlagged([])
    if (failed === undefined) {
      setText("")
      setPhotos([])
      setError(undefined)
      box?.focus()
    } else setError(failed)
  }

  return (
    <form class="composer" onSubmit={(e) => {
      e.preventDefault()
      void send(false)
    }}>
      <label for="message">{props.label}</label>
      <textarea id="message" name="message" rows="3" value={text()} ref={(el) => (box = el)}
        aria-invalid={error() !== undefined} aria-describedby={error() !== undefined ? "message-error" : undefined}
        onInput={(e) => setText(e.currentTarget.value)} />
      <Show when={error()}>
        {(message) => <p id="message-error" class="error" role="alert">{message()}</p>}
      </Show>
      <FilePicker id="message-photos" kind="photo" label="Joindre des photos"
        hint="4 photos au plus ; leur position GPS est retirée." files={photos()} onFiles={setPhotos} />
      <Show when={flagged().length > 0}
        fallback={<button type="submit" class="primary" disabled={busy()}>Envoyer</button>}
      >
        <div role="alert" class="sensitive-warning">
          <p>
            <strong>Avant d'envoyer :</strong>{" "}
            votre message décrit des personnes par leur origine, leur couleur de peau, leur religion ou leur santé.
            Décrivez plutôt ce qu'elles font.
          </p>
          <ul aria-label="Passages signalés">
            <For each={flagged()}>{(span) => <li>« {span.excerpt} »</li>}</For>
          </ul>
          <button type="button" class="secondary" onClick={() => {
            setFlagged([])
            box?.focus()
          }}>
            Modifier
          </button>
          <button type="button" class="primary" disabled={busy()} onClick={() => void send(true)}>
            Envoyer quand même
          </button>
        </div>
      </Show>
    </form>
  )
}
