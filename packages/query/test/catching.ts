// A query that throws on a negative input, and one that catches its error: shared by the
// tests of how errors are (not) memoised and how a catching caller hears of changes.
import { type Database, defineInput, defineQuery, type Input, type Query } from "../src/index.ts";

export interface Catching {
  readonly n: Input<null, number>;
  /** `n`, or a `RangeError` when it is negative. */
  readonly checked: Query<null, number>;
  /** `checked`, or -1 when it throws. */
  readonly safe: Query<null, number>;
}

export function catchingQueries(db: Database): Catching {
  const n = defineInput<null, number>(db, "n");
  const checked = defineQuery(db, "checked", (ctx) => {
    const v = ctx.get(n, null);
    if (v < 0) throw new RangeError("negative");
    return v;
  });
  const safe = defineQuery(db, "safe", (ctx) => {
    try {
      return ctx.get(checked, null);
    } catch {
      return -1;
    }
  });
  return { n, checked, safe };
}
