import { describe, it } from "vitest";
import { checkErrors, checkSchemes } from "./helpers.js";

const SHAPES = `trait Shape a = { area: fn(a) -> Float, name: fn(a) -> String }
struct Circle { radius = Float }
struct Square { side = Float }
impl Shape Circle = { area = \\c -> 3.14 * c.radius * c.radius, name = \\c -> "circle" }
fn describe s = Shape.name s
`;

const LOG = `effect Log = { log: fn(String) -> Unit }
fn greet name = Log.log ("hello " + name)
fn twice f x = f (f x)
`;

describe("traits", () => {
  it("a method use is a trait predicate that generalises", () =>
    checkSchemes(SHAPES, { describe: "forall a. [Shape a] => fn(a) -> String" }));

  it("an implementation satisfies the predicate at the call", () =>
    checkErrors(`${SHAPES}describe (Circle { radius = 1.0 })`, ""));

  it("a missing implementation is reported at the call", () =>
    checkErrors(
      `${SHAPES}describe (Square { side = 2.0 })`,
      `error: missing trait implementation
 --> test.cdz:6:1
  |
6 | describe (Square { side = 2.0 })
  | ^^^^^^^^ \`Square\` does not implement \`Shape\`
  |
  = note: required by \`describe\`
  = help: add \`impl Shape Square = { … }\``,
    ));

  it("implementations are checked against the trait", () =>
    checkErrors(
      `trait Show a = { show: fn(a) -> String }
struct P { x = Integer }
impl Show P = { show = \\p -> p.x }`,
      `error: type mismatch
 --> test.cdz:3:24
  |
1 | trait Show a = { show: fn(a) -> String }
  |                        --------------- expected fn(P) -> String because of this
...
3 | impl Show P = { show = \\p -> p.x }
  |                        ^^^^^^^^^ expected fn(P) -> String, found fn({ x: Integer, ... }) -> Integer
  |`,
    ));

  it("a missing method is reported", () =>
    checkErrors(
      `trait Show a = { show: fn(a) -> String, debug: fn(a) -> String }
struct P { x = Integer }
impl Show P = { show = \\p -> "p" }`,
      `error: missing trait method
 --> test.cdz:3:1
  |
3 | impl Show P = { show = \\p -> "p" }
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ missing method \`debug\` of trait \`Show\`
  |`,
    ));

  it("traits on built-in types", () =>
    checkErrors(
      `trait Show a = { show: fn(a) -> String }
impl Show Integer = { show = \\n -> String.from_int n }
Show.show 42`,
      "",
    ));
});

describe("effects", () => {
  it("an operation's effect is inferred through calls", () =>
    checkSchemes(LOG, {
      greet: "fn(String) -> Unit ! Log",
      twice: "forall a. fn(fn(a) -> a, a) -> a",
    }));

  it("an effect that reaches the top level is reported at the call", () =>
    checkErrors(
      `${LOG}greet "Ada"`,
      `error: unhandled effect
 --> test.cdz:4:1
  |
4 | greet "Ada"
  | ^^^^^^^^^^^ \`greet\` performs \`Log\`
  |
  = note: effects must be handled before they reach the top level
  = help: wrap the code in \`handle Log { … }\``,
    ));

  it("a handler removes the effect", () =>
    checkErrors(`${LOG}handle Log { log = \\message -> () }\n    greet "Ada"`, ""));

  const SHOUT = `${LOG}fn shout s =\n    greet s\n    s\n`;
  it("effects flow through higher-order functions", () =>
    checkErrors(`${SHOUT}handle Log { log = \\message -> () }\n    twice shout "Ada"`, ""));

  it("an effect performed through a higher-order function is unhandled at its call", () =>
    checkErrors(
      `${SHOUT}twice shout "Ada"`,
      `error: unhandled effect
 --> test.cdz:7:1
  |
7 | twice shout "Ada"
  | ^^^^^^^^^^^^^^^^^ \`twice\` performs \`Log\`
  |
  = note: effects must be handled before they reach the top level
  = help: wrap the code in \`handle Log { … }\``,
    ));

  it("handlers are checked against the operations", () =>
    checkErrors(
      `${LOG}handle Log { log = \\message -> 1 }\n    greet "Ada"`,
      `error: type mismatch
 --> test.cdz:4:20
  |
1 | effect Log = { log: fn(String) -> Unit }
  |                     ------------------ expected fn(String) -> Unit because of this
...
4 | handle Log { log = \\message -> 1 }
  |                    ^^^^^^^^^^^^^ expected fn(String) -> Unit, found fn(String) -> Integer
  |`,
    ));
});
