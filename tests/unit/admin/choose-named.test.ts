import { describe, expect, it } from "vitest";
import { AdminRequestError, chooseNamed } from "../../../functions/admin/alliances";

const how = {
  field: "round",
  nameOf: (name: string) => name,
  one: "pending round",
  many: "pending rounds",
  message: "which round to extend is unclear",
};

function refusal(run: () => unknown): AdminRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof AdminRequestError) return error;
  }
  throw new Error("expected an AdminRequestError");
}

describe("chooseNamed: which of several things an admin means", () => {
  it("takes the one named, or the only one when none is named", () => {
    expect(chooseNamed(["a/x", "b/y"], "b/y", how)).toBe("b/y");
    expect(chooseNamed(["a/x"], undefined, how)).toBe("a/x");
  });

  it("refuses with a 400 naming the field and the choices when it cannot tell", () => {
    const several = refusal(() => chooseNamed(["a/x", "b/y"], undefined, how));
    expect(several.statusCode).toBe(400);
    expect(several.message).toBe("which round to extend is unclear; nothing changed");
    expect(several.errors).toEqual([{ path: "round", message: "2 pending rounds (a/x, b/y): name one" }]);
    const unknown = refusal(() => chooseNamed(["a/x"], "c/z", how));
    expect(unknown.errors).toEqual([
      { path: "round", message: 'no pending round "c/z" (pending rounds: a/x)' },
    ]);
  });
});
