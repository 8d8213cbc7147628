import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One ID read back from the arena. */
export interface ArenaRecord {
  readonly bytes: Buffer;
  readonly owner: number;
  readonly domain: number;
}

interface Block {
  readonly start: number; // first ordinal
  readonly count: number;
  readonly domain: number;
  readonly fileOffset: number; // where offsets[] begin
  readonly bytesOffset: number; // where the ID bytes begin
  readonly ownersOffset: number;
}

/**
 * Every ID appended, in order, kept on disk rather than on the heap: the memory ledger keeps
 * only fingerprints in memory and reads an ID back when two fingerprints match, to confirm a
 * duplicate exactly. The file is unlinked as soon as it is opened, so a crashed run leaves
 * nothing behind. Layout per batch: offsets (u32 × n+1), owners (u32 × n), UTF-8 bytes.
 */
export class IdArena {
  private readonly fd: number;
  private size = 0;
  private readonly blocks: Block[] = [];
  private ordinals = 0;
  private current: { block: Block; bytes: Buffer; offsets: Uint32Array; owners: Uint32Array } | undefined;

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'idgate-memory-ledger-'));
    const path = join(dir, 'arena.bin');
    this.fd = openSync(path, 'w+');
    unlinkSync(path);
    rmSync(dir, { recursive: true, force: true });
  }

  /** Appends one batch's IDs; returns the ordinal of its first ID. */
  append(domain: number, bytes: Buffer, offsets: Uint32Array, owners: Uint32Array): number {
    const count = offsets.length - 1;
    const fileOffset = this.size;
    const ownersOffset = fileOffset + offsets.byteLength;
    const bytesOffset = ownersOffset + owners.byteLength;
    this.writeAll(new Uint8Array(offsets.buffer, offsets.byteOffset, offsets.byteLength));
    this.writeAll(new Uint8Array(owners.buffer, owners.byteOffset, owners.byteLength));
    this.writeAll(bytes);
    const block: Block = { start: this.ordinals, count, domain, fileOffset, bytesOffset, ownersOffset };
    this.blocks.push(block);
    this.current = { block, bytes, offsets, owners };
    this.ordinals += count;
    return block.start;
  }

  private writeAll(data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      done += writeSync(this.fd, data, done, data.length - done, this.size + done);
    }
    this.size += data.length;
  }

  /** Reads ID number `ordinal` back. */
  read(ordinal: number): ArenaRecord {
    const cur = this.current;
    if (cur !== undefined && ordinal >= cur.block.start) {
      const i = ordinal - cur.block.start;
      return { bytes: cur.bytes.subarray(cur.offsets[i], cur.offsets[i + 1]), owner: cur.owners[i]!, domain: cur.block.domain };
    }
    const block = this.findBlock(ordinal);
    const i = ordinal - block.start;
    const head = Buffer.alloc(8);
    this.readAll(head, block.fileOffset + i * 4);
    const from = head.readUInt32LE(0);
    const to = head.readUInt32LE(4);
    const own = Buffer.alloc(4);
    this.readAll(own, block.ownersOffset + i * 4);
    const bytes = Buffer.alloc(to - from);
    this.readAll(bytes, block.bytesOffset + from);
    return { bytes, owner: own.readUInt32LE(0), domain: block.domain };
  }

  private readAll(into: Buffer, position: number): void {
    let done = 0;
    while (done < into.length) {
      const n = readSync(this.fd, into, done, into.length - done, position + done);
      if (n === 0) throw new Error(`IdArena.read: unexpected end of file at ${position + done}`);
      done += n;
    }
  }

  private findBlock(ordinal: number): Block {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.blocks[mid]!.start <= ordinal) lo = mid;
      else hi = mid - 1;
    }
    const b = this.blocks[lo];
    if (b === undefined || ordinal < b.start || ordinal >= b.start + b.count) throw new Error(`IdArena.read: no ID with ordinal ${ordinal}`);
    return b;
  }

  /** Bytes on disk. */
  get bytesOnDisk(): number {
    return this.size;
  }

  close(): void {
    closeSync(this.fd);
  }
}
