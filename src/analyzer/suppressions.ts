/**
 * `// refcheck: ignore`, `// refcheck: ignore[leak,double-release]` or `/* refcheck: ignore *\/`
 * on a line silences that line; on a line of its own it silences the next line.
 * Returns line → rules silenced there (an empty set silences every rule).
 */
export function suppressedRules(lines: readonly string[]): ReadonlyMap<number, ReadonlySet<string>> {
  const out = new Map<number, Set<string>>();
  const pattern = /(?:\/\/|\/\*)\s*refcheck:\s*ignore(?:\[([^\]]*)\])?/;
  lines.forEach((text, i) => {
    const m = pattern.exec(text);
    if (!m) return;
    const rules = new Set((m[1] ?? '').split(',').map((r) => r.trim()).filter(Boolean));
    const ownLine = /^\s*(\/\/|\/\*)/.test(text);
    for (const line of ownLine ? [i + 1, i + 2] : [i + 1]) {
      const existing = out.get(line);
      if (existing && existing.size === 0) continue;
      if (existing && rules.size > 0) for (const r of rules) existing.add(r);
      else out.set(line, rules);
    }
  });
  return out;
}
