import type { CancelPolicy } from "./cancelled.js";
import { ContextImpl } from "./context.js";
import type { CycleOutcome } from "./cycle.js";
import type { Engine } from "./engine.js";
import type { Memo } from "./memo.js";
import { NEVER_CHANGED, type Revision } from "./revision.js";
import type { QuerySlot, Slot } from "./slot.js";

/**
 * One query function being run. It collects the dependencies the function reads, in
 * order, and the largest change stamp among them.
 */
export class ExecFrame {
  /** Discriminates frames. */
  readonly kind: "execute" = "execute";
  /** The task whose stack holds the frame. */
  readonly task: Task;
  /** The slot being computed. */
  readonly slot: QuerySlot;
  /** The nearest execution below this one, which is charged for its time. */
  readonly parent: ExecFrame | undefined;
  /** The context handed to the query function. */
  readonly ctx: ContextImpl;
  /** Everything read so far, in order. */
  readonly deps: Slot[] = [];
  /** The largest `changedAt` among {@link ExecFrame.deps}. */
  maxChangedAt: Revision = NEVER_CHANGED;
  /** Set when the frame was found to be on a cycle: its result is then the cycle's. */
  cycle: CycleOutcome | undefined = undefined;
  /** Set once the function has returned, after which its context refuses to work. */
  finished: boolean = false;
  /** Running time accumulated over the segments between yields (ms). */
  elapsed: number = 0;
  /** When the current running segment started. */
  startedAt: number = 0;
  /** Running time of the executions nested in this one (ms). */
  childTime: number = 0;

  /** Creates a frame for computing `slot` in `task`. */
  constructor(task: Task, slot: QuerySlot, parent: ExecFrame | undefined) {
    this.task = task;
    this.slot = slot;
    this.parent = parent;
    this.ctx = new ContextImpl(this);
  }

  /** Records a read of `dep` whose value last changed at `changedAt`. */
  record(dep: Slot, changedAt: Revision): void {
    const deps = this.deps;
    if (deps.length === 0 || deps[deps.length - 1] !== dep) deps.push(dep);
    if (changedAt > this.maxChangedAt) this.maxChangedAt = changedAt;
  }
}

/**
 * One deep verification in progress: the dependencies of `memo` before `index` have been
 * found unchanged since `since`.
 */
export class VerifyFrame {
  /** Discriminates frames. */
  readonly kind: "verify" = "verify";
  /** The slot whose memo is being verified. */
  readonly slot: QuerySlot;
  /** The memo being verified. */
  readonly memo: Memo;
  /** The memo's `verifiedAt` when verification started. */
  readonly since: Revision;
  /** How many dependencies have been checked. */
  index: number = 0;

  /** Creates a frame for verifying `memo` of `slot`. */
  constructor(slot: QuerySlot, memo: Memo) {
    this.slot = slot;
    this.memo = memo;
    this.since = memo.verifiedAt;
  }
}

/** A frame of a task's stack. */
export type Frame = ExecFrame | VerifyFrame;

/**
 * One top-level computation (a `db.get`, or a fiber) and its stack of frames. Stacks are per
 * task so that a fiber that is suspended, or abandoned, never confuses another computation.
 */
export class Task {
  /** The database engine. */
  readonly engine: Engine;
  /** When a suspended computation is cancelled after inputs change. */
  readonly policy: CancelPolicy;
  /** Frames from the bottom (the requested query) to the top. */
  readonly stack: Frame[] = [];
  /** Everything on the stack is known to be valid at this revision. */
  validAt: Revision;
  /** Set by `fiber.cancel()`. */
  cancelRequested: boolean = false;
  /** The topmost execution frame, which nested executions are charged to. */
  currentExec: ExecFrame | undefined = undefined;

  /** Creates an empty task at the engine's current revision. */
  constructor(engine: Engine, policy: CancelPolicy) {
    this.engine = engine;
    this.policy = policy;
    this.validAt = engine.revision;
  }

  /** Pushes a frame and marks its slot as in progress. */
  push(frame: Frame): void {
    this.stack.push(frame);
    frame.slot.active++;
    if (frame.kind === "execute") this.currentExec = frame;
  }

  /**
   * Pops `frame`, normally the top of the stack. When a `RangeError` for stack overflow
   * struck between a push and the `try` guarding it, frames above `frame` never got their
   * own pop; they are unwound here too, so the task (and the slots' counts) stay coherent
   * and the original error is what the caller sees.
   */
  pop(frame: Frame): void {
    const stack = this.stack;
    const at = stack.lastIndexOf(frame);
    if (at < 0) return;
    while (stack.length > at) {
      const top = stack.pop()!;
      top.slot.active--;
      if (top.kind === "execute") {
        top.finished = true;
        this.currentExec = top.parent;
      }
    }
  }

  /**
   * Whether `slot` is being computed or verified by this task (for cycle detection). The
   * slot's `active` count answers "no" in O(1) in the common case; the stack is scanned only
   * when some task has the slot in progress.
   */
  has(slot: QuerySlot): boolean {
    if (slot.active === 0) return false;
    const stack = this.stack;
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.slot === slot) return true;
    return false;
  }
}
