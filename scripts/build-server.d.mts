// Types of scripts/build-server.mjs for the tests that import it.
export declare const root: string
export declare const mainOutput: string
export declare const packageName: (specifier: string) => string
export declare const runtimeDependencies: () => Set<string>
export interface MetafileImport {
  readonly path: string
  readonly kind: string
  readonly external?: boolean
}
export declare const unavailableImports: (
  imports: ReadonlyArray<MetafileImport>,
  code: string,
  allowed: ReadonlySet<string>
) => Array<string>
export declare const buildServer: (options?: { readonly outdir?: string }) => Promise<{
  readonly files: ReadonlyArray<{ readonly file: string; readonly bytes: number }>
  readonly imports: ReadonlyArray<MetafileImport>
}>
