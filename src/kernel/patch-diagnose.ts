// Pure parsing of `patch` and `git am` output into "which file, which hunk, which line failed".

/** One failing hunk of a patch. */
export interface HunkFailure {
  file: string;
  hunk: number;
  line: number | null;
}

/** True when a patch file is an mbox / git format-patch email (applied with git am). */
export function isMbox(text: string): boolean {
  const head = text.slice(0, 4096);
  return /^From [0-9a-f]{7,40} /m.test(head) || (/^From: /m.test(head) && /^Subject: /m.test(head));
}

/** Parse GNU patch output ("patching file X" / "Hunk #2 FAILED at 310.") into failures. */
export function parsePatchOutput(output: string): { failures: HunkFailure[]; missingFiles: string[] } {
  const failures: HunkFailure[] = [];
  const missingFiles: string[] = [];
  let current = '';
  // Inside a "can't find file to patch" block: the file named by the |--- / |+++ lines it quotes.
  let missing: string | null = null;
  for (const line of output.split('\n')) {
    if (missing !== null) {
      const header = /^\|(---|\+\+\+) (\S+)/.exec(line);
      if (header && header[2] !== '/dev/null' && (header[1] === '+++' || missing === '')) {
        missing = header[2]!.replace(/^[^/]*\//, ''); // as patch -p1 sees it
        continue;
      }
      if (/No file to patch/.test(line)) {
        missingFiles.push(missing || '(unknown file)');
        missing = null;
      }
      continue;
    }
    const file = /^(?:checking|patching) file '?([^']+?)'?$/.exec(line.trim());
    if (file) {
      current = file[1]!;
      continue;
    }
    const hunk = /^Hunk #(\d+) FAILED(?: at (\d+))?/.exec(line.trim());
    if (hunk) {
      failures.push({ file: current, hunk: Number(hunk[1]), line: hunk[2] ? Number(hunk[2]) : null });
      continue;
    }
    if (/can't find file to patch/.test(line)) missing = '';
  }
  return { failures, missingFiles };
}

/** The subject of a format-patch email, for messages. */
export function patchSubject(text: string): string | null {
  const m = /^Subject: (.*)$/m.exec(text.slice(0, 8192));
  return m ? m[1]!.trim() : null;
}

/** One-line description of why a patch did not apply. */
export function describeFailure(patchFile: string, parsed: ReturnType<typeof parsePatchOutput>): string {
  if (parsed.failures.length > 0) {
    const parts = parsed.failures.map((f) => `${f.file} hunk #${f.hunk}${f.line === null ? '' : ` (at line ${f.line})`}`);
    return `patch ${patchFile} does not apply: ${parts.join(', ')} failed`;
  }
  if (parsed.missingFiles.length > 0) {
    return `patch ${patchFile} does not apply: file to patch not found (${parsed.missingFiles.join(', ')})`;
  }
  return `patch ${patchFile} does not apply`;
}
