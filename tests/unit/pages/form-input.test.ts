import { describe, expect, it } from "vitest";
import { readCharterApprovalForm, readInterestMapForm } from "../../../functions/pages/form-input";

const body = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe("readInterestMapForm", () => {
  it("turns each box into one item per non-empty line", () => {
    const result = readInterestMapForm(
      body({
        s: "secret",
        action: "decide",
        explicit: "Fill empty trucks\r\n\r\n  New shippers  \n",
        implicit: "",
        cannotAffordToLose: "Key accounts",
      }),
    );
    expect(result).toEqual({
      ok: true,
      secret: "secret",
      action: "decide",
      decision: {
        kind: "interest-map",
        interestMap: {
          explicit: ["Fill empty trucks", "New shippers"],
          implicit: [],
          cannotAffordToLose: ["Key accounts"],
        },
      },
    });
  });

  it("names the empty required boxes and keeps what was typed", () => {
    const result = readInterestMapForm(
      body({ s: "secret", action: "decide", explicit: " \n ", implicit: "Brand", cannotAffordToLose: "" }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["cannotAffordToLose", "explicit"]);
    expect(result.values.implicit).toBe("Brand");
  });

  it("points at the item that is too long", () => {
    const result = readInterestMapForm(
      body({ s: "x", action: "decide", explicit: `ok\n${"y".repeat(201)}`, cannotAffordToLose: "z" }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.explicit).toBe("Item 2 must be at most 200 characters.");
  });

  it("reads a hand-over to a colleague", () => {
    expect(
      readInterestMapForm(body({ s: "x", action: "delegate", delegateTo: " Cy@Acme.example " })),
    ).toEqual({
      ok: true,
      secret: "x",
      action: "delegate",
      delegateTo: "cy@acme.example",
    });
    const empty = readInterestMapForm(body({ s: "x", action: "delegate", delegateTo: "" }));
    expect(empty.ok === false && empty.errors.delegateTo).toBe("Choose the colleague to hand this to.");
  });

  it("rejects a form without a known action and reports a missing secret as empty", () => {
    const result = readInterestMapForm(body({ explicit: "a", cannotAffordToLose: "b" }));
    expect(result.ok).toBe(false);
    expect(result.secret).toBe("");
    expect(result.ok === false && result.errors.form).toMatch(/not recognised/);
  });
});

describe("readCharterApprovalForm", () => {
  it("records an approval, comment optional", () => {
    expect(readCharterApprovalForm(body({ s: "x", action: "decide", vote: "approve", comment: "" }))).toEqual(
      {
        ok: true,
        secret: "x",
        action: "decide",
        decision: { kind: "charter-approval", vote: "approve" },
      },
    );
  });

  it("requires a comment to reject", () => {
    const result = readCharterApprovalForm(body({ s: "x", action: "decide", vote: "reject", comment: "  " }));
    expect(result.ok === false && result.errors.comment).toMatch(/Say why you reject/);
    const withComment = readCharterApprovalForm(
      body({ s: "x", action: "decide", vote: "reject", comment: "Notice too short" }),
    );
    expect(withComment.ok && withComment.action === "decide" && withComment.decision).toEqual({
      kind: "charter-approval",
      vote: "reject",
      comment: "Notice too short",
    });
  });

  it("counts a line break as one character, as the browser's maxlength does", () => {
    const comment = `${"a".repeat(999)}\r\n${"b".repeat(1000)}`;
    const result = readCharterApprovalForm(body({ s: "x", action: "decide", vote: "reject", comment }));
    expect(result.ok).toBe(true);
    const tooLong = readCharterApprovalForm(
      body({ s: "x", action: "decide", vote: "approve", comment: "c".repeat(2001) }),
    );
    expect(tooLong.ok === false && tooLong.errors.comment).toBe(
      "Keep the comment to 2000 characters (it has 2001).",
    );
  });

  it("drops control characters and text-direction overrides from a comment, keeping its line breaks", () => {
    const comment = (text: string) => {
      const read = readCharterApprovalForm(
        new URLSearchParams({ s: "x", action: "decide", vote: "reject", comment: text }),
      );
      return read.ok && read.action === "decide" ? read.decision.comment : read;
    };
    expect(comment("Too short.\r\nInjected line\u001b[2J\u0007")).toBe("Too short.\nInjected line[2J");
    expect(comment("ok \u202e desrever")).toBe("ok  desrever");
    expect(comment("Notice\tperiod \u200fשלום")).toBe("Notice period \u200fשלום");
  });

  it("reads pasted interest-map lines: tabs become spaces, control characters go, a repeated line counts once", () => {
    const read = readInterestMapForm(
      new URLSearchParams({
        s: "x",
        action: "decide",
        explicit: "Fill\ttrucks\r\nfill trucks\nShare data\u001b[31m",
        cannotAffordToLose: "Key accounts",
      }),
    );
    expect(read.ok && read.action === "decide" && read.decision.interestMap.explicit).toEqual([
      "Fill trucks",
      "Share data[31m",
    ]);
  });

  it("requires a vote, and only approve or reject", () => {
    for (const vote of ["", "abstain", "approve;reject"]) {
      const result = readCharterApprovalForm(body({ s: "x", action: "decide", vote }));
      expect(result.ok === false && result.errors.vote).toBe("Choose approve or reject.");
    }
  });
});
