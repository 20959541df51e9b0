/**
 * `@cadenza/modules`: Cadenza's module system as pure functions — reading the imports of a
 * file, resolving module paths, finding import cycles, the diagnostics of module errors, and
 * project manifests. It does no IO: hosts provide files through {@link ModuleHost}.
 *
 * @packageDocumentation
 */
export {
  conflictingImport,
  importCycle,
  macroThroughAlias,
  missingExport,
  privateName,
  unknownImport,
  unknownModule,
} from "./diagnostics.js";
export { importCycles } from "./graph.js";
export { type ModuleHost, memoryHost } from "./host.js";
export {
  type FileImports,
  type ImportDecl,
  type ImportedName,
  type ImportForm,
  isImportItem,
  modulePath,
  readImports,
  unwrapItem,
} from "./imports.js";
export {
  MANIFEST_NAME,
  type Manifest,
  type ManifestResult,
  manifestFieldSpan,
  parseManifest,
} from "./manifest.js";
export { basename, dirname, joinPath, normalizePath, relativePath } from "./path.js";
export { candidatePaths, MODULE_EXTENSION, moduleName, searchFolders } from "./resolve.js";
export { closestName, editDistance } from "./suggest.js";
