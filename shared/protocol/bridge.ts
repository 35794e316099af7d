// The messages between a renderer and the core when they are not joined by Electron IPC: the
// web harness bridges the same command contract over a WebSocket on loopback (ARCHITECTURE.md
// §1). Both ends validate every message against these schemas.
import { z } from 'zod';
import { DisplayView } from '../counter/display';

/** The WebSocket subprotocol that carries the per-run token: `branchdesk.<token>`. */
export const BRIDGE_PROTOCOL_PREFIX = 'branchdesk.';
/**
 * The second subprotocol a reloaded page offers to take its session back:
 * `branchdesk-resume.<token>`, the token the core sent the page's previous connection.
 */
export const BRIDGE_RESUME_PREFIX = 'branchdesk-resume.';

export const BridgeRequest = z
  .object({
    id: z.number().int().nonnegative(),
    command: z.string().min(1).max(64),
    input: z.unknown(),
  })
  .strict();
export type BridgeRequest = z.infer<typeof BridgeRequest>;

const SerializedError = z.object({
  code: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  message: z.object({ 'zh-CN': z.string(), en: z.string() }),
});

export const BridgeResponse = z.object({
  id: z.number().int().nonnegative(),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value: z.unknown() }),
    z.object({ ok: z.literal(false), error: SerializedError }),
  ]),
});
export type BridgeResponse = z.infer<typeof BridgeResponse>;

/** What the core tells a desk without being asked: the sync state and a long sync's progress. */
export const SyncEvent = z.object({
  online: z.boolean().nullable(),
  running: z.boolean(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  progress: z.object({ pages: z.number(), done: z.number(), total: z.number() }).nullable(),
});
export type SyncEvent = z.infer<typeof SyncEvent>;

/** A resumable desk's token for taking its session back after a reload, and whether it did. */
export const ResumeEvent = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{32}$/),
  resumed: z.boolean(),
});
export type ResumeEvent = z.infer<typeof ResumeEvent>;

export const BridgeEvent = z.discriminatedUnion('event', [
  z.object({ event: z.literal('sync'), payload: SyncEvent }),
  z.object({ event: z.literal('resume'), payload: ResumeEvent }),
]);
export type BridgeEvent = z.infer<typeof BridgeEvent>;

/** `npm run dev:web` options, as typed at a shell. */
export const HarnessOptions = z
  .object({
    'data-dir': z.string().min(1).optional(),
    port: z.coerce.number().int().min(0).max(65_535).default(5874),
    'renderer-dir': z.string().min(1).optional(),
  })
  .strict();

/**
 * The customer screen's connection (客户确认屏): its own subprotocol and token, so a page holding
 * the desk's token cannot open it, nor it the desk's; what it is shown comes as `display` events.
 */
export const DISPLAY_PROTOCOL_PREFIX = 'branchdesk-display.';

export const DisplayEvent = z.object({ event: z.literal('display'), payload: DisplayView });
export type DisplayEvent = z.infer<typeof DisplayEvent>;
