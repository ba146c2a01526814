// Pure: the byte ranges the busy-range workload asks dax_layout_busy_page_range() about, around
// one referenced page, and what a correct kernel answers for each.
//
// The contract (fs/dax.c): the scan visits the DAX entries of pages start>>PAGE_SHIFT through
// end>>PAGE_SHIFT (end inclusive; LLONG_MAX means to the end of the file), first unmapping those
// pages from every user page table, and returns a page with elevated references when an entry it
// visits holds one. An entry is one page (PTE-mapped) or 512 (PMD-mapped), and the scan sees
// a whole entry when the range touches any page of it.

export const PAGE = 4096;
/** Pages in a PMD entry (2 MiB on x86_64). */
export const PMD_PAGES = 512;

/** One range: first and last byte, inclusive; 'max' is LLONG_MAX. */
export interface ByteRange {
  start: number;
  end: number | 'max';
}

/** Pure: "START:END" as busyrange takes it. */
export function rangeArg(r: ByteRange): string {
  return `${r.start}:${r.end}`;
}

/** Pure: "[0, LLONG_MAX]", "[20480, 24575]" for reports. */
export function rangeText(r: ByteRange): string {
  return `[${r.start}, ${r.end === 'max' ? 'LLONG_MAX' : r.end}]`;
}

/**
 * Pure: every boundary around page `index` of a file of `pages` pages: the page alone and its
 * first and last byte, ranges that end one byte before it or on its first byte, that start on its
 * last byte or one byte after it, open ranges to LLONG_MAX, its neighbours, ranges straddling
 * each edge, its 2 MiB window and the windows on either side, and the whole file by size.
 */
export function busyRanges(index: number, pages: number): ByteRange[] {
  const b = index * PAGE;
  const last = b + PAGE - 1;
  const w = Math.floor(b / (PMD_PAGES * PAGE)) * PMD_PAGES * PAGE;
  const W = PMD_PAGES * PAGE;
  const all: ByteRange[] = [
    { start: 0, end: 'max' },
    { start: b, end: b },
    { start: last, end: last },
    { start: b, end: last },
    { start: 0, end: b - 1 },
    { start: 0, end: b },
    { start: last + 1, end: 'max' },
    { start: last, end: 'max' },
    { start: b - PAGE, end: b - 1 },
    { start: last + 1, end: last + PAGE },
    { start: b - 1, end: b },
    { start: last, end: last + 1 },
    { start: w, end: w + W - 1 },
    { start: w - W, end: w - 1 },
    { start: w + W, end: w + 2 * W - 1 },
    { start: 0, end: pages * PAGE - 1 },
  ];
  const seen = new Set<string>();
  return all.filter((r) => {
    const key = rangeArg(r);
    const valid = r.start >= 0 && (r.end === 'max' || r.end >= r.start);
    if (!valid || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Pure: the pages the scan of r visits in a file of `pages` pages, widened to whole entries. */
export function scannedPages(r: ByteRange, pages: number, entryPages: number): [first: number, last: number] | null {
  const first = Math.floor(r.start / PAGE);
  const lastByPage = r.end === 'max' ? pages - 1 : Math.min(Math.floor(r.end / PAGE), pages - 1);
  if (first > lastByPage) return null;
  const lo = Math.floor(first / entryPages) * entryPages;
  const hi = Math.min(Math.floor(lastByPage / entryPages) * entryPages + entryPages - 1, pages - 1);
  return [lo, hi];
}

/** Pure: whether a correct scan of r finds page `index` busy (r reaches its entry). */
export function expectBusy(r: ByteRange, index: number, pages: number, entryPages: number): boolean {
  const s = scannedPages(r, pages, entryPages);
  return s !== null && s[0] <= index && index <= s[1];
}

/**
 * Pure: the entry size the mapping had, from the minor faults of touching all its pages once:
 * about one per page with PTEs, about one or two per 2 MiB with PMDs.
 */
export function entryPagesFrom(mapFaults: number, pages: number): number {
  return pages >= PMD_PAGES && mapFaults >= 0 && mapFaults * 64 < pages ? PMD_PAGES : 1;
}
