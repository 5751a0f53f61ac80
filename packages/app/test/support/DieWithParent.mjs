/**
 * Preloaded (`--import`) into the processes the tests spawn, never in production: the test holds the
 * write end of their stdin, so when the test process dies (a timed-out hook, a killed worker of the
 * test runner) stdin ends and the child exits instead of serving on as an orphan. Unreferenced, it
 * keeps no command alive.
 */
process.stdin.on("end", () => process.exit(70))
process.stdin.on("error", () => process.exit(70))
process.stdin.resume()
process.stdin.unref()
