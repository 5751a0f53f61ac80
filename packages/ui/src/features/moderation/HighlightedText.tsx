import type { FlaggedSpan } from "@vigie/domain/trust/SensitiveDescriptors"
import { For, Show } from "solid-js"
import { kindLabels, segments } from "./Labels.js"

/**
 * An alert's text with the passages that tripped the sensitive-descriptor check in <mark>; after
 * each one, for screen readers (which do not announce <mark>), why it is marked.
 */
export const HighlightedText = (
  props: { readonly text: string; readonly spans: ReadonlyArray<FlaggedSpan>; readonly class?: string }
) => (
  <p class={props.class ?? "alert-text flagged-text"}>
    <For each={segments(props.text, props.spans)}>
      {(part) => (
        <Show when={part.span} fallback={part.text}>
          {(span) => (
            <>
              <mark title={kindLabels[span().kind]}>{part.text}</mark>
              <span class="sr-only">{" "}(passage signalé : {kindLabels[span().kind]})</span>
            </>
          )}
        </Show>
      )}
    </For>
  </p>
)
