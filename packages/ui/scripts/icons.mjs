// Renders public/icon.svg into the PNG icons of the web manifest with Debian's Chromium:
// `npm run icons -w @vigie/ui`. The PNGs are committed; run this again only when the SVG changes.
import { readFile } from "node:fs/promises"
import { chromium } from "playwright-core"

const svg = await readFile(new URL("../public/icon.svg", import.meta.url), "utf8")
const browser = await chromium.launch({ executablePath: process.env.VIGIE_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"] })
const page = await browser.newPage()
const render = async (size, file, padding = 0) => {
  await page.setViewportSize({ width: size, height: size })
  const inner = size - 2 * padding
  await page.setContent(
    `<html><body style="margin:0;background:#0b3d6e;display:grid;place-items:center;width:${size}px;height:${size}px">
    <div style="width:${inner}px;height:${inner}px">${
      svg.replace("<svg ", `<svg width="${inner}" height="${inner}" `)
    }</div></body></html>`
  )
  await page.screenshot({ path: new URL(`../public/${file}`, import.meta.url).pathname, omitBackground: false })
}
await render(192, "icon-192.png")
await render(512, "icon-512.png")
await render(512, "icon-maskable-512.png", 56)
await browser.close()
console.log("icons written to public/")
