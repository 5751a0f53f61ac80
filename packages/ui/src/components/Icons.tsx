import type { AlertCategory } from "@vigie/domain/alerts/Alert"
import { Match, Switch } from "solid-js"

/** Simple line icons for the alert categories; decorative (the label always goes with them). */
export const CategoryIcon = (props: { readonly category: AlertCategory }) => (
  <svg class="icon" viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" fill="none" stroke="currentColor"
    stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"
  >
    <Switch fallback={
      <>
        <circle cx="12" cy="12" r="9" />
        <path d="M12 7v6M12 16.5v.5" />
      </>
    }>
      <Match when={props.category === "suspicious_vehicle"}>
        <path d="M3 16v-4l2-5h14l2 5v4H3z" />
        <circle cx="7.5" cy="16.5" r="1.8" />
        <circle cx="16.5" cy="16.5" r="1.8" />
        <path d="M5 12h14" />
      </Match>
      <Match when={props.category === "suspicious_person"}>
        <circle cx="12" cy="7" r="3.5" />
        <path d="M5 21c0-4 3-7 7-7s7 3 7 7" />
      </Match>
      <Match when={props.category === "burglary"}>
        <path d="M3 11l9-7 9 7v10H3z" />
        <path d="M10 21v-6h4v6" />
        <path d="M16 8l-3 4" />
      </Match>
      <Match when={props.category === "open_door_or_window"}>
        <rect x="5" y="3" width="14" height="18" />
        <path d="M5 3l8 3v17" />
        <circle cx="11" cy="13" r=".6" />
      </Match>
      <Match when={props.category === "vulnerable_person_without_news"}>
        <circle cx="10" cy="6" r="3" />
        <path d="M10 9v6l-3 6M10 15l3 6M7 12h6" />
        <path d="M17 10v11" />
      </Match>
      <Match when={props.category === "lost_or_found_animal"}>
        <circle cx="7" cy="9" r="1.8" />
        <circle cx="17" cy="9" r="1.8" />
        <circle cx="10" cy="5.5" r="1.6" />
        <circle cx="14" cy="5.5" r="1.6" />
        <path d="M12 11c-3 0-5 4-5 6s2 2.5 5 2.5 5-.5 5-2.5-2-6-5-6z" />
      </Match>
      <Match when={props.category === "road_danger"}>
        <path d="M12 3l10 18H2z" />
        <path d="M12 10v5M12 18v.5" />
      </Match>
      <Match when={props.category === "fire_or_smoke"}>
        <path d="M12 21c-4 0-6-3-6-6 0-4 4-6 4-11 3 2 8 6 8 11 0 3-2 6-6 6z" />
        <path d="M12 21c-1.5 0-2.5-1-2.5-2.5S12 15 12 15s2.5 2 2.5 3.5S13.5 21 12 21z" />
      </Match>
      <Match when={props.category === "weather"}>
        <path d="M7 17a4 4 0 1 1 1-7.9A5 5 0 0 1 18 10a3.5 3.5 0 0 1-1 7z" />
        <path d="M9 20l-1 2M13 20l-1 2M17 20l-1 2" />
      </Match>
    </Switch>
  </svg>
)
