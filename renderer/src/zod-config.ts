// Zod compiles object parsers with `new Function` when it may; it probes for that on first use.
// The desk's CSP forbids eval, so the probe is a CSP violation in the console on every page:
// tell zod up front to interpret instead. Imported first by main.tsx, before any schema runs.
import { z } from 'zod';

z.config({ jitless: true });
