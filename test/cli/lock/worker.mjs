// One contender of the lock stress test (a real process). Commands on stdin, one per line:
//   go <round>  take the lock, append "begin" and "end" lines to the journal, release, print "done"
//   hold        take the lock, append "begin", print "held" and keep the lock until killed
// argv: <dist lock module> <lock path> <journal>
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const [modulePath, lockPath, journal] = process.argv.slice(2);
const { acquireLock } = await import(pathToFileURL(modulePath).href);
const take = () => acquireLock(lockPath, { timeoutMs: 60_000 });
const note = (what, round) => appendFileSync(journal, `${what} ${process.pid} ${round}\n`);
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, round] = line.split(' ');
  if (cmd === 'go') {
    const release = await take();
    note('begin', round);
    await pause(Math.random() * 3);
    note('end', round);
    await release();
    process.stdout.write('done\n');
  } else if (cmd === 'hold') {
    await take();
    note('begin', 'victim');
    process.stdout.write('held\n');
  }
}
