// Marked sections in a guest script's stdout: "DAXLAB-<KIND>-BEGIN name" ... "DAXLAB-<KIND>-END name".

/** The text between a section's marker lines, or null when either marker is missing. */
export function sectionBetween(stdout: string, kind: string, name: string): string | null {
  const lines = stdout.split('\n');
  const begin = lines.findIndex((l) => l.trim() === `DAXLAB-${kind}-BEGIN ${name}`);
  if (begin < 0) return null;
  const end = lines.findIndex((l, i) => i > begin && l.trim() === `DAXLAB-${kind}-END ${name}`);
  if (end < 0) return null;
  return lines.slice(begin + 1, end).join('\n');
}
