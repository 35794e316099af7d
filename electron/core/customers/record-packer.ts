// Packing records (record-codec.ts) on a worker thread, for a snapshot's bulk load: deflating a
// record costs ~50 us, about a third of the core thread's work per customer of an initial sync,
// and the machine has a second core. The worker is plain JavaScript evaluated in place (as in
// vault/off-thread.ts), so it runs the same under tsx, in the bundled core and in tests. It
// packs exactly as `packRecord` does (test/unit/customer/record-packer.test.ts holds them to it).
import { Worker } from 'node:worker_threads';
import { CURRENT_PACKING } from './record-codec';

const worker = `
const { parentPort, workerData } = require('node:worker_threads');
const { deflateRawSync } = require('node:zlib');
const dictionary = Buffer.from(workerData.dictionary);
parentPort.on('message', ({ id, texts }) => {
  try {
    const packed = texts.map((text) => deflateRawSync(text, { dictionary }));
    let size = 0;
    for (const part of packed) size += part.length + 1;
    const bytes = new Uint8Array(size);
    const ends = new Uint32Array(packed.length);
    let at = 0;
    packed.forEach((part, index) => {
      bytes[at] = workerData.format;
      bytes.set(part, at + 1);
      at += part.length + 1;
      ends[index] = at;
    });
    parentPort.postMessage({ id, bytes, ends }, [bytes.buffer, ends.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message) });
  }
});
`;

interface Answer {
  id: number;
  bytes?: Uint8Array;
  ends?: Uint32Array;
  error?: string;
}

/** A worker thread that packs records' JSON; `close` it when done. */
export class RecordPacker {
  private readonly thread: Worker;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (packed: Buffer[]) => void; reject: (error: Error) => void }
  >();
  private failure: Error | undefined;

  constructor() {
    this.thread = new Worker(worker, {
      eval: true,
      workerData: {
        format: CURRENT_PACKING.format,
        dictionary: new Uint8Array(CURRENT_PACKING.dictionary),
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

  /** The packed records, in order: each as `packRecord` would make it from its JSON. */
  pack(texts: readonly string[]): Promise<Buffer[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.thread.postMessage({ id, texts });
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the record packer is closed');
    await this.thread.terminate();
  }

  private answer({ id, bytes, ends, error }: Answer): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    if (error !== undefined || !bytes || !ends) {
      waiter.reject(new Error(`the record packer failed: ${error ?? 'no answer'}`));
      return;
    }
    const packed: Buffer[] = [];
    let start = 0;
    for (const end of ends) {
      packed.push(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start));
      start = end;
    }
    waiter.resolve(packed);
  }
}
