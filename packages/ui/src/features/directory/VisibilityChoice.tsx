import type { ProfileField, Visibility } from "@vigie/domain/directory/Profile"
import { For } from "solid-js"
import { fieldLabels, visibilityLabels } from "./DirectoryLabels.js"

/** « Qui voit ma rue ? » — moi seul, or the members of my quartiers: one labelled select per field. */
export const VisibilityChoice = (props: {
  readonly field: ProfileField
  readonly value: Visibility
  readonly onChange: (value: Visibility) => void
}) => (
  <div class="field visibility">
    <label for={`visibility-${props.field}`}>Qui voit {fieldLabels[props.field]} ?</label>
    <select id={`visibility-${props.field}`} value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value as Visibility)}
    >
      <For each={["me", "members"] as const}>{(v) => <option value={v}>{visibilityLabels[v]}</option>}</For>
    </select>
  </div>
)
