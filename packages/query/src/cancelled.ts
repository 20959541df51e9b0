/** Why a fiber stopped before finishing. */
export type CancelReason = "input-changed" | "requested";

/**
 * The outcome of a fiber that was stopped at a yield point. Nothing it was computing is
 * memoised; the sub-queries it completed before stopping keep their memos, so running it
 * again resumes cheaply.
 */
export interface Cancelled {
  readonly kind: "cancelled";
  /**
   * `input-changed`: a value the computation had already read changed while it was
   * suspended; `requested`: the host called `cancel()`.
   */
  readonly reason: CancelReason;
}

/**
 * When a suspended fiber is cancelled after inputs change.
 *
 * - `read-change` (the default): only if a value the computation has already read (an input,
 *   or a query whose result it used) is different at the new revision. Unrelated edits let
 *   it carry on, and an edit whose effect is cut off early does too.
 * - `any-change`: as soon as any input changes, as salsa does. Cheaper to check, and the
 *   right choice when a restart is cheap and the host wants edits to win immediately.
 */
export type CancelPolicy = "read-change" | "any-change";
