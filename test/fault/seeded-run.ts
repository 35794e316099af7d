// Sync under faults, over many seeds (see simulation.ts). `npm test` runs 200, in two files that
// the two test workers run side by side (sync-faults-a and -b: the first and second half of the
// seeds); `npm run test:fault -- --seeds N` runs more, and `-- --seed S` replays one.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHqUser, hqAdmin, hqCommand, startHq, type HqEnv, type RunningHq } from '../support/hq';
import { profileSandbox, realSecretStore, releaseKeychainConnections } from '../support/keyring';
import { startFaultProxy, type Fault, type FaultProxy, type FaultRequest } from './net-proxy';
import { pgliteBackups } from './hq-restore';
import { runSimulation, type SimulationWorld } from './simulation';

/**
 * The seeds of one part of the run: the run's seeds (BRANCHDESK_FAULT_SEEDS from
 * BRANCHDESK_FAULT_FIRST_SEED, or the one BRANCHDESK_FAULT_SEED, which part 0 replays) cut into
 * `parts` runs of consecutive seeds. Consecutive, not dealt in turn: HQ restarts (every 12th
 * seed) and kills (every 6th) then fall evenly into each part.
 */
export function seedsOfPart(part: number, parts: number): number[] {
  const only = process.env.BRANCHDESK_FAULT_SEED;
  if (only) return part === 0 ? [Number(only)] : [];
  const first = Number(process.env.BRANCHDESK_FAULT_FIRST_SEED ?? 1);
  const total = Number(process.env.BRANCHDESK_FAULT_SEEDS ?? 200);
  const size = Math.ceil(total / parts);
  const start = part * size;
  return Array.from(
    { length: Math.max(0, Math.min(size, total - start)) },
    (_, index) => first + start + index,
  );
}

/** The simulation over `seeds`, against one HQ of its own behind one fault proxy. */
export function describeFaultSeeds(seeds: number[]) {
  describe.skipIf(seeds.length === 0)('sync under faults: a seeded simulation', () => {
    const secrets = realSecretStore();
    const sandbox = profileSandbox(secrets);
    let hq: HqEnv;
    let server: RunningHq | undefined;
    let port = 0;
    let proxy: FaultProxy;
    let network: (request: FaultRequest) => Fault = () => 'pass';
    let world: SimulationWorld;

    beforeAll(async () => {
      hq = { dataDir: join(sandbox.path, 'hq') };
      expect(hqCommand(hq, ['migrate']).status).toBe(0);
      const account = addHqUser(hq);
      const second = addHqUser(hq, 'hq-admin2');
      server = await startHq(hq);
      port = Number(new URL(server.url).port);
      proxy = await startFaultProxy({ target: server.url, decide: (request) => network(request) });
      world = {
        admin: hqAdmin(() => server!.url, account),
        approver: hqAdmin(() => server!.url, second),
        proxyUrl: proxy.url,
        setNetwork: (decide) => (network = decide),
        stopHq: async () => {
          await server?.stop();
          server = undefined;
        },
        startHq: async () => {
          server = await startHq(hq, { port });
        },
        backups: pgliteBackups(hq, join(sandbox.path, 'hq-backup')),
        secrets,
        workDir: sandbox.path,
        // Each seed wipes its own devices (keys out of the keychain, then files), so the sandbox
        // has no hundreds of keys to delete at the end.
        forget: () => {},
      };
    }, 120_000);

    const totals: Record<string, number> = {};
    afterAll(async () => {
      const faults = proxy?.stats();
      console.log(
        `${seeds.length} seeds: ${JSON.stringify(totals)}; network faults ${JSON.stringify(faults)}; open files ${readdirSync('/proc/self/fd').length}`,
      );
      await proxy?.close();
      await server?.stop();
      sandbox.cleanup();
    });

    it.for(seeds)(
      'seed %i: every replica converges and no acknowledged edit is lost',
      // A seed with HQ stopped, restarted and perhaps restored starts HQ up to three times.
      { timeout: 180_000 },
      async (seed) => {
        // Process starts are the slow part: a child may be killed in every 6th seed and HQ
        // restarted in every 12th. A replayed seed runs exactly as it did in the long run, so
        // that its failure comes back (the draws of every step depend on which operations exist).
        const report = await runSimulation(world, {
          seed,
          kills: seed % 6 === 0,
          hqRestarts: seed % 12 === 0,
        });
        releaseKeychainConnections();
        for (const [key, value] of Object.entries(report.stats))
          totals[key] = (totals[key] ?? 0) + value;
        const replay = `replay: npm run test:fault -- --seed ${seed}`;
        if (process.env.BRANCHDESK_FAULT_VERBOSE)
          console.log(`seed ${seed}\n${report.trace.join('\n')}\n${JSON.stringify(report.stats)}`);
        expect(
          report.violations,
          `${replay}\n${report.trace.join('\n')}\n${JSON.stringify(report.stats)}`,
        ).toEqual([]);
      },
    );
  });
}
