import type { UploadId } from "@vigie/domain/media/Upload"
import { MAX_UPLOAD_BYTES, MAX_PHOTOS_PER_POST } from "@vigie/domain/media/MediaPolicy"
import { Effect } from "effect"
import { For, Show, createSignal, onCleanup } from "solid-js"
import { Vigie } from "../../lib/rpc.js"
import { useRun } from "../../lib/runtime.js"

/** One file chosen, sent and kept by the server: its id, and what the page shows of it. */
export interface PickedFile {
  readonly id: UploadId
  readonly name: string
  readonly preview?: string
}

/** The bytes of a chosen file (FileReader where Blob.arrayBuffer is missing: older Safari, jsdom). */
const bytesOf = (file: File): Promise<Uint8Array> =>
  typeof file.arrayBuffer === "function"
    ? file.arrayBuffer().then((buffer) => new Uint8Array(buffer))
    : new Promise((resolve, reject) => {
      const reader = new FileReader()
      reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer))
      reader.onerror = () => reject(reader.error)
      reader.readAsArrayBuffer(file)
    })

const megabytes = (bytes: number) => `${Math.ceil(bytes / (1024 * 1024))} Mo`

/**
 * Photos (up to 4) or one PDF, sent one by one as soon as they are chosen (UploadFile): the server
 * re-encodes photos without their metadata (GPS position included) and keeps them until the post
 * takes them. Each refusal is told in French next to the field; nothing is attached until it is kept.
 */
export const FilePicker = (props: {
  readonly id: string
  readonly kind: "photo" | "pdf"
  readonly label: string
  readonly hint: string
  readonly files: ReadonlyArray<PickedFile>
  readonly onFiles: (files: ReadonlyArray<PickedFile>) => void
  readonly error?: string | undefined
  /** At most this many files (4 photos or 1 PDF by default: a post's). */
  readonly max?: number
}) => {
  const run = useRun()
  const [busy, setBusy] = createSignal(0)
  const [problem, setProblem] = createSignal<string>()
  const max = () => props.max ?? (props.kind === "photo" ? MAX_PHOTOS_PER_POST : 1)
  const previews: Array<string> = []
  onCleanup(() => previews.forEach((url) => URL.revokeObjectURL(url)))

  const send = async (file: File): Promise<PickedFile | undefined> => {
    if (file.size > MAX_UPLOAD_BYTES) {
      setProblem(`« ${file.name} » est trop lourd (${megabytes(file.size)}) : ${megabytes(MAX_UPLOAD_BYTES)} au plus.`)
      return undefined
    }
    const data = await bytesOf(file)
    const outcome = await run(
      Effect.flatMap(Vigie, (client) => client.UploadFile({ kind: props.kind, name: file.name.slice(0, 120), data }))
    )
    if (!outcome.ok) {
      setProblem(`« ${file.name} » : ${outcome.failure.message}`)
      return undefined
    }
    const preview = props.kind === "photo" && typeof URL.createObjectURL === "function"
      ? URL.createObjectURL(file)
      : undefined
    if (preview !== undefined) previews.push(preview)
    return { id: outcome.value.id, name: file.name, ...(preview === undefined ? {} : { preview }) }
  }

  const onChange = async (input: HTMLInputElement) => {
    const chosen = [...(input.files ?? [])]
    input.value = ""
    setProblem(undefined)
    const room = max() - props.files.length
    if (chosen.length > room) {
      setProblem(
        props.kind === "photo"
          ? max() === 1 ? "Une seule photo." : `${max()} photos au plus par publication.`
          : "Un seul document par compte-rendu."
      )
    }
    let kept = props.files
    for (const file of chosen.slice(0, Math.max(room, 0))) {
      setBusy((n) => n + 1)
      const picked = await send(file)
      setBusy((n) => n - 1)
      if (picked !== undefined) {
        kept = [...kept, picked]
        props.onFiles(kept)
      }
    }
  }

  const shown = () => props.error ?? problem()
  return (
    <div class="field" classList={{ invalid: shown() !== undefined }}>
      <label for={props.id}>{props.label}</label>
      <p class="hint" id={`${props.id}-hint`}>{props.hint}</p>
      <input id={props.id} type="file" multiple={props.kind === "photo" && max() > 1}
        accept={props.kind === "photo" ? "image/jpeg,image/png,image/webp,image/avif,image/heic" : "application/pdf"}
        disabled={props.files.length >= max() || busy() > 0}
        aria-describedby={`${props.id}-hint${shown() !== undefined ? ` ${props.id}-error` : ""}`}
        aria-invalid={shown() !== undefined} onChange={(e) => void onChange(e.currentTarget)} />
      <Show when={busy() > 0}>
        <p class="hint" role="status" aria-busy="true">Envoi en cours…</p>
      </Show>
      <Show when={shown()}>
        <p class="error" id={`${props.id}-error`} role="alert">{shown()}</p>
      </Show>
      <Show when={props.files.length > 0}>
        <ul class="picked" aria-label={props.kind === "photo" ? "Photos jointes" : "Document joint"}>
          <For each={props.files}>
            {(file) => (
              <li>
                <Show when={file.preview}>{(src) => <img src={src()} alt="" width="64" height="64" />}</Show>
                <span>{file.name}</span>
                <button type="button" class="link"
                  onClick={() => props.onFiles(props.files.filter((f) => f.id !== file.id))}
                >
                  Retirer <span class="sr-only">{file.name}</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  )
}
