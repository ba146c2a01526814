import { describe, expect, it } from 'vitest';
import { describeFailure, isMbox, parsePatchOutput, patchSubject } from '../../../src/kernel/patch-diagnose.js';

// Real GNU patch 2.7.6 output: `patch -p1 --dry-run --batch --forward`, second hunk conflicting.
const DRY_RUN_HUNK2 = `checking file fs/dax.c
Hunk #2 FAILED at 27.
1 out of 2 hunks FAILED
`;

// Real output for a series touching three files: two with failing hunks, one missing.
const MULTI = `patching file fs/dax.c
Hunk #1 FAILED at 1.
Hunk #2 FAILED at 22.
2 out of 2 hunks FAILED -- saving rejects to file fs/dax.c.rej
patching file mm/gup.c
Hunk #1 FAILED at 7.
1 out of 1 hunk FAILED -- saving rejects to file mm/gup.c.rej
can't find file to patch at input line 35
Perhaps you used the wrong -p or --strip option?
The text leading up to this was:
--------------------------
|--- a/mm/missing.c
|+++ b/mm/missing.c
--------------------------
No file to patch.  Skipping patch.
1 out of 1 hunk ignored
`;

// Real output when the only file of the patch does not exist.
const MISSING_ONLY = `can't find file to patch at input line 3
Perhaps you used the wrong -p or --strip option?
The text leading up to this was:
--------------------------
|diff --git a/fs/nope.c b/fs/nope.c
|index 3b18e51..a5d4c3e 100644
|--- a/fs/nope.c
|+++ b/fs/nope.c
--------------------------
No file to patch.  Skipping patch.
1 out of 1 hunk ignored
`;

// Real output for a patch that is already in the tree.
const REVERSED = `checking file fs/dax.c
Reversed (or previously applied) patch detected!  Skipping patch.
2 out of 2 hunks ignored
`;

const FORMAT_PATCH = `From 8ac8fe8d2c1e3a8d5b0f9f54f3e1b1a7c3c2d111 Mon Sep 17 00:00:00 2001
From: Jane Dev <jane@example.org>
Date: Tue, 4 Mar 2025 10:00:00 +0100
Subject: [PATCH 1/2] fsdax: hold the page pin across truncate

Body.
---
 fs/dax.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/fs/dax.c b/fs/dax.c
`;

describe('isMbox', () => {
  it('recognizes git format-patch output', () => {
    expect(isMbox(FORMAT_PATCH)).toBe(true);
  });

  it('recognizes a mail saved with From: and Subject: headers', () => {
    expect(isMbox('From: a@b\nSubject: [PATCH] x\n\n---\n--- a/x\n+++ b/x\n')).toBe(true);
  });

  it('treats plain and git diffs as plain', () => {
    expect(isMbox('--- a/fs/dax.c\n+++ b/fs/dax.c\n@@ -1 +1 @@\n-a\n+b\n')).toBe(false);
    expect(isMbox('diff --git a/fs/dax.c b/fs/dax.c\nindex 1..2 100644\n--- a/fs/dax.c\n')).toBe(false);
  });

  it('is not fooled by From:/Subject: lines inside a hunk', () => {
    expect(isMbox('--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-From: a\n+Subject: b\n')).toBe(false);
  });
});

describe('parsePatchOutput', () => {
  it('finds the failing hunk of a dry run', () => {
    expect(parsePatchOutput(DRY_RUN_HUNK2)).toEqual({ failures: [{ file: 'fs/dax.c', hunk: 2, line: 27 }], missingFiles: [] });
  });

  it('attributes hunks to their files and names a missing file once', () => {
    expect(parsePatchOutput(MULTI)).toEqual({
      failures: [
        { file: 'fs/dax.c', hunk: 1, line: 1 },
        { file: 'fs/dax.c', hunk: 2, line: 22 },
        { file: 'mm/gup.c', hunk: 1, line: 7 },
      ],
      missingFiles: ['mm/missing.c'],
    });
  });

  it('names the missing file from the quoted header, not the previous file', () => {
    expect(parsePatchOutput(MISSING_ONLY)).toEqual({ failures: [], missingFiles: ['fs/nope.c'] });
    const after = `checking file fs/dax.c\n${MISSING_ONLY}`;
    expect(parsePatchOutput(after).missingFiles).toEqual(['fs/nope.c']);
  });

  it('uses the old name when the new one is /dev/null', () => {
    const out = "can't find file to patch at input line 3\n|--- a/fs/gone.c\n|+++ /dev/null\nNo file to patch.  Skipping patch.\n";
    expect(parsePatchOutput(out).missingFiles).toEqual(['fs/gone.c']);
  });

  it('handles quoted file names and hunks without a line', () => {
    const out = "patching file 'fs/odd name.c'\nHunk #3 FAILED\n";
    expect(parsePatchOutput(out).failures).toEqual([{ file: 'fs/odd name.c', hunk: 3, line: null }]);
  });

  it('finds nothing in a reversed-patch message', () => {
    expect(parsePatchOutput(REVERSED)).toEqual({ failures: [], missingFiles: [] });
  });
});

describe('describeFailure', () => {
  it('names patch, file, hunk and line', () => {
    expect(describeFailure('patches/fix.diff', parsePatchOutput(DRY_RUN_HUNK2))).toBe(
      'patch patches/fix.diff does not apply: fs/dax.c hunk #2 (at line 27) failed',
    );
  });

  it('lists every failing hunk', () => {
    expect(describeFailure('p', parsePatchOutput(MULTI))).toBe(
      'patch p does not apply: fs/dax.c hunk #1 (at line 1), fs/dax.c hunk #2 (at line 22), mm/gup.c hunk #1 (at line 7) failed',
    );
  });

  it('names missing files when no hunk failed', () => {
    expect(describeFailure('p', parsePatchOutput(MISSING_ONLY))).toBe('patch p does not apply: file to patch not found (fs/nope.c)');
  });

  it('falls back to a bare message', () => {
    expect(describeFailure('p', parsePatchOutput(REVERSED))).toBe('patch p does not apply');
  });
});

describe('patchSubject', () => {
  it('returns the Subject header', () => {
    expect(patchSubject(FORMAT_PATCH)).toBe('[PATCH 1/2] fsdax: hold the page pin across truncate');
  });

  it('returns null for a plain diff', () => {
    expect(patchSubject('--- a/x\n+++ b/x\n')).toBeNull();
  });
});
