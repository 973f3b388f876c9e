import { describe, expect, it } from "vitest";
import { parseInterestMap } from "../../../functions/domain";

const map = {
  explicit: ["Cut last-mile delivery emissions"],
  implicit: ["Autonomy over driver scheduling"],
  cannotAffordToLose: ["On-time delivery above 97%"],
};

function errorsFor(input: unknown) {
  const result = parseInterestMap(input);
  return result.ok ? [] : result.errors;
}

describe("parseInterestMap refuses unsafe or repeated items, naming the item", () => {
  it("refuses a lone surrogate", () => {
    expect(errorsFor({ ...map, explicit: ["Cut \ud800 emissions"] })).toEqual([
      { path: "explicit[0]", message: "must be well-formed Unicode (a lone surrogate at character 5)" },
    ]);
  });

  it.each([
    ["ESC", "Lower cost\u001b[31m", "explicit[1]", "must not contain control characters (U+001B"],
    ["a line break", "Lower cost\nInjected line", "explicit[1]", "must be a single line"],
    [
      "RIGHT-TO-LEFT OVERRIDE",
      "Lower \u202etsoc",
      "explicit[1]",
      "invisible text-direction controls (U+202E",
    ],
  ])("refuses %s in an item (items are single lines)", (_what, item, path, message) => {
    expect(errorsFor({ ...map, explicit: [...map.explicit, item] })).toEqual([
      { path, message: expect.stringContaining(message) },
    ]);
  });

  it("refuses the same item twice, whatever its case", () => {
    expect(
      errorsFor({ ...map, implicit: ["Autonomy over driver scheduling", "autonomy over DRIVER scheduling"] }),
    ).toEqual([{ path: "implicit[1]", message: 'repeats the item "autonomy over DRIVER scheduling"' }]);
  });
});
