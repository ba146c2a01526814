// Nightly, not CI (each kill patch is a patched build and a run with a reboot per failure, about
// 100 s): the three layout-break paths test/vm/racer-kill.test.ts leaves out of CI.
import { describe, it } from 'vitest';
import { checkKill, CI_KILLS, KILLS } from '../vm/racer-kills.js';

describe('per-path kill patches for pin-race (the paths CI does not run)', () => {
  for (const patch of Object.keys(KILLS).filter((p) => !CI_KILLS.includes(p))) {
    it(`${patch} fails exactly ${KILLS[patch]!.join(', ')}`, () => checkKill(patch));
  }
});
