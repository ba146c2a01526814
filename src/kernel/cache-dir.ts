// Where daxlab keeps expensive things (kernel trees, object dirs, built kernels): outside the clone.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $DAXLAB_CACHE, else $XDG_CACHE_HOME/daxlab, else ~/.cache/daxlab. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DAXLAB_CACHE) return env.DAXLAB_CACHE;
  const xdg = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'daxlab');
}

/** Layout of one source tree's working area: trees/<sourceKey>/{src,obj-<cfgKey>,build.lock}. */
export function treePaths(root: string, sourceKey: string) {
  const base = join(root, 'trees', sourceKey);
  return {
    base,
    src: join(base, 'src'),
    lock: join(base, 'build.lock'),
    obj: (configKey: string) => join(base, `obj-${configKey}`),
    kconfigScratch: join(base, 'kconfig-scratch'),
  };
}

/** Directory of one built kernel: kernels/<artifactKey>. */
export function artifactDir(root: string, artifactKey: string): string {
  return join(root, 'kernels', artifactKey);
}

/** Lock file of one built kernel, beside its directory: held shared while a daxlab uses the entry. */
export function artifactLock(root: string, artifactKey: string): string {
  return join(root, 'kernels', `${artifactKey}.lock`);
}
