// The log files a results directory holds, for links from the reports.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The log files of a results directory, relative to it: serial.log, serial.2.log, ... then build/build.log. */
export function listLogs(dir: string): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((n) => /^serial(\.\d+)?\.log$/.test(n));
  } catch {
    return [];
  }
  const num = (n: string) => Number(/^serial\.(\d+)\.log$/.exec(n)?.[1] ?? 1);
  names.sort((x, y) => num(x) - num(y));
  if (fs.existsSync(path.join(dir, 'build', 'build.log'))) names.push('build/build.log');
  return names;
}
