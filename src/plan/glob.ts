// Case-id globs: `*` matches any run of characters (`/` included); everything else is literal.

/** The anchored regular expression of a glob. */
export function globRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** True when the whole of `text` matches the glob. */
export function globMatches(glob: string, text: string): boolean {
  return globRegExp(glob).test(text);
}
