/**
 * A compiled set of IAM wildcard patterns (`*` any run of characters, `?` exactly one), tested in one step:
 * literal patterns by a Set lookup, the others by a single anchored RegExp built once.
 */
export interface WildcardSet {
  readonly matchesAll: boolean;
  readonly literals: ReadonlySet<string>;
  readonly pattern: RegExp | undefined;
}

/**
 * Compiles `patterns` once. With `ignoreCase` (IAM actions) patterns are lowercased here and callers test
 * lowercased values, which is cheaper than a case-insensitive RegExp. `*` matches across `:` and `/`, as it does
 * in an IAM Resource element (a trailing `*` of an ARN segment "can expand to match beyond colon boundaries").
 */
export function compileWildcards(patterns: readonly string[], ignoreCase: boolean): WildcardSet {
  const normalized = ignoreCase ? patterns.map((pattern) => pattern.toLowerCase()) : patterns;
  const literals = new Set<string>();
  const sources: string[] = [];
  for (const pattern of normalized) {
    if (/[*?]/.test(pattern)) sources.push(wildcardSource(pattern));
    else literals.add(pattern);
  }
  return {
    matchesAll: normalized.includes("*"),
    literals,
    pattern: sources.length > 0 ? new RegExp(`^(?:${sources.join("|")})$`, "s") : undefined,
  };
}

/** Whether `value` matches any pattern of the set (lowercase `value` first when the set ignores case). */
export function matchesWildcards(set: WildcardSet, value: string): boolean {
  return set.matchesAll || set.literals.has(value) || (set.pattern?.test(value) ?? false);
}

function wildcardSource(pattern: string): string {
  return pattern
    .split(/([*?])/)
    .map((part) => (part === "*" ? ".*" : part === "?" ? "." : part.replace(/[.+^${}()|[\]\\/-]/g, "\\$&")))
    .join("");
}
