import type { PersonalDataFile } from "@vigie/domain/accounts/PersonalDataRepo"
import { strToU8, zipSync } from "fflate"

/** A ZIP of JSON files (UTF-8, indented for reading), each file's modification time `at`. */
export const zipJson = (files: ReadonlyArray<PersonalDataFile>, at: Date): Uint8Array =>
  zipSync(
    Object.fromEntries(files.map((f) => [f.name, [strToU8(JSON.stringify(f.content, null, 2) + "\n"), { mtime: at }]])),
    { level: 6 }
  )
