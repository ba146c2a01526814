// Where the repository's own files are, whether running from src/ (tests) or dist/src/ (built).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'kernel-configs'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find the daxlab repository above ${start}`);
}

/** The repository root (holds package.json and kernel-configs/). */
export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** Config fragments shipped with daxlab. */
export const CONFIGS_DIR = join(REPO_ROOT, 'kernel-configs');
/** Guest programs and scripts. */
export const GUEST_SCRIPTS_DIR = join(REPO_ROOT, 'guest-scripts');
/** Scripts daxlab runs on remote hosts (uploaded to them). */
export const HOST_SCRIPTS_DIR = join(REPO_ROOT, 'host-scripts');
