/** Builds the Node hosts (HQ, branchctl) into `outdir`, inside the repository; their paths. */
export function buildNodeHosts(outdir?: string): Promise<{ hq: string; branchctl: string }>;
