// The HQ service as a real process over HTTP on loopback, and its admin commands.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http from 'node:http';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { hqArgs } from './node-hosts';
import { freePort } from './postgres';
import { credentialsIn, waitingTotpCodes } from './staff';
import { HQ_TEMPLATE_VARIABLE } from './variables';

export interface HqEnv {
  /** Set for PostgreSQL; otherwise PGlite in dataDir. */
  databaseUrl?: string;
  dataDir: string;
  /** More environment for HQ (its sign-in policy: HQ_AUDIT_RETENTION_DAYS, …). */
  extraEnv?: Record<string, string>;
}

/**
 * A new PGlite folder starts as a copy of the run's migrated template (global-setup.ts) when
 * there is one (under vitest; benches migrate as HQ does). BRANCHDESK_NO_TEMPLATE=1 turns the
 * copy off, to measure what it saves or to have every HQ migrate its own folder again.
 */
function fromTemplate(hq: HqEnv) {
  const template = process.env[HQ_TEMPLATE_VARIABLE];
  if (hq.databaseUrl || !template || process.env.BRANCHDESK_NO_TEMPLATE) return;
  if (existsSync(hq.dataDir) && readdirSync(hq.dataDir).length > 0) return;
  cpSync(template, hq.dataDir, { recursive: true });
}

function env(hq: HqEnv): NodeJS.ProcessEnv {
  fromTemplate(hq);
  const result: NodeJS.ProcessEnv = {
    ...process.env,
    HQ_DATA_DIR: hq.dataDir,
    HQ_LOG_LEVEL: 'info',
    LANG: 'en_US.UTF-8',
    ...hq.extraEnv,
  };
  delete result.HQ_ADMIN_TOKEN;
  if (hq.databaseUrl) result.DATABASE_URL = hq.databaseUrl;
  else delete result.DATABASE_URL;
  return result;
}

/**
 * HQ's console. On PGlite a serving HQ runs the command itself (hq/console-socket.ts); with no
 * HQ serving the folder, the console opens it. `cwd` and `env` are the console's own.
 */
export function hqCommand(
  hq: HqEnv,
  args: string[],
  /** `timeoutMs`: 5 minutes unless given (a benchmark's seed of a million takes longer). */
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
) {
  const run = spawnSync(process.execPath, [...hqArgs(), ...args], {
    env: { ...env(hq), ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * `hqCommand` without stopping this process meanwhile. `hqCommand` blocks the event loop for the
 * whole run (seconds on a loaded machine): a server in this process (a test's load balancer)
 * then neither reads its idle keep-alive connections nor closes them, and when the loop resumes
 * its overdue idle timer closes one that a request was just written to, unread: the client sees
 * ECONNRESET. Use this one while such a server is up.
 */
export function hqCommandInBackground(
  hq: HqEnv,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...hqArgs(), ...args], {
      env: env(hq),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export interface RunningHq {
  url: string;
  pid: number;
  /** Everything the process printed: what its logs hold. */
  output(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/** Starts HQ on `port` (a restart keeps its address: enrolled devices remember it), or a free one. */
export async function startHq(
  hq: HqEnv,
  options: { port?: number; args?: string[]; nodeArgs?: string[] } = {},
): Promise<RunningHq> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...hqArgs(),
      'serve',
      '--port',
      String(port),
      ...(options.args ?? []),
    ],
    {
      env: env(hq),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('HQ listening on')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`HQ did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Whether HQ has to stop while a test opens its database itself: PGlite lets one process at a
 * time open a data folder; on PostgreSQL HQ keeps serving meanwhile, as in a bank. HQ's console
 * needs no stop: a serving HQ runs its commands (hq/console-socket.ts).
 */
export const oneProcessAtATime = (hq: HqEnv) => !hq.databaseUrl;

/** A member of HQ staff as `hq-user add` made them: what they sign in with. */
export interface HqAccount {
  username: string;
  password: string;
  totpSecret: string;
}

/**
 * Adds a member of HQ staff (an HQ administrator unless told) with HQ's CLI, as the OS operator
 * at HQ's console. On PGlite, run it while HQ is stopped: the CLI and the service share the
 * data folder's lock.
 */
export function addHqUser(hq: HqEnv, username = 'hq-admin', roles: string = 'hq_admin'): HqAccount {
  const added = hqCommand(hq, [
    'hq-user',
    'add',
    '--username',
    username,
    '--name',
    'HQ staff',
    '--roles',
    roles,
  ]);
  if (added.status !== 0) throw new Error(`hq-user add failed:\n${added.stderr}`);
  return { username, ...credentialsIn(added.stdout) };
}

/**
 * Adds a member of branch staff with HQ's CLI, as the OS operator at HQ's console (on PGlite,
 * while HQ is stopped), and returns the credentials the console printed once.
 */
export function addBranchStaff(
  hq: HqEnv,
  username: string,
  options: { roles: string; branch?: string; name?: string },
): { password: string; totpSecret: string } {
  const added = hqCommand(hq, [
    'user',
    'add',
    '--username',
    username,
    '--name',
    options.name ?? username,
    '--roles',
    options.roles,
    ...(options.branch ? ['--branch', options.branch] : []),
  ]);
  if (added.status !== 0) throw new Error(`user add ${username} failed:\n${added.stderr}`);
  return credentialsIn(added.stdout);
}

/** Each account's codes and its one admin session: a code is good once, so sign in once. */
const accounts = new WeakMap<
  HqAccount,
  { code: () => Promise<string>; session?: Promise<string> }
>();
const accountState = (account: HqAccount) => {
  let state = accounts.get(account);
  if (!state) accounts.set(account, (state = { code: waitingTotpCodes(account.totpSecret) }));
  return state;
};

/** Signs in at HQ's admin API (a new session each time); the bearer token. */
export async function signInHq(url: string, account: HqAccount): Promise<string> {
  const response = await fetch(`${url}/v1/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: account.username,
      password: account.password,
      totp: await accountState(account).code(),
    }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || !body.accessToken)
    throw new Error(`HQ sign-in: ${response.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/**
 * HQ staff's API over HTTP: edits at HQ, reassignments, and reading what HQ holds, as a signed-in
 * HQ user (the account's one session, opened at its first call; the account may be given late,
 * as a function), or with a bearer token.
 */
export function hqAdmin(url: () => string, as: HqAccount | string | (() => HqAccount)) {
  const bearer = () => {
    const who = typeof as === 'function' ? as() : as;
    if (typeof who === 'string') return Promise.resolve(who);
    const state = accountState(who);
    return (state.session ??= signInHq(url(), who));
  };
  /**
   * A session that expired (a long run outlives HQ's session lifetime): the account signs in
   * again, once, and the call is made again.
   */
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const who = typeof as === 'function' ? as() : as;
    const used = typeof who === 'string' ? undefined : accountState(who).session;
    try {
      return await send<T>(method, path, body);
    } catch (error) {
      if (typeof who === 'string' || !/: 401 .*ADMIN_UNAUTHENTICATED/.test(String(error)))
        throw error;
      // Calls that failed together sign in once: only the session that failed is dropped.
      const state = accountState(who);
      if (state.session === used) state.session = undefined;
      return send<T>(method, path, body);
    }
  }
  // A fresh connection per call (no keep-alive): a reused idle socket that HQ was closing at
  // that moment failed a call now and then ("other side closed").
  async function send<T>(method: string, path: string, body?: unknown) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const authorization = `Bearer ${await bearer()}`;
    return new Promise<T>((resolve, reject) => {
      const request = http.request(
        `${url()}${path}`,
        {
          method,
          agent: false,
          headers: {
            authorization,
            ...(payload === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(JSON.parse(text) as T);
            else reject(new Error(`${method} ${path}: ${status} ${text}`));
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }
  type Scope = {
    customers: { customerId: string; version: number; customer: Record<string, unknown> }[];
  };
  return {
    call,
    /** The bearer token this client acts with (signing in first if it has not yet). */
    token: bearer,
    edit: (id: string, changes: Record<string, unknown>) =>
      call<{ version: number; customer: Record<string, unknown> }>(
        'POST',
        `/v1/admin/customers/${id}/edit`,
        { changes },
      ),
    reassign: (id: string, branchId: string, rmId: string | null) =>
      call('POST', `/v1/admin/customers/${id}/reassign`, { branchId, rmId }),
    scope: async (branchId: string) =>
      new Map(
        (await call<Scope>('GET', `/v1/admin/branches/${branchId}/scope`)).customers.map(
          (entry) => [entry.customerId, entry],
        ),
      ),
    history: (id: string) =>
      call<{ entries: { field: string; value: unknown; source: string }[] }>(
        'GET',
        `/v1/admin/customers/${id}/history`,
      ),
    mutations: (ids: string[]) =>
      call<{ mutations: { deviceId: string; outcome: Record<string, unknown> }[] }>(
        'POST',
        '/v1/admin/mutations/lookup',
        { ids },
      ),
  };
}

/** A fresh Ed25519 audit key pair, as a device makes at enrollment. */
export function auditKeyPair(chain: string = randomUUID()) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    chain,
    privateKey,
    enrollBody: {
      publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      chain,
    },
  };
}
