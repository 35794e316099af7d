// Starts the core in an Electron utility process and watches it: a core that stops is started
// again after a growing pause (policy.restartDelayMs); one that cannot open its vault, or keeps
// failing (six times in a row, each within a minute of starting), stops the app with a clear
// message in both languages instead of looping. A window whose core went away sees its port close
// and offers to reconnect (a reload asks the main process for a port to the new core).
import { utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import type { CoreProcessMessage } from '../../shared/protocol/desk-api';
import { MAX_CORE_RESTARTS, restartDelayMs } from './policy';

/** What a window's port is for: a desk, or the counter's customer screen. */
export type PortKind = 'desk' | 'display';

/** A core that ran this long before stopping was not failing to start. */
const STABLE_MS = 60_000;

export class CoreProcess {
  private child: UtilityProcess | undefined;
  private failures = 0;
  private stopping = false;
  private readonly waiting: { port: MessagePortMain; kind: PortKind }[] = [];
  private ready = false;
  private readyAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      entry: string;
      dataDir: string;
      idleLockMinutes?: number;
      onFatal: (message: string) => void;
    },
  ) {}

  start(): void {
    const args = ['--data-dir', this.options.dataDir];
    if (this.options.idleLockMinutes)
      args.push('--idle-lock-minutes', String(this.options.idleLockMinutes));
    const child = utilityProcess.fork(this.options.entry, args, {
      serviceName: 'BranchDesk core',
      stdio: 'inherit',
    });
    this.child = child;
    this.ready = false;
    child.on('message', (message: CoreProcessMessage) => {
      if (message.type === 'ready') {
        this.ready = true;
        this.readyAt = Date.now();
        for (const { port, kind } of this.waiting.splice(0)) this.send(port, kind);
      } else if (message.type === 'fatal') {
        // A vault that cannot open will not open on the next try either.
        this.stopping = true;
        this.options.onFatal(`${message.error.message['zh-CN']}\n${message.error.message.en}`);
      }
    });
    child.on('exit', () => {
      // A core that ran a while before stopping starts a new count; one that keeps stopping
      // soon after starting (or before it was ready) is counted towards giving up.
      if (this.ready && Date.now() - this.readyAt >= STABLE_MS) this.failures = 0;
      this.child = undefined;
      this.ready = false;
      if (this.stopping) return;
      this.failures++;
      if (this.failures > MAX_CORE_RESTARTS) {
        this.options.onFatal(
          '本机核心进程多次意外退出，请联系科技运维。\nThe core process keeps stopping; contact IT.',
        );
        return;
      }
      this.restartTimer = setTimeout(() => this.start(), restartDelayMs(this.failures));
    });
  }

  /**
   * Hands a window's port to the core (once it is ready): a desk's, or the customer screen's,
   * which the core serves only the screen's own commands.
   */
  connect(port: MessagePortMain, kind: PortKind = 'desk'): void {
    if (this.ready) this.send(port, kind);
    else this.waiting.push({ port, kind });
  }

  private send(port: MessagePortMain, kind: PortKind): void {
    this.child?.postMessage({ type: kind }, [port]);
  }

  stop(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.child?.kill();
  }
}
