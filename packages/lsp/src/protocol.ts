/**
 * The messages between the main thread (IO, documents, scheduling) and the analysis engine
 * (compiler, features), which normally runs on a worker thread. Everything is structured-clone
 * data. Positions in requests are LSP positions (0-based line, UTF-16 character): the engine
 * converts them against the exact text it analyses.
 */
import type { Settings } from "./settings.js";

/** The feature requests the engine answers, by LSP method. */
export const FEATURE_METHODS = [
  "textDocument/hover",
  "textDocument/definition",
  "textDocument/references",
  "textDocument/documentHighlight",
  "textDocument/prepareRename",
  "textDocument/rename",
  "textDocument/completion",
  "textDocument/signatureHelp",
  "textDocument/semanticTokens/full",
  "textDocument/semanticTokens/range",
  "textDocument/documentSymbol",
  "workspace/symbol",
  "textDocument/inlayHint",
  "textDocument/codeAction",
  "textDocument/foldingRange",
  "textDocument/selectionRange",
] as const;

/** One of {@link FEATURE_METHODS}. */
export type FeatureMethod = (typeof FEATURE_METHODS)[number];

/** Main thread → engine. */
export type ToEngine =
  /**
   * The text of a file at a version. `open` files are the editor's; the others come from disk
   * (the workspace) and are checked last. Every update makes the file's diagnostics stale.
   */
  | {
      readonly kind: "update";
      readonly uri: string;
      readonly version: number;
      readonly text: string;
      readonly open: boolean;
    }
  /** The file no longer exists (or was closed and is not on disk). */
  | { readonly kind: "remove"; readonly uri: string }
  /** The document the user is looking at: checked first. */
  | { readonly kind: "focus"; readonly uri: string }
  /**
   * The workspace folders (URIs): where modules are read from the disk, and the first one's
   * `cadenza.json` says the source root. Sent again when they or the manifest change.
   */
  | { readonly kind: "workspace"; readonly folders: readonly string[] }
  | { readonly kind: "configure"; readonly settings: Settings }
  | {
      readonly kind: "request";
      readonly id: number;
      readonly method: FeatureMethod;
      /** The document the request is about (absent for workspace requests). */
      readonly uri: string | undefined;
      /** The version the main thread saw when the request arrived. */
      readonly version: number | undefined;
      readonly params: unknown;
    }
  /** `$/cancelRequest` for a request sent earlier. */
  | { readonly kind: "cancel"; readonly id: number }
  /** Several messages handled at once (the workspace's files), before any check starts. */
  | { readonly kind: "batch"; readonly messages: readonly ToEngine[] }
  /**
   * Replica only: check the open documents' latest texts now (the main thread sends it when
   * the primary engine is idle).
   */
  | { readonly kind: "sync" }
  /** Asks for a {@link EngineStatus} (after a garbage collection when `gc` and possible). */
  | { readonly kind: "status"; readonly id: number; readonly gc: boolean };

/** What an engine reports about itself (`cadenza/serverStatus`). */
export interface EngineStatus {
  /** `primary` or `replica`. */
  readonly role: string;
  /** The thread's V8 heap in use, in bytes. */
  readonly heapUsed: number;
  /** Files the engine knows, and how many of them have an analysis. */
  readonly files: number;
  readonly analysed: number;
  /** Requests it answered with a result. */
  readonly answered: number;
  /** Whether it has checks to run. */
  readonly busy: boolean;
}

/** A JSON-RPC error as the engine reports it. */
export interface EngineError {
  readonly code: number;
  readonly message: string;
}

/** Engine → main thread. */
export type FromEngine =
  /** Diagnostics of `uri` for exactly `version` (LSP diagnostics). */
  | {
      readonly kind: "diagnostics";
      readonly uri: string;
      readonly version: number;
      readonly diagnostics: readonly unknown[];
      /** How long the check took, from its start to its end (wall clock, milliseconds). */
      readonly millis?: number;
      /**
       * Checked again because a file it imports changed, not because it did: the main thread
       * holds them until the edited documents are quiet.
       */
      readonly dependency?: boolean;
    }
  | { readonly kind: "response"; readonly id: number; readonly result: unknown }
  | { readonly kind: "response"; readonly id: number; readonly error: EngineError }
  /** Long-running work: the main thread shows it as work-done progress. */
  | {
      readonly kind: "progress";
      readonly state: "begin" | "report" | "end";
      readonly message: string;
      readonly percentage?: number;
    }
  /** One line for the server's log (stderr). */
  | { readonly kind: "log"; readonly message: string }
  /**
   * The engine has nothing to do after handling the first `received` messages sent to it
   * that can give it work (all but `status`; for a replica only `sync`): the main thread
   * knows it is idle when that is every such message it sent.
   */
  | { readonly kind: "idle"; readonly received: number }
  | { readonly kind: "status"; readonly id: number; readonly status: EngineStatus };

/** JSON-RPC and LSP error codes the server answers with. */
export const ErrorCode = {
  /** The request's parameters are not what the method takes. */
  invalidParams: -32602,
  /** A feature failed; the server keeps running. */
  internalError: -32603,
  /** `$/cancelRequest` arrived before the answer. */
  requestCancelled: -32800,
  /** The document changed while the request was being answered. */
  contentModified: -32801,
  /**
   * Between the threads only: a replica cannot answer from what it has computed (the main
   * thread asks the primary engine instead).
   */
  replicaMiss: -32099,
} as const;

/**
 * The requests an engine may answer from the analysis of an older version of the document
 * while the current one is being checked, when the position and the answer lie outside the
 * text that changed: hover, which the user expects at once and which is only informative.
 */
export const STALE_METHODS: ReadonlySet<string> = new Set(["textDocument/hover"]);
