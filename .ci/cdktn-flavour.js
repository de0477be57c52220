// The CDK Terrain (cdktn) flavour of the compiled package, from the one source tree: the cdktf flavour's dist/ with
// its module specifiers rewritten — `cdktf` → `cdktn`, `@cdktf/provider-{azurerm,databricks}/lib/…` →
// `@cdktn/provider-…/lib/…`. `@cdktf/provider-azuread` is left as it is: CDK Terrain has no azuread package, so the one
// feature that needs it (Entra group creation) fails at synth with a clear error (lib/identity/azuread-bindings.ts).
const { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require("fs");
const { join } = require("path");

const REWRITES = [
  [/(["'])cdktf\1/g, "$1cdktn$1"],
  [/(["'])@cdktf\/provider-(azurerm|databricks)\//g, "$1@cdktn/provider-$2/"],
];

/** One file's text in the cdktn flavour. */
function rewrite(text) {
  return REWRITES.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/** Copies `from` (a compiled dist/) to `to`, rewriting .js and .d.ts; returns how many files changed. */
function emitFlavour(from, to) {
  rmSync(to, { recursive: true, force: true });
  let changed = 0;
  const walk = (src, dst) => {
    mkdirSync(dst, { recursive: true });
    for (const name of readdirSync(src)) {
      const s = join(src, name);
      const d = join(dst, name);
      if (statSync(s).isDirectory()) walk(s, d);
      else if (/\.(js|d\.ts)$/.test(name)) {
        const text = readFileSync(s, "utf8");
        const next = rewrite(text);
        if (next !== text) changed++;
        writeFileSync(d, next);
      } else cpSync(s, d);
    }
  };
  walk(from, to);
  return changed;
}

/** The constructs version the cdktn cell tests with (cdktn 0.24.0 wants >=10.6.0 <10.8.0). */
const CDKTN_CONSTRUCTS = "10.7.0";
/** The versions the cdktn flavour is tested with (npm run test:cdktn), its peers when published. */
const CDKTN_PEERS = { cdktn: "0.24.0", "@cdktn/provider-azurerm": "16.1.0", "@cdktn/provider-databricks": "18.7.0", constructs: `>=${CDKTN_CONSTRUCTS} <10.8.0` };

/**
 * The publishable cdktn flavour in `to`: package `cdktn-medallion`, the same version and files as cdktf-medallion, the
 * library rewritten, cdktn peers (no azuread: CDK Terrain has none).
 */
function emitPackage(root, to) {
  const source = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  rmSync(to, { recursive: true, force: true });
  const changed = emitFlavour(join(root, "dist", "lib"), join(to, "dist", "lib"));
  for (const file of ["README.md", "LICENSE", "CHANGELOG.md"]) cpSync(join(root, file), join(to, file));
  cpSync(join(root, "help"), join(to, "help"), { recursive: true });
  const flavour = {
    ...source,
    name: "cdktn-medallion",
    description: `${source.description} — CDK Terrain (cdktn) flavour`,
    keywords: [...source.keywords.filter((k) => k !== "cdktf"), "cdktn", "cdk-terrain"],
    peerDependencies: CDKTN_PEERS,
    engines: { node: ">=22" },
  };
  // Build and test tooling stay with the repository.
  for (const key of ["scripts", "devDependencies", "jest"]) delete flavour[key];
  writeFileSync(join(to, "package.json"), `${JSON.stringify(flavour, null, 2)}\n`);
  return changed;
}

module.exports = { CDKTN_CONSTRUCTS, CDKTN_PEERS, emitFlavour, emitPackage, rewrite };

// node .ci/cdktn-flavour.js [from to]: the flavour of a dist/; --package DIR: the publishable package.
if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === "--package") {
    const to = args[1] ?? "cdktn-package";
    console.log(`cdktn-flavour: package cdktn-medallion in ${to} (${emitPackage(join(__dirname, ".."), to)} files rewritten)`);
  } else {
    const [from = "dist", to = "dist-cdktn"] = args;
    console.log(`cdktn-flavour: ${emitFlavour(from, to)} files rewritten into ${to}`);
  }
}
