import { fileURLToPath } from "node:url";
import { runReadmeExample } from "@cadenza/test-support";
import { expect, it } from "vitest";

it("the README example runs and prints what the README says", async () => {
  const example = await runReadmeExample(
    fileURLToPath(new URL("..", import.meta.url)),
    "@cadenza/modules",
  );
  expect(example.actualOutput).toBe(example.expectedOutput);
});
