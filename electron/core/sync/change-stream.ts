// HQ tells the device when something changed for its branch (GET /v1/events, Server-Sent Events
// through the `eventsource` package): the device then syncs at once, instead of at its next
// minute. The stream carries no data, only nudges, so nothing it says is trusted: every change
// still comes by the pull, with all its checks. When the stream cannot be had (an HQ from before
// streams, a proxy that buffers, HQ down), the scheduler's polling goes on as before and the
// stream is tried again after a backoff.
import { EventSource } from 'eventsource';
import { backoffDelay, type BackoffPolicy } from '../../../shared/sync/backoff';
import { parseHqUrl } from '../hq-client/client';
import { log } from '../log';

/**
 * A nudge is acted on after a random moment up to this long: every desk of a branch is told at
 * once, and spread out they ask HQ one after another (the first one's scope digest serves the
 * rest, HQ migration 27) instead of all in the same millisecond.
 */
export const NUDGE_SPREAD_MS = 300;

/** After a stream fails for good (not a dropped connection, which EventSource retries itself). */
export const streamBackoff: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000 };

export class ChangeStream {
  private source: EventSource | undefined;
  private retry: NodeJS.Timeout | undefined;
  private nudge: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;
  /** Whether HQ's stream is open now (for IT's screen and the tests). */
  connected = false;

  constructor(
    private readonly hqUrl: string,
    private readonly authorization: string,
    /** Runs at each nudge, and as the stream opens (what changed before it is not told again). */
    private readonly onChange: () => void,
    private readonly options: { backoff?: BackoffPolicy; random?: () => number } = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    clearTimeout(this.nudge);
    this.nudge = undefined;
    this.source?.close();
    this.source = undefined;
    this.connected = false;
  }

  private open(): void {
    if (this.stopped) return;
    const authorization = this.authorization;
    const source = new EventSource(new URL('v1/events', parseHqUrl(this.hqUrl)), {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          // Only HQ's own answer: a redirect could lead off HQ's origin with the credential.
          redirect: 'error',
          headers: { ...init.headers, authorization },
        }),
    });
    this.source = source;
    let errorsSinceReady = 0;
    // Both spread out: a stream opens at the same moment as the rest of the branch's (an HQ
    // instance restarted), and a change is told to all of them at once.
    source.addEventListener('ready', () => {
      this.connected = true;
      this.failures = 0;
      errorsSinceReady = 0;
      this.spreadNudge();
    });
    source.addEventListener('change', () => this.spreadNudge());
    source.addEventListener('error', () => {
      this.connected = false;
      errorsSinceReady++;
      // CONNECTING: EventSource retries by itself, every few seconds (HQ ended the stream, or
      // the network blinked); after three tries without the stream opening, HQ is down or
      // refuses: then, as when CLOSED (not 200 text/event-stream), try again after a backoff,
      // polling meanwhile.
      if (this.stopped) return;
      if (source.readyState !== EventSource.CLOSED && errorsSinceReady < 3) return;
      source.close();
      this.failures++;
      const delay = backoffDelay(
        this.failures,
        (this.options.random ?? Math.random)(),
        this.options.backoff ?? streamBackoff,
      );
      log('info', 'sync.stream_retry', { failures: this.failures, delay });
      this.retry = setTimeout(() => this.open(), delay);
    });
  }

  /** Acts on a nudge after a random moment up to NUDGE_SPREAD_MS; nudges meanwhile join it. */
  private spreadNudge(): void {
    if (this.nudge) return;
    this.nudge = setTimeout(
      () => {
        this.nudge = undefined;
        if (!this.stopped) this.onChange();
      },
      (this.options.random ?? Math.random)() * NUDGE_SPREAD_MS,
    );
  }
}
