// Path and name rules shared by the plan parser and the CLI overrides.
import { join, resolve } from 'node:path';
import type { PlanContext } from './types.js';

/** A config reference with no slash and no dot names a fragment in kernel-configs/. */
const BARE_CONFIG_NAME = /^[A-Za-z0-9_-]+$/;

/** Debian policy for package names: lower case, digits, + - and dots, starting alphanumeric. */
const DEBIAN_PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/** Resolves a config reference: a bare name -> <configsDir>/<name>.config, else a path from baseDir. */
export function resolveConfigRef(ref: string, ctx: Pick<PlanContext, 'baseDir' | 'configsDir'>): string {
  return BARE_CONFIG_NAME.test(ref) ? join(ctx.configsDir, `${ref}.config`) : resolve(ctx.baseDir, ref);
}

/** A message when a config reference does not name an existing file, else undefined. */
export function missingConfigMessage(ref: string, ctx: PlanContext): string | undefined {
  const path = resolveConfigRef(ref, ctx);
  if (ctx.fileExists(path)) return undefined;
  return BARE_CONFIG_NAME.test(ref)
    ? `config fragment '${ref}' not found: ${path}`
    : `config fragment not found: ${path}`;
}

/** Resolves a path given relative to baseDir (absolute paths stay as they are). */
export function resolveFrom(ctx: Pick<PlanContext, 'baseDir'>, path: string): string {
  return resolve(ctx.baseDir, path);
}

/** A message when a Debian package name is malformed, else undefined. */
export function badPackageMessage(name: string): string | undefined {
  return DEBIAN_PACKAGE_NAME.test(name) ? undefined : `'${name}' is not a valid Debian package name`;
}

/** A message when a git ref could be mistaken for an option or is malformed, else undefined. */
export function badGitRefMessage(ref: string): string | undefined {
  if (ref.startsWith('-')) return `git ref '${ref}' must not start with '-'`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(ref)) return `git ref '${ref}' must not contain spaces or control characters`;
  return undefined;
}

/** Resolves a tool path: a bare command name stays for PATH lookup, anything with a slash resolves from baseDir. */
export function resolveToolPath(ctx: Pick<PlanContext, 'baseDir'>, tool: string): string {
  return tool.includes('/') ? resolve(ctx.baseDir, tool) : tool;
}
