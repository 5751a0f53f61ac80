import { ManagedRuntime } from "effect"
import { render } from "solid-js/web"
import { App } from "./App.js"
import { layerHttp } from "./lib/rpc.js"
import "./styles.css"

/** The app's one runtime: the RPC client over HTTP + NDJSON to this site's /rpc. */
const runtime = ManagedRuntime.make(layerHttp(new URL("/rpc", location.origin).href))

render(() => <App runtime={runtime} />, document.getElementById("root")!)
