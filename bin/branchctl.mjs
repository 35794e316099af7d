#!/usr/bin/env node
// branchctl launcher: the core is TypeScript run directly on Node through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/core/hosts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
