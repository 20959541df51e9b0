/**
 * A point in the history of a database. Every effective change to an input creates a new
 * revision; memos remember the revision at which their value last changed (`changedAt`) and
 * the last revision at which they were known to be up to date (`verifiedAt`).
 */
export type Revision = number;

/**
 * The `changedAt` of a value that depends on nothing: it has never changed, so every
 * dependent verified at any revision may keep it.
 */
export const NEVER_CHANGED: Revision = 0;

/** The revision of a fresh database, before any input has been set. */
export const INITIAL_REVISION: Revision = 1;
