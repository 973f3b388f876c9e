import { JSONPath } from "jsonpath-plus";

/** Evaluates an ASL path: `$…` against the input, `$$…` against the context object. Undefined when nothing matches. */
export function queryPath(path: string, input: unknown, context: unknown): unknown {
  const fromContext = path.startsWith("$$");
  const json = (fromContext ? context : input) ?? null;
  // jsonpath-plus types `json` loosely as object | array | primitive; our values are parsed JSON.
  return JSONPath({ path: fromContext ? path.slice(1) : path, json: json as object, wrap: false });
}

/** Replaces every string equal to `from` anywhere inside `value` (used to swap task tokens in payloads). */
export function replaceString(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaceString(item, from, to));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceString(item, from, to)]),
    );
  }
  return value;
}

/** The first string inside `value` for which `accept` is true. */
export function findString(value: unknown, accept: (text: string) => boolean): string | undefined {
  if (typeof value === "string") return accept(value) ? value : undefined;
  if (value && typeof value === "object") {
    for (const item of Object.values(value)) {
      const found = findString(item, accept);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
