import { type Diagnostic, renderDiagnostic } from "@cadenza/core";
import {
  createSession,
  EntryReader,
  type EntryResult,
  renderType,
  type Session,
} from "@cadenza/eval";
import { parse } from "@cadenza/syntax";
import type { Command } from "commander";
import type { CliCommand, CliContext } from "../command.js";
import { ExitCode } from "../errors.js";
import type { CliIO, LineEditor } from "../io.js";
import { ReplImports } from "../repl-imports.js";
import { MAX_STEPS_HELP, parseMaxSteps, stepBudget } from "./run.js";

/** The REPL's own commands, for `:help` and completion. */
const COMMANDS: readonly (readonly [string, string])[] = [
  [":type EXPR", "print the type of EXPR's value (EXPR runs in a throwaway scope, silently)"],
  [":load FILE", "evaluate FILE's items into the session"],
  [":help", "show this help"],
  [":quit", "leave the REPL (also Ctrl-D)"],
];

/**
 * Where the history is kept: `$CADENZA_HISTORY`, else `~/.cadenza_history`; undefined
 * (no history) when neither can be named.
 */
export function historyPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const explicit = env.CADENZA_HISTORY;
  if (explicit !== undefined) return explicit === "" ? undefined : explicit;
  const home = env.HOME ?? env.USERPROFILE;
  return home === undefined || home === ""
    ? undefined
    : `${home.replace(/[/\\]$/, "")}/.cadenza_history`;
}

/** The last lines of a history file, most recent first; none when it cannot be read. */
async function loadHistory(io: CliIO, path: string | undefined): Promise<string[]> {
  if (path === undefined) return [];
  try {
    const lines = (await io.readFile(path)).split("\n").filter((l) => l.trim() !== "");
    return lines.slice(-1000).reverse();
  } catch {
    return [];
  }
}

/** The part of a line completion works on: a name or a dotted path of names at its end. */
const WORD = /[^\s()[\]{},;"'`=+\-*/%<>!&|^~?@$\\#]*$/u;

/**
 * Completion over the session's live bindings: names visible at the top (user bindings
 * first, then the base environment), members after a dot (`List.fo` → `List.fold`), and the
 * REPL's commands after a leading `:`.
 */
export function complete(session: Session, line: string): [string[], string] {
  if (/^:\w*$/.test(line)) {
    const names = COMMANDS.map(([c]) => c.split(" ")[0]!);
    return [names.filter((n) => n.startsWith(line)), line];
  }
  const word = WORD.exec(line)?.[0] ?? "";
  const parts = word.split(".");
  const prefix = parts.pop()!;
  const candidates = parts.length === 0 ? session.names() : session.members(parts);
  const head = parts.length === 0 ? "" : `${parts.join(".")}.`;
  const hits = [...new Set(candidates)]
    .filter((n) => n.startsWith(prefix) && !n.startsWith("__"))
    .map((n) => head + n);
  return [hits, word];
}

interface ReplOptions {
  readonly maxSteps?: number;
  readonly history: boolean;
}

/**
 * `cadenza repl` (LANGUAGE.md §9, last paragraph): reads entries and evaluates each in one
 * session, so bindings persist. Lines join the current entry while a delimiter or string is
 * open, after a line ending in an infix operator and while they are indented; an empty line
 * ends the entry. Each item prints its `value : Type` line (§7) on stdout, and what programs
 * print goes to stdout as it is printed; a diagnostic (file `repl`, lines counted within the
 * entry) is printed on stderr and does not end the session. On a terminal, lines are edited
 * with a prompt, a persistent history (`$CADENZA_HISTORY`, else `~/.cadenza_history`) and
 * Tab completion over the live bindings, and a complete one-line entry is evaluated at once.
 * Commands: `:type EXPR`, `:load FILE`, `:help`, `:quit`. Each entry may take at most
 * `--max-steps` evaluation steps (default 1000000000; 0: no limit), so that a runaway entry
 * ends with a diagnostic instead of hanging the session. Exits 0 at the end of input.
 */
export const replCommand: CliCommand = {
  name: "repl",
  register(program: Command, context: CliContext): void {
    program
      .command("repl")
      .description("evaluate entries interactively; bindings persist between entries")
      .option("--max-steps <n>", `${MAX_STEPS_HELP}, per entry`, parseMaxSteps, 1_000_000_000)
      .option("--no-history", "neither read nor write the history file")
      .action(context.action((options: ReplOptions) => repl(context, options)));
  },
};

async function repl(context: CliContext, options: ReplOptions): Promise<number> {
  const io = context.io;
  let silent = false;
  const output = (text: string): void => {
    if (!silent) io.stdout.write(text);
  };
  // Entries may import the modules of the current folder (or of the project around it).
  const imports = await ReplImports.open(io, { ...stepBudget(options.maxSteps), output });
  const session = createSession({
    ...stepBudget(options.maxSteps),
    output,
    resolveImports: (source, items) => imports.resolve(source, items),
  });
  const reader = new EntryReader();
  const path = options.history ? historyPath(io.env) : undefined;
  let historyFailed = false;
  const remember = async (line: string): Promise<void> => {
    if (path === undefined || historyFailed || line.trim() === "") return;
    try {
      await io.appendFile(path, `${line}\n`);
    } catch (e) {
      historyFailed = true;
      const reason = e instanceof Error ? e.message : String(e);
      io.stderr.write(`warning: cannot write the history file ${path}: ${reason}\n`);
    }
  };

  const report = (result: EntryResult, ds: readonly Diagnostic[]): void => {
    const color = context.useColor("stderr");
    for (const d of ds) io.stderr.write(`${renderDiagnostic(d, result.sourceOf(d), { color })}\n`);
  };
  /** Prints a result as the REPL does: each item's line, or its diagnostics. */
  const show = (
    result: EntryResult,
    line: (item: EntryResult["items"][number]) => string,
  ): void => {
    report(result, result.parseDiagnostics);
    for (const item of result.items) {
      if (item.diagnostics.length > 0) report(result, item.diagnostics);
      else if (item.entry.ok) io.stdout.write(line(item));
    }
    report(result, result.haltDiagnostics);
  };
  const evaluate = async (text: string): Promise<void> => {
    await imports.prepare(text);
    show(session.evalEntry(text), (i) => `${i.entry.text}\n`);
  };

  /** Runs a `:command` line; false when the REPL should end. */
  const command = async (line: string): Promise<boolean> => {
    const [, name = "", rest = ""] = /^:(\w*)\s*([\s\S]*)$/.exec(line.trim()) ?? [];
    switch (name) {
      case "quit":
      case "q":
        return false;
      case "help":
      case "h":
      case "?":
        io.stdout.write(
          `${COMMANDS.map(([c, what]) => `${c.padEnd(12)} ${what}`).join("\n")}\n` +
            "Entries end at an empty line when they are open (a block, an operator at the end of a line).\n",
        );
        return true;
      case "type":
      case "t": {
        if (rest.trim() === "") {
          io.stderr.write("error: :type needs an expression, as in :type 1 + 2\n");
          return true;
        }
        silent = true;
        let result: EntryResult;
        try {
          result = session.evalEntry(rest, { isolated: true });
        } finally {
          silent = false;
        }
        show(result, (i) => `${renderType(i.entry.type)}\n`);
        return true;
      }
      case "load":
      case "l": {
        const file = rest.trim();
        if (file === "") {
          io.stderr.write("error: :load needs a file name, as in :load lib.cdz\n");
          return true;
        }
        const source = await context.readSource(file);
        if (source === undefined) return true;
        await imports.prepare(source.text);
        const parsed = parse(source);
        show(
          session.evalItems(source, parsed.items, parsed.diagnostics),
          (i) => `${i.entry.text}\n`,
        );
        return true;
      }
      default:
        io.stderr.write(`error: unknown command :${name}; :help lists the commands\n`);
        return true;
    }
  };

  const editor: LineEditor = {
    prompt: () => (reader.pending === "" ? "> " : ". "),
    complete: (line) => complete(session, line),
    history: await loadHistory(io, path),
    interrupt: () => void reader.flush(),
  };
  if (io.stdinIsTTY) io.stderr.write("Cadenza REPL. :help lists the commands, :quit leaves.\n");
  for await (const line of io.readLines(editor)) {
    await remember(line);
    // A command (`:` and a letter; `:"…"` is a symbol) ends an entry in progress first.
    if (/^:[A-Za-z?]/.test(line)) {
      for (const entry of reader.flush()) await evaluate(entry);
      if (!(await command(line))) return ExitCode.ok;
      continue;
    }
    for (const entry of reader.push(line)) await evaluate(entry);
    if (io.stdinIsTTY && reader.readyInteractively())
      for (const entry of reader.flush()) await evaluate(entry);
  }
  for (const entry of reader.end()) await evaluate(entry);
  if (io.stdinIsTTY) io.stderr.write("\n");
  return ExitCode.ok;
}
