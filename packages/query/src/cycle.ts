import type { Diagnostic, DiagnosticNote, Span } from "@cadenza/core";

/** One query application on a dependency cycle. */
export interface CycleParticipant {
  /** The query's name. */
  readonly query: string;
  /** The key it was applied to. */
  readonly key: unknown;
  /** The key's stable encoding, used for display and comparison. */
  readonly keyString: string;
}

/**
 * A dependency cycle: each participant requires the next one and the last requires the
 * first. The list starts at the smallest participant (by query name, then key) so the same
 * cycle is described identically whichever query the computation entered it from.
 */
export interface Cycle {
  readonly participants: readonly CycleParticipant[];
}

/** The outcome of a query that is on, or depends on, a dependency cycle. */
export interface CycleOutcome {
  readonly kind: "cycle";
  /** The cycle that was found. */
  readonly cycle: Cycle;
  /** The cycle as a diagnostic with code `query/cycle`. */
  readonly diagnostic: Diagnostic;
}

/**
 * Thrown by `ctx.get`/`ctx.fetch` and `db.get` when the value asked for is a cycle rather
 * than a value. A query that lets it escape gets a cycle outcome itself; read with
 * `ctx.result` to handle cycles without exceptions.
 */
export class CycleError extends Error {
  /** The cycle, also available as {@link CycleError.diagnostic}. */
  readonly cycle: Cycle;
  /** The cycle as a `query/cycle` diagnostic. */
  readonly diagnostic: Diagnostic;
  /** The outcome this error carries, shared by every query that depends on the cycle. */
  readonly outcome: CycleOutcome;

  /** Wraps a cycle outcome. */
  constructor(outcome: CycleOutcome) {
    super(outcome.diagnostic.message);
    this.name = "CycleError";
    this.cycle = outcome.cycle;
    this.diagnostic = outcome.diagnostic;
    this.outcome = outcome;
  }
}

/** Where a cycle diagnostic points, when the caller knows a source location for it. */
export interface CycleLocation {
  /** The file the span refers to. */
  readonly file: string;
  /** The primary span. */
  readonly span: Span;
}

/** Formats a participant as `name(key)`, for example `parse("main.cdz")`. */
export function formatParticipant(p: CycleParticipant): string {
  return `${p.query}(${p.keyString})`;
}

/**
 * Builds a cycle from the participants in the order they required each other, rotating
 * the list to start at its smallest participant.
 */
export function makeCycle(participants: readonly CycleParticipant[]): Cycle {
  let start = 0;
  for (let i = 1; i < participants.length; i++) {
    if (compareParticipants(participants[i]!, participants[start]!) < 0) start = i;
  }
  return {
    participants: Object.freeze([...participants.slice(start), ...participants.slice(0, start)]),
  };
}

function compareParticipants(a: CycleParticipant, b: CycleParticipant): number {
  if (a.query !== b.query) return a.query < b.query ? -1 : 1;
  if (a.keyString !== b.keyString) return a.keyString < b.keyString ? -1 : 1;
  return 0;
}

/** Whether two cycles have the same participants in the same order. */
export function sameCycle(a: Cycle, b: Cycle): boolean {
  if (a === b) return true;
  if (a.participants.length !== b.participants.length) return false;
  for (let i = 0; i < a.participants.length; i++) {
    if (compareParticipants(a.participants[i]!, b.participants[i]!) !== 0) return false;
  }
  return true;
}

/** Whether a query application is one of the cycle's participants. */
export function onCycle(cycle: Cycle, query: string, keyString: string): boolean {
  for (const p of cycle.participants) {
    if (p.query === query && p.keyString === keyString) return true;
  }
  return false;
}

/**
 * Reports a cycle as an error diagnostic with code `query/cycle`. The message lists the
 * participants in order and closes the loop (`a(1) → b(1) → a(1)`); a note per participant
 * says what it requires. Queries have no source position of their own, so the diagnostic
 * points at `location` when given and at an empty span of an unnamed file otherwise.
 */
export function cycleDiagnostic(cycle: Cycle, location?: CycleLocation): Diagnostic {
  const names = cycle.participants.map(formatParticipant);
  const chain = names.length > 0 ? [...names, names[0]].join(" → ") : "";
  const notes: DiagnosticNote[] = names.map((name, i) => ({
    kind: "note",
    message: `${name} requires ${names[(i + 1) % names.length]}`,
  }));
  notes.push({
    kind: "help",
    message: "break the cycle, or give one of these queries a `recover` value",
  });
  return {
    severity: "error",
    code: "query/cycle",
    message: `dependency cycle between queries: ${chain}`,
    file: location?.file ?? "",
    primary: { span: location?.span ?? { start: 0, end: 0 }, message: "cycle detected here" },
    secondary: [],
    notes,
    fixes: [],
  };
}

/** Builds the outcome shared by the participants of `cycle` and everything depending on it. */
export function cycleOutcome(cycle: Cycle): CycleOutcome {
  return { kind: "cycle", cycle, diagnostic: cycleDiagnostic(cycle) };
}
