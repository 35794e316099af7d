// Environment variables that the run's global setup (global-setup.ts) sets for the test workers.

/** A migrated PGlite HQ folder that each test HQ on a new folder starts as a copy of. */
export const HQ_TEMPLATE_VARIABLE = 'BRANCHDESK_TEST_HQ_TEMPLATE';

/** The folder of this run's bundled Node hosts (scripts/build-node.mjs). */
export const NODE_HOSTS_VARIABLE = 'BRANCHDESK_TEST_NODE_HOSTS';
