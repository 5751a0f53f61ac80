export default function setup(): void {
  if (!process.env["DATABASE_URL"]) {
    console.info(
      "\n[vigie] DATABASE_URL is not set: database suites run on PGlite only; those against a real " +
        "PostgreSQL server are skipped (CI sets DATABASE_URL, so CI never skips them).\n"
    )
  }
}
