import { For, Show } from "solid-js"

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g

/** A message's text split into plain parts and web addresses. */
export const linkParts = (text: string): ReadonlyArray<{ readonly text: string; readonly link: boolean }> =>
  text.split(URL_PATTERN).filter((p) => p !== "").map((p) => ({ text: p, link: /^https?:\/\//.test(p) }))

/**
 * A message's text as written (line breaks kept). Its web addresses are links when its author has
 * been a member for 7 days or more (`clickable`); a new member's are shown as plain text.
 */
export const MessageText = (props: { readonly text: string; readonly clickable: boolean }) => (
  <p class="message-text" style={{ "white-space": "pre-wrap" }}>
    <For each={linkParts(props.text)}>
      {(part) => (
        <Show when={part.link && props.clickable} fallback={part.text}>
          <a href={part.text} rel="nofollow noopener noreferrer" target="_blank">{part.text}</a>
        </Show>
      )}
    </For>
  </p>
)
