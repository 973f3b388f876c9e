import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { commands } from "../../../cli/commands";
import { main } from "../../../cli/concord";

describe("concord <command> --help", () => {
  let stdout: MockInstance;
  let stderr: MockInstance;
  beforeEach(() => {
    stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const printed = (spy: MockInstance) => spy.mock.calls.map((call) => String(call[0])).join("");

  it.each(commands.map((c) => [c.words.join(" "), c] as const))(
    "prints %s's own usage and summary and exits 0",
    async (_name, command) => {
      const code = await main([...command.words, "--help"]);

      expect(code).toBe(0);
      const out = printed(stdout);
      expect(out.startsWith(`Usage: concord ${command.usage}\n`)).toBe(true);
      expect(out).toContain(command.summary);
      expect(printed(stderr)).toBe("");
    },
  );

  it("lists the commands under a command that is also a group", async () => {
    await main(["clock", "--help"]);

    const out = printed(stdout);
    expect(out).toContain("concord clock advance <duration>");
    expect(out).toContain("concord clock reset [--force]");
  });

  it("tells how a clock reset treats time that would move backwards", async () => {
    await main(["clock", "reset", "--help"]);

    expect(printed(stdout)).toMatch(/refused.*unless --force.*deadlines already passed stay passed/s);
  });
});
