import type { Polygon, Position } from "@vigie/domain/communities/GeoJson"
import type { MapExtent } from "@vigie/domain/mairie/QuartierRpcs"
import { For, Show, createSignal } from "solid-js"
import { closeRing, formatPoints, parsePoints, pointsOf, pointsStatus } from "../../components/Perimeter.js"
import { type MapArea, type MapHandle, QuartierMap } from "../../components/QuartierMap.js"

/**
 * Drawing a quartier's perimeter, three ways that stay in step: on the map (a tap adds a point, or
 * "Ajouter le point au centre de la carte" adds the point under the crosshair after moving the map with
 * the arrow keys), or by editing the points as text, one "longitude, latitude" a line. The polygon is
 * closed automatically; `onChange` gets it once there are three points (undefined before).
 */
export const PerimeterDrawer = (props: {
  /** The id of the text field; the perimeter's server error is `error`, shown under it. */
  readonly id: string
  readonly legend: string
  /** The other quartiers of the commune, drawn for reference. */
  readonly areas: ReadonlyArray<MapArea>
  readonly initial?: Polygon | undefined
  /** Where the map starts when there is nothing to frame (QuartierMap's `start`). */
  readonly start?: MapExtent | undefined
  readonly onChange: (perimeter: Polygon | undefined) => void
  readonly error?: string | undefined
}) => {
  const [points, setPoints] = createSignal<ReadonlyArray<Position>>(
    props.initial === undefined ? [] : pointsOf(props.initial)
  )
  const [text, setText] = createSignal(formatPoints(points()))
  const [textErrors, setTextErrors] = createSignal<ReadonlyArray<string>>([])
  let map: MapHandle | undefined

  const update = (next: ReadonlyArray<Position>, fromText = false) => {
    setPoints(next)
    if (!fromText) {
      setText(formatPoints(next))
      setTextErrors([])
    }
    props.onChange(closeRing(next))
  }
  const add = (p: Position) => update([...points(), p])
  const onText = (value: string) => {
    setText(value)
    const parsed = parsePoints(value)
    if (parsed.ok) {
      setTextErrors([])
      update(parsed.points, true)
    } else {
      setTextErrors(parsed.errors.map((e) => e.message))
      props.onChange(undefined)
    }
  }
  const errorIds = () =>
    [
      textErrors().length > 0 ? `${props.id}-lines` : undefined,
      props.error !== undefined ? `${props.id}-error` : undefined
    ].filter((x) => x !== undefined).join(" ") || undefined

  return (
    <fieldset class="perimeter-drawer" classList={{ invalid: props.error !== undefined || textErrors().length > 0 }}>
      <legend>{props.legend}</legend>
      <p class="hint" id={`${props.id}-how`}>
        Touchez la carte à chaque coin du quartier, ou placez la croix rouge sur un coin (flèches du clavier pour
        déplacer la carte, + et − pour zoomer) et ajoutez le point. Le périmètre se ferme tout seul.
      </p>
      <QuartierMap label={`Carte du périmètre dessiné : ${pointsStatus(points().length)}`} areas={props.areas}
        draft={points()} onMapClick={add} ref={(h) => (map = h)} start={props.start} />
      <div class="drawing-actions">
        <button type="button" onClick={() =>
          map !== undefined && add(map.centre())}
        >
          Ajouter le point au centre de la carte
        </button>
        <button type="button" class="secondary" disabled={points().length === 0}
          onClick={() => update(points().slice(0, -1))}
        >
          Retirer le dernier point
        </button>
        <button type="button" class="secondary" disabled={points().length === 0} onClick={() => update([])}>
          Effacer
        </button>
      </div>
      <p class="drawing-status" role="status" aria-live="polite">{pointsStatus(points().length)}</p>
      <div class="field">
        <label for={props.id}>Points du périmètre, un par ligne : longitude, latitude</label>
        <p class="hint" id={`${props.id}-hint`}>
          Par exemple -0.5321, 44.7712. Vous pouvez les saisir ou les corriger ici.
        </p>
        <textarea id={props.id} name={props.id} rows={6} spellcheck={false} value={text()}
          onInput={(e) => onText(e.currentTarget.value)} aria-invalid={errorIds() !== undefined}
          aria-describedby={[`${props.id}-hint`, errorIds()].filter((x) => x !== undefined).join(" ")} />
        <Show when={textErrors().length > 0}>
          <ul class="error" id={`${props.id}-lines`} role="alert">
            <For each={textErrors()}>{(message) => <li>{message}</li>}</For>
          </ul>
        </Show>
        <Show when={props.error}>
          <p class="error" id={`${props.id}-error`} role="alert">{props.error}</p>
        </Show>
      </div>
    </fieldset>
  )
}
