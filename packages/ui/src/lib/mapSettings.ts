/**
 * The map tiles the server was configured with (TILE_URL): the server writes them into the page it
 * serves as `<meta name="vigie-tile-url" content="https://tile.openstreetmap.org/{z}/{x}/{y}.png">`.
 * Absent or empty (development, tests, the vite dev server): no tiles, quartiers on a plain background.
 */
export const configuredTileUrl = (): string | undefined => {
  if (typeof document === "undefined") return undefined
  const content = document.querySelector("meta[name=\"vigie-tile-url\"]")?.getAttribute("content")?.trim() ?? ""
  return content === "" ? undefined : content
}
