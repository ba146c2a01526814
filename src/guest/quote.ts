// POSIX shell quoting of argv arrays (pure): the guest shell never interprets metacharacters.

/** One word in single quotes; an embedded ' becomes '\'' (close, escaped quote, reopen). */
export function quoteWord(word: string): string {
  if (word.includes('\0')) throw new Error('a shell word cannot contain a NUL byte');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * argv as one shell command line that runs exactly argv[0] with argv[1..]. The first word is always
 * quoted: unquoted, a plain word there can be a keyword (`if`, `time`, `function`) or an assignment
 * (`FOO=bar`), which the shell would parse instead of running.
 */
export function shellQuote(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('shellQuote: empty argv');
  const [first, ...rest] = argv as [string, ...string[]];
  return [alwaysQuoted(first), ...rest.map(quoteWord)].join(' ');
}

function alwaysQuoted(word: string): string {
  const q = quoteWord(word);
  return q.startsWith("'") ? q : `'${q}'`;
}
