// The pin-race workload's parameters: the ways to pin a page, the racing
// operations, and what each operation must leave behind.
import type { ParamDef } from './types.js';

/** Bytes in a page (and a filesystem block: DAX needs block size = page size). */
export const PAGE = 4096;

/** Every pin source pinrace knows (its --pin values). */
export const PINS = ['pread', 'io_uring', 'pwrite', 'preadv', 'io_uring_write', 'aio'] as const;
/** One pin source name. */
export type PinName = (typeof PINS)[number];

/** Every racing operation pinrace knows (its --race values). */
export const RACES = ['truncate', 'punch', 'otrunc', 'zero', 'collapse', 'insert', 'clone', 'dedupe', 'scrub', 'unshare'] as const;
/** One racing operation name. */
export type RaceName = (typeof RACES)[number];

/** Per pin source: the direction of its DMA and the bytes it moves when it succeeds. */
export const PIN_INFO: Record<PinName, { io: 'read' | 'write'; bytes: number }> = {
  pread: { io: 'read', bytes: PAGE },
  io_uring: { io: 'read', bytes: PAGE },
  pwrite: { io: 'write', bytes: PAGE },
  preadv: { io: 'read', bytes: 2 * PAGE }, // an anonymous 4 KiB iovec, then the DAX page
  io_uring_write: { io: 'write', bytes: PAGE },
  aio: { io: 'read', bytes: PAGE },
};

// The data check of a call that must leave the file's content as it was.
const unchangedFailure = (after: string) =>
  `the file does not read back as it was (the pinned page with what the pin I/O left, the rest unchanged) after ${after}`;

/** Per racing operation: the call as reports name it, the size it leaves, and its data check's failure text. */
export const RACE_INFO: Record<RaceName, { call: string; sizeAfter(pages: number): number; dataFailure: string }> = {
  truncate: { call: 'ftruncate', sizeAfter: () => 0, dataFailure: '' },
  punch: {
    call: 'fallocate(PUNCH_HOLE)',
    sizeAfter: (n) => n * PAGE,
    dataFailure: 'punched range did not read back as zeros',
  },
  otrunc: { call: 'open(O_TRUNC)', sizeAfter: () => 0, dataFailure: '' },
  zero: {
    call: 'fallocate(ZERO_RANGE)',
    sizeAfter: (n) => n * PAGE,
    dataFailure: 'zeroed range did not read back as zeros',
  },
  collapse: {
    call: 'fallocate(COLLAPSE_RANGE)',
    sizeAfter: (n) => (n - Math.floor(n / 2)) * PAGE,
    dataFailure: 'data after the collapse is not the rest of the file shifted to offset 0',
  },
  insert: {
    call: 'fallocate(INSERT_RANGE)',
    sizeAfter: (n) => (n + 1) * PAGE,
    dataFailure: 'data after the insert is not a zero block followed by the whole file',
  },
  clone: {
    call: 'ioctl(FICLONERANGE)',
    sizeAfter: (n) => n * PAGE,
    dataFailure: "cloned page does not hold the source file's data (or other pages changed)",
  },
  dedupe: {
    call: 'ioctl(FIDEDUPERANGE)',
    sizeAfter: (n) => n * PAGE,
    dataFailure: 'deduped page lost its data, or fewer than 4096 bytes were deduped',
  },
  scrub: { call: 'ioctl(XFS_IOC_SCRUB_METADATA, BMBTD, IFLAG_REPAIR)', sizeAfter: (n) => n * PAGE, dataFailure: unchangedFailure('the online repair') },
  unshare: { call: 'fallocate(UNSHARE_RANGE)', sizeAfter: (n) => n * PAGE, dataFailure: unchangedFailure('the unshare') },
};

/** pin-race's parameter definitions; the defaults are the original 2 x 2 x 2 matrix. */
export const PIN_RACE_PARAMS: Record<string, ParamDef> = {
  pin: {
    values: PINS,
    default: ['pread', 'io_uring'],
    description:
      'How the page is pinned by an O_DIRECT I/O on the delay device: pread (read into the page), ' +
      'io_uring (io_uring READ), pwrite (write from the page; the device is opened O_WRONLY|O_DIRECT), ' +
      'preadv (8 KiB: an anonymous 4 KiB iovec, then the DAX page), io_uring_write (io_uring WRITE ' +
      'from the page), aio (Linux AIO io_submit READ, raw syscalls).',
  },
  race: {
    values: RACES,
    default: ['truncate', 'punch'],
    description:
      'The racing call: truncate (ftruncate 0), punch (PUNCH_HOLE|KEEP_SIZE over the file), otrunc ' +
      '(open O_TRUNC of the path), zero (ZERO_RANGE over the file), collapse (COLLAPSE_RANGE of the ' +
      'first half, whole blocks; pages >= 2), insert (INSERT_RANGE of one block at 0), clone ' +
      '(FICLONERANGE of the pinned page from a second file; xfs only), dedupe (FIDEDUPERANGE of the ' +
      'pinned page with identical content; xfs only), scrub (xfs online check and repair of the ' +
      "file's data-fork mappings, XFS_IOC_SCRUB_METADATA BMBTD with IFLAG_REPAIR; xfs only; it need not wait, " +
      'and is judged on data, size and the kernel log), unshare (UNSHARE_RANGE over the file, after a FICLONE of ' +
      'the whole file into a second file made every block shared; xfs only). See wait-table.ts for which must wait.',
  },
  index: {
    default: [0, 5],
    description:
      'Page index of the file mapping that the I/O targets; must be below pages. Useful values: 0, ' +
      '1, 511, 512, 513 (around the first 2 MiB boundary) and the last page of a file larger than ' +
      '2 MiB (pages >= 514, index = pages - 1). The seed bug only checked index 0.',
  },
  pages: {
    default: [16],
    description: 'File size in 4 KiB pages (1 to 65536); must be larger than index.',
  },
};
