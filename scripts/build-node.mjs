#!/usr/bin/env node
// The Node hosts bundled with esbuild: `hq.mjs` (hq/main.ts) and `branchctl.mjs` (the core's
// command line), each one file of our code plus shared chunks, with the packages in node_modules
// left as imports. Run from TypeScript through tsx, each process spends ~0.5 s (more on a busy
// machine) resolving and loading some three hundred modules through tsx's loader; bundled, it
// loads a handful. The test run builds them once (test/support/global-setup.ts) and starts every
// HQ and branchctl from them. `bundleScripts` does the same for any script (the sync bench's
// client runs bundled, as the core runs in the app, so that its memory is the product's).
//
//   node scripts/build-node.mjs [OUTDIR]     (default out/node)
//
// OUTDIR must be inside the repository, so that the bundles find node_modules. Sources that use
// `import.meta.url` to find a file beside them (HQ's migrations folder) are rewritten to resolve
// from the bundle to the same file, so the bundle works wherever OUTDIR is in the tree.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A launcher's body for a module that runs when loaded. */
const loading = (path) => `await import(${path});`;

/** The hosts: a name and the module it runs; source maps are on before anything loads. */
const hosts = {
  hq: { module: 'hq/main.ts', run: loading },
  branchctl: {
    module: 'electron/core/hosts/cli/main.ts',
    run: (name) =>
      `const { main } = await import(${name});\nprocess.exitCode = await main(process.argv.slice(2));`,
  },
};

/** Each source's `import.meta.url` as the URL of that source, reached from the bundle. */
function importMetaFrom(outdir) {
  return {
    name: 'import-meta-of-source',
    setup(builder) {
      builder.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)/.test(text))
          throw new Error(`${args.path}: use import.meta.url, which the bundle rewrites`);
        const source = relative(outdir, args.path).split('\\').join('/');
        return {
          contents: text.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(source)}, import.meta.url).href`,
          ),
          loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        };
      });
    },
  };
}

/** The launchers: tiny entries that turn source maps on, then load the module. */
function launchers(entries) {
  return {
    name: 'launchers',
    setup(builder) {
      builder.onResolve({ filter: /^launcher:/ }, (args) => ({
        path: args.path.slice('launcher:'.length),
        namespace: 'launcher',
      }));
      builder.onLoad({ filter: /.*/, namespace: 'launcher' }, (args) => {
        const entry = entries[args.path];
        return {
          contents: `process.setSourceMapsEnabled(true);\n${entry.run(JSON.stringify(join(root, entry.module)))}\n`,
          resolveDir: root,
          loader: 'js',
        };
      });
    },
  };
}

/** Bundles `entries` (name: { module, run }) into `outdir`, inside the repository. */
async function bundle(entries, outdir) {
  const target = isAbsolute(outdir) ? outdir : resolve(root, outdir);
  if (relative(root, target).startsWith('..'))
    throw new Error(`${target} is outside the repository: the bundles would not find node_modules`);
  await build({
    entryPoints: Object.keys(entries).map((name) => ({ in: `launcher:${name}`, out: name })),
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: target,
    outExtension: { '.js': '.mjs' },
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [launchers(entries), importMetaFrom(target)],
  });
  return target;
}

/** Builds the Node hosts into `outdir` (absolute, or relative to the repository). */
export async function buildNodeHosts(outdir = 'out/node') {
  const target = await bundle(hosts, outdir);
  return { hq: join(target, 'hq.mjs'), branchctl: join(target, 'branchctl.mjs') };
}

/**
 * Bundles scripts that run when loaded (name: path from the repository's root) into `outdir`;
 * the path of each bundle, by name.
 */
export async function bundleScripts(scripts, outdir) {
  const entries = Object.fromEntries(
    Object.entries(scripts).map(([name, module]) => [name, { module, run: loading }]),
  );
  const target = await bundle(entries, outdir);
  return Object.fromEntries(
    Object.keys(scripts).map((name) => [name, join(target, `${name}.mjs`)]),
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildNodeHosts(process.argv[2]);
  console.log(`built ${relative(root, built.hq)} and ${relative(root, built.branchctl)}`);
}
