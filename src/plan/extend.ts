// Pure: a plan that extends another (`extends: catalogue.yaml`): the base's top-level keys, each
// replaced by the extending plan's own (a key is replaced whole, never merged inside).
import { parseDocument, stringify } from 'yaml';

/** The `extends` value of a plan text, or null when it has none (or is not a mapping). */
export function extendsOf(text: string): string | null {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return null;
  const js: unknown = doc.toJS();
  if (!js || typeof js !== 'object' || Array.isArray(js)) return null;
  const v = (js as Record<string, unknown>).extends;
  return typeof v === 'string' ? v : null;
}

/** The plan text of `text` over `baseText`: top-level keys of text win; `extends` itself is dropped. */
export function mergePlanTexts(baseText: string, text: string): string {
  const base = (parseDocument(baseText).toJS() ?? {}) as Record<string, unknown>;
  const own = (parseDocument(text).toJS() ?? {}) as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base, ...own };
  delete merged.extends;
  return stringify(merged);
}
