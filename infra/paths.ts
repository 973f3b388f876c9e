import { isAbsolute, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root (the folder holding package.json and package-lock.json). */
export const projectRoot = fileURLToPath(new URL("..", import.meta.url));

/** A handler entry given to the infrastructure is not a repo-relative TypeScript path. */
export class HandlerEntryError extends Error {
  constructor(entry: string, problem: string) {
    super(`Handler entry "${entry}" ${problem}`);
    this.name = "HandlerEntryError";
  }
}

/**
 * Normalises a repo-relative entry (e.g. `functions/handlers/admin-http.ts`) to forward slashes and checks it
 * stays inside the repository; the relative form is what the local cloud imports, so it must be portable.
 */
export function repoRelativeEntry(entry: string): string {
  if (isAbsolute(entry)) throw new HandlerEntryError(entry, "must be relative to the repository root");
  if (!/\.(ts|mts|js|mjs)$/.test(entry)) throw new HandlerEntryError(entry, "must be a .ts or .js file");
  const inside = relative(projectRoot, join(projectRoot, normalize(entry)));
  if (inside.startsWith("..")) throw new HandlerEntryError(entry, "must stay inside the repository");
  return inside.split(sep).join("/");
}
