// Turns plan issues into lines a person can read and jump to.
import type { PlanIssue } from './types.js';

/** One line per issue: "file:line: field: message" (line left out for command-line flags, field when empty). */
export function formatIssues(issues: readonly PlanIssue[]): string[] {
  return issues.map((issue) => {
    const where = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
    return issue.field === '' ? `${where}: ${issue.message}` : `${where}: ${issue.field}: ${issue.message}`;
  });
}
