/**
 * Import cycles through one module. `edges(file)` lists the files a module imports, one entry
 * per import in order (`undefined` for an import that resolved to nothing). For each import of
 * `file` the result is the cycle it closes as seen from there — the importing file, the
 * imported one and the shortest way back, `[a, b, c, a]` — or undefined when it closes none.
 * Only the modules reachable from `file` are visited, each once.
 */
export function importCycles(
  file: string,
  edges: (file: string) => readonly (string | undefined)[],
): (readonly string[] | undefined)[] {
  const cache = new Map<string, readonly (string | undefined)[]>();
  const out = (f: string): readonly (string | undefined)[] => {
    let e = cache.get(f);
    if (e === undefined) cache.set(f, (e = edges(f)));
    return e;
  };
  return out(file).map((target) => {
    if (target === undefined) return undefined;
    const back = shortestPath(out, target, file);
    return back === undefined ? undefined : [file, ...back];
  });
}

/** The shortest path `from` … `to` (breadth first, in import order), or undefined. */
function shortestPath(
  edges: (file: string) => readonly (string | undefined)[],
  from: string,
  to: string,
): string[] | undefined {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const f = queue[i]!;
    if (f === to) {
      const path: string[] = [];
      for (let at: string | null = f; at !== null; at = previous.get(at) ?? null) path.push(at);
      return path.reverse();
    }
    for (const g of edges(f)) {
      if (g === undefined || previous.has(g)) continue;
      previous.set(g, f);
      queue.push(g);
    }
  }
  return undefined;
}
