// Pure handling of Kconfig fragments and .config files: parse, merge, apply, verify.

/** A symbol's requested value: "y", "m", "n" (for "# CONFIG_X is not set"), a number or a quoted string. */
export type ConfigValues = Map<string, string>;

export interface Fragment {
  file: string;
  text: string;
}

/** Where a merged value came from, and what it replaced. */
export interface ConfigOverride {
  symbol: string;
  from: string;
  to: string;
  file: string;
}

const SET_RE = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
const UNSET_RE = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/;

/** Parse a fragment or a .config into symbol -> value; comments and blank lines are ignored. */
export function parseConfig(text: string): ConfigValues {
  const values: ConfigValues = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const set = SET_RE.exec(line);
    if (set) {
      values.set(set[1]!, set[2]!);
      continue;
    }
    const unset = UNSET_RE.exec(line);
    if (unset) values.set(unset[1]!, 'n');
  }
  return values;
}

/** Lines of a fragment that are neither a setting, a comment nor blank (for error messages). */
export function badFragmentLines(text: string): Array<{ line: number; text: string }> {
  const bad: Array<{ line: number; text: string }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || SET_RE.test(line) || UNSET_RE.test(line)) return;
    if (line.startsWith('#')) return;
    bad.push({ line: i + 1, text: raw });
  });
  return bad;
}

/** Merge fragments in order; later fragments win, and each override is reported. */
export function mergeFragments(fragments: Fragment[]): { values: ConfigValues; overrides: ConfigOverride[] } {
  const values: ConfigValues = new Map();
  const overrides: ConfigOverride[] = [];
  for (const fragment of fragments) {
    for (const [symbol, value] of parseConfig(fragment.text)) {
      const previous = values.get(symbol);
      if (previous !== undefined && previous !== value) {
        overrides.push({ symbol, from: previous, to: value, file: fragment.file });
      }
      values.set(symbol, value);
    }
  }
  return { values, overrides };
}

/** Render values as fragment text, in insertion order (stable input for cache keys). */
export function renderConfig(values: ConfigValues): string {
  const lines: string[] = [];
  for (const [symbol, value] of values) {
    lines.push(value === 'n' ? `# ${symbol} is not set` : `${symbol}=${value}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Apply requested values on top of a base .config (e.g. tinyconfig's): existing lines for those
 * symbols are removed and the requested ones appended, as merge_config.sh does. Appending matters
 * for choices: Kconfig keeps the last "=y" of a choice group, so UNWINDER_ORC must come after
 * tinyconfig's UNWINDER_GUESS.
 */
export function applyConfig(baseDotConfig: string, values: ConfigValues): string {
  const out: string[] = [];
  for (const raw of baseDotConfig.split('\n')) {
    const line = raw.trim();
    const m = SET_RE.exec(line) ?? UNSET_RE.exec(line);
    if (m?.[1] !== undefined && values.has(m[1])) continue;
    out.push(raw);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  for (const [symbol, value] of values) {
    out.push(value === 'n' ? `# ${symbol} is not set` : `${symbol}=${value}`);
  }
  return out.join('\n') + '\n';
}

/** A requested option whose final value differs from the request. */
export interface DroppedOption {
  symbol: string;
  wanted: string;
  /** Final value, or "n" when the symbol is absent or unset. */
  got: string;
}

/** Compare the requested values with the final .config; every mismatch is returned. */
export function verifyConfig(requested: ConfigValues, finalDotConfig: string): DroppedOption[] {
  const final = parseConfig(finalDotConfig);
  const dropped: DroppedOption[] = [];
  for (const [symbol, wanted] of requested) {
    const got = final.get(symbol) ?? 'n';
    if (got !== wanted) dropped.push({ symbol, wanted, got });
  }
  return dropped;
}
