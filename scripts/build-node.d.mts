/** Builds the Node hosts (HQ, branchctl) into `outdir`, inside the repository; their paths. */
export function buildNodeHosts(outdir?: string): Promise<{ hq: string; branchctl: string }>;

/** Bundles scripts that run when loaded (name: path from the repository) into `outdir`. */
export function bundleScripts<Name extends string>(
  scripts: Record<Name, string>,
  outdir: string,
): Promise<Record<Name, string>>;
