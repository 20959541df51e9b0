import { describe, it } from "vitest";
import { checkErrors } from "./helpers.js";

/** Programs and every diagnostic the checker reports, rendered per LANGUAGE.md §8.1. */
const CASES: [string, string, string][] = [
  [
    "adding meters and seconds (issue)",
    "measure meter\nmeasure second\n100meter + 5second",
    `error: incompatible dimensions
 --> test.cdz:3:1
  |
3 | 100meter + 5second
  | ^^^^^^^^^^^^^^^^^^ cannot add \`meter\` and \`second\`
  |
  = note: left side has dimension: meter
  = note: right side has dimension: second
  = help: addition requires matching dimensions`,
  ],
  [
    "a unit mistake at a call, with the missing factor",
    "measure meter\nmeasure second\nfn arrive (v: Quantity Float meter/second) = v\narrive 3.0meter",
    `error: type mismatch
 --> test.cdz:4:8
  |
3 | fn arrive (v: Quantity Float meter/second) = v
  |               --------------------------- expected meter/second because of this
4 | arrive 3.0meter
  |        ^^^^^^^^ expected meter/second, found meter
  |
  = note: missing factor 1/second`,
  ],
  [
    "a unit mistake found through a generic function",
    "measure meter\nmeasure second\nfn speed d t = d / t\nfn check (v: Quantity Rational meter/second) = v\ncheck ((speed 10meter 2second) * 1second)",
    `error: type mismatch
 --> test.cdz:5:8
  |
4 | fn check (v: Quantity Rational meter/second) = v
  |              ------------------------------ expected meter/second because of this
5 | check ((speed 10meter 2second) * 1second)
  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ expected meter/second, found meter
  |
  = note: missing factor 1/second`,
  ],
  [
    "a missing field is reported at the call that supplies the record",
    "fn get_x p = p.x\nget_x { y = 1 }",
    `error: missing field
 --> test.cdz:2:7
  |
1 | fn get_x p = p.x
  |                - field \`x\` is required here
2 | get_x { y = 1 }
  |       ^^^^^^^^^ this record has no field \`x\`
  |
  = note: it has fields: y`,
  ],
  [
    "field not found on a known record (§8.2)",
    "let point = { x = 10, y = 20 }\npoint.z",
    `error: field not found
 --> test.cdz:2:7
  |
2 | point.z
  |       ^ field \`z\` does not exist
  |
  = help: available fields are: x, y`,
  ],
  [
    "cannot apply (§8.2)",
    "true + 1",
    `error: type mismatch
 --> test.cdz:1:1
  |
1 | true + 1
  | ^^^^^^^^ cannot apply \`+\` to Bool and Integer
  |`,
  ],
  [
    "an error inside a branch that never runs",
    "fn f x = if false then String.len 5 else x",
    `error: type mismatch
 --> test.cdz:1:35
  |
1 | fn f x = if false then String.len 5 else x
  |                                   ^ expected String, found Integer
  |`,
  ],
  [
    "a constraint checked at the instantiation of a generic function",
    "fn add x y = x + y\nadd true false",
    `error: type mismatch
 --> test.cdz:2:1
  |
2 | add true false
  | ^^^ cannot apply \`+\` to Bool and Bool
  |
  = note: required by \`add\``,
  ],
  [
    "nominal structs never compare",
    "struct A { x = Integer }\nstruct B { x = Integer }\n(A { x = 1 }) == (B { x = 1 })",
    `error: type mismatch
 --> test.cdz:3:1
  |
3 | (A { x = 1 }) == (B { x = 1 })
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cannot compare A with B
  |
  = note: A and B are different nominal types
  = note: even though they have the same fields, nominal typing makes them distinct`,
  ],
  [
    "the first offending list element only",
    '[1, "hello", true]',
    `error: type mismatch in list
 --> test.cdz:1:5
  |
1 | [1, "hello", true]
  |     ^^^^^^^ expected Integer, found String
  |
  = note: all list elements must have the same type
  = note: first element has type Integer`,
  ],
  [
    "Unknown suppresses follow-on errors",
    "let x = missing\nx + 1\nString.len x\nx.field",
    `error: undefined variable: \`missing\`
 --> test.cdz:1:9
  |
1 | let x = missing
  |         ^^^^^^^ not found in this scope
  |
  = help: use \`let missing = ...\` to define it`,
  ],
  [
    "did you mean",
    "let value = 10\nvlaue",
    `error: undefined variable: \`vlaue\`
 --> test.cdz:2:1
  |
2 | vlaue
  | ^^^^^ not found in this scope
  |
  = help: did you mean \`value\`?`,
  ],
  [
    "arity with parameter names",
    "fn add x y = x + y\nadd 1",
    `error: arity mismatch
 --> test.cdz:2:1
  |
2 | add 1
  | ^^^ function expects 2 arguments, got 1
  |
  = note: function \`add\` is defined with parameters: x, y
  = help: provide the missing argument(s)`,
  ],
  [
    "struct fields (§8.2)",
    'struct Point { x = Integer, y = Integer }\nPoint { x = "hello", y = 20 }',
    `error: type mismatch in struct field
 --> test.cdz:2:13
  |
2 | Point { x = "hello", y = 20 }
  |             ^^^^^^^ expected Integer, found String
  |
  = note: field \`x\` requires type Integer`,
  ],
  [
    "reassignment without a binding",
    "y = 5",
    `error: undefined variable: \`y\`
 --> test.cdz:1:1
  |
1 | y = 5
  | ^ not found in this scope
  |
  = note: reassignment requires an existing binding
  = help: use \`let y = 5\` to create a new binding`,
  ],
  [
    "pointing at the expressions that fixed both types",
    'fn f (x: Integer) = x\nlet s = "a"\nf s',
    `error: type mismatch
 --> test.cdz:3:3
  |
1 | fn f (x: Integer) = x
  |          ------- expected Integer because of this
2 | let s = "a"
  |         --- this is String
3 | f s
  |   ^ expected Integer, found String
  |`,
  ],
  [
    "no false error: promotion at a monomorphic parameter",
    "fn g n = (String.from_int n, n + 0.5)\ng 1",
    "",
  ],
  [
    "no false error: folding Floats from an Integer",
    "List.fold [0.5, 1.5] 0 \\acc x -> acc + x",
    "",
  ],
  ["no false error: a widening accumulator", "let total = 0\ntotal = total + 0.5\ntotal", ""],
  ["no false error: records compare across the tower", "{ x = 1 } == { x = 1.0 }", ""],
  [
    "no false error: a struct where a record is read",
    "struct P { x = Integer }\nfn get_x p = p.x\nget_x (P { x = 1 })",
    "",
  ],
];

describe("diagnostics", () => {
  for (const [name, source, expected] of CASES) it(name, () => checkErrors(source, expected));
});
