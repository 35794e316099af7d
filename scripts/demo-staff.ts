// The demo staff `npm run hq -- seed --seed 2026` made, with their passwords and the TOTP code
// an authenticator app would show now (the demo has no phones). `--user NAME` prints one code.
// Synthetic credentials for the demo only: they are derived from the seed.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { demoUsers } from '../hq/seed';
import { Username } from '../shared/auth/staff';
import { totpAt } from '../shared/auth/totp';

const Options = z.object({
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  user: Username.optional(),
});
const parsed = Options.safeParse(
  parseArgs({ options: { seed: { type: 'string', default: '2026' }, user: { type: 'string' } } })
    .values,
);
if (!parsed.success) {
  console.error('usage: npm run demo:staff -- [--seed S] | npm run demo:totp -- USERNAME');
  process.exit(2);
}
const values = parsed.data;
const users = demoUsers(values.seed);
if (values.user) {
  const user = users.find((candidate) => candidate.username === values.user);
  if (!user) {
    console.error(`no demo user ${values.user}: ${users.map((u) => u.username).join(', ')}`);
    process.exit(2);
  }
  console.log(totpAt(user.totpSecret, Date.now()));
} else {
  for (const user of users)
    console.log(
      `  ${user.username.padEnd(12)} ${user.roles.join(',').padEnd(21)} password ${user.password}   code now ${totpAt(user.totpSecret, Date.now())}`,
    );
}
