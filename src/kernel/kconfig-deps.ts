// Find what a Kconfig symbol depends on, to explain why olddefconfig dropped it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Pure: the "depends on" expressions of `config NAME` in one Kconfig text, after those of the
 *  enclosing `if` / `menu` / `choice` blocks (e.g. DEV_DAX sits inside `if DAX`). Help text is skipped. */
export function dependsOnIn(kconfigText: string, name: string): string[] {
  const lines = kconfigText.replace(/\\\r?\n/g, ' ').split('\n');
  const deps: string[] = [];
  const blocks: Array<{ kind: string; deps: string[] }> = [];
  // What a `depends on` line belongs to: the named entry, an opened menu/choice, or nothing.
  let target: string[] | null = null;
  let helpIndent: number | null = null; // inside help text: its indentation (-1 until the first line)
  const indentOf = (l: string) => l.replace(/\t/g, '        ').search(/\S/);
  for (const raw of lines) {
    if (helpIndent !== null) {
      if (raw.trim() === '') continue;
      if (helpIndent === -1) helpIndent = indentOf(raw);
      if (indentOf(raw) >= helpIndent) continue;
      helpIndent = null;
    }
    const line = raw.trim().replace(/\s+/g, ' ');
    let m: RegExpExecArray | null;
    if (line === 'help' || line === '---help---') {
      helpIndent = -1;
    } else if ((m = /^(?:menu)?config (\w+)$/.exec(line))) {
      target = m[1] === name ? deps : null;
      if (target) deps.push(...blocks.flatMap((b) => b.deps));
    } else if ((m = /^if (.+)$/.exec(line))) {
      blocks.push({ kind: 'if', deps: [m[1]!.trim()] });
      target = null;
    } else if (/^(menu|choice)\b/.test(line)) {
      const block = { kind: line.startsWith('menu') ? 'menu' : 'choice', deps: [] as string[] };
      blocks.push(block);
      target = block.deps;
    } else if ((m = /^end(if|menu|choice)\b/.exec(line))) {
      const at = blocks.map((b) => b.kind).lastIndexOf(m[1]!);
      if (at >= 0) blocks.splice(at);
      target = null;
    } else if (/^(source|comment|mainmenu)\b/.test(line)) {
      target = null;
    } else if ((m = /^depends on (.+)$/.exec(line)) && target) {
      target.push(m[1]!.trim());
    }
  }
  return deps;
}

async function kconfigFiles(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'Documentation' || entry.name === 'tools') continue;
      await kconfigFiles(path, out);
    } else if (entry.name.startsWith('Kconfig')) {
      out.push(path);
    }
  }
}

/** Look up the dependencies of each symbol (without the CONFIG_ prefix) in a source tree. */
export async function findKconfigDeps(srcDir: string, symbols: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(symbols.map((s) => [s, []]));
  const files: string[] = [];
  await kconfigFiles(srcDir, files);
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const symbol of symbols) {
      if (!text.includes(symbol)) continue;
      result.get(symbol)!.push(...dependsOnIn(text, symbol));
    }
  }
  return result;
}
