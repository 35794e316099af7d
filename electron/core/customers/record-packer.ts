// Packing a customer's JSON (its record, list item and book facts: record-codec.ts) on a worker
// thread, for a snapshot's bulk load: deflating them costs ~60 us a customer, a third of the core
// thread's work per customer of an initial sync, and the machine has a second core. The worker is
// plain JavaScript evaluated in place (as in vault/off-thread.ts), so it runs the same under tsx,
// in the bundled core and in tests. It packs exactly as `packJson` does
// (test/unit/customer/record-packer.test.ts holds them to it).
import { Worker } from 'node:worker_threads';
import { canonicalJson } from '../../../shared/sync/canonical';
import { CURRENT_PACKINGS, type PackedKind } from './record-codec';

const kinds = Object.keys(CURRENT_PACKINGS) as PackedKind[];

// The content hash (shared/sync/record-hash.ts) is worked out here too: SHA-256 of the record's
// canonical JSON, whose function is self-contained and goes in as its own source, so both
// threads spell a record the same way (the unit test holds the hashes to recordHash).
const worker = `
const { parentPort, workerData } = require('node:worker_threads');
const { deflateRawSync } = require('node:zlib');
const { createHash } = require('node:crypto');
const canonicalJson = ${canonicalJson.toString()};
const packings = workerData.packings.map(({ format, dictionary }) => ({
  format,
  dictionary: Buffer.from(dictionary),
}));
parentPort.on('message', ({ id, texts, kinds, hashed }) => {
  try {
    const hashes = hashed.map((text) =>
      createHash('sha256').update(canonicalJson(JSON.parse(text)), 'utf8').digest('hex'),
    );
    const packed = texts.map((text, index) =>
      deflateRawSync(text, { dictionary: packings[kinds[index]].dictionary }),
    );
    let size = 0;
    for (const part of packed) size += part.length + 1;
    const bytes = new Uint8Array(size);
    const ends = new Uint32Array(packed.length);
    let at = 0;
    packed.forEach((part, index) => {
      bytes[at] = packings[kinds[index]].format;
      bytes.set(part, at + 1);
      at += part.length + 1;
      ends[index] = at;
    });
    parentPort.postMessage({ id, bytes, ends, hashes }, [bytes.buffer, ends.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

interface Answer {
  id: number;
  bytes?: Uint8Array;
  ends?: Uint32Array;
  hashes?: string[];
  error?: string;
}

/** What `pack` answers: the packed texts in order, and the content hash of each hashed record. */
export interface Packed {
  packed: Buffer[];
  hashes: string[];
}

/**
 * The packer's young generation: what it allocates per request (parsed records, their canonical
 * JSON) dies with the request, so a small one is collected often and cheaply; V8's default let
 * it grow to tens of megabytes during an initial sync.
 */
export const PACKER_YOUNG_GENERATION_MB = 8;

/** A worker thread that packs records' JSON; `close` it when done. */
export class RecordPacker {
  private readonly thread: Worker;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (packed: Packed) => void; reject: (error: Error) => void }
  >();
  private failure: Error | undefined;

  constructor() {
    this.thread = new Worker(worker, {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: PACKER_YOUNG_GENERATION_MB },
      workerData: {
        packings: kinds.map((kind) => ({
          format: CURRENT_PACKINGS[kind].format,
          dictionary: new Uint8Array(CURRENT_PACKINGS[kind].dictionary),
        })),
      },
    });
    this.thread.on('message', (answer: Answer) => this.answer(answer));
    const stop = (error: Error) => {
      this.failure ??= error;
      for (const { reject } of this.waiting.values()) reject(error);
      this.waiting.clear();
    };
    this.thread.on('error', stop);
    this.thread.on('exit', (code) => stop(new Error(`the record packer stopped (exit ${code})`)));
  }

  /**
   * The packed JSON texts, in order: each as `packJson` would make it from its kind (a text
   * without one is a record); and the content hash of each record of `hashed` (JSON text), as
   * `recordHash` would make it.
   */
  pack(
    texts: readonly string[],
    textKinds?: readonly PackedKind[],
    hashed: readonly string[] = [],
  ): Promise<Packed> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const indexes = Uint8Array.from(texts, (_, at) => kinds.indexOf(textKinds?.[at] ?? 'record'));
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.thread.postMessage({ id, texts, kinds: indexes, hashed });
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the record packer is closed');
    await this.thread.terminate();
  }

  private answer({ id, bytes, ends, hashes, error }: Answer): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    if (error !== undefined || !bytes || !ends || !hashes) {
      waiter.reject(new Error(`the record packer failed: ${error ?? 'no answer'}`));
      return;
    }
    const packed: Buffer[] = [];
    let start = 0;
    for (const end of ends) {
      packed.push(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start));
      start = end;
    }
    waiter.resolve({ packed, hashes });
  }
}
