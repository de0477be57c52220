/**
 * What the emulator can rehearse of one synthesized stack: its JSON without the provider it does not serve — azuread
 * (Microsoft Graph is not emulated) — and without everything that references it, directly or through an earlier
 * stack's output. Nothing else changes: provider blocks, features and every azurerm resource stay as synthesized. Each cut
 * is listed with its reason, so the report says exactly what was not rehearsed.
 */
export interface Skipped {
  readonly address: string;
  readonly reason: string;
}

export interface EmulatedSide {
  readonly json: Record<string, unknown>;
  readonly skipped: readonly Skipped[];
  /** Outputs left out because they reference a skipped block (a later stack reading them is cut too). */
  readonly droppedOutputs: readonly string[];
  /** Whether anything is left to apply. */
  readonly resourceCount: number;
}

type Blocks = Record<string, Record<string, unknown>>;

const NOT_EMULATED: readonly { readonly prefix: string; readonly reason: string }[] = [{ prefix: "azuread_", reason: "azuread provider: Microsoft Graph is not emulated" }];

const REF = /\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g;
const REMOTE_OUTPUT = /\bdata\.terraform_remote_state\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)/g;

/**
 * @param droppedUpstream for each remote-state data source of this stack, the outputs its stack left out.
 */
export function emulatedSide(source: Record<string, unknown>, droppedUpstream: ReadonlyMap<string, ReadonlySet<string>>): EmulatedSide {
  const json = JSON.parse(JSON.stringify(source)) as Record<string, unknown>;
  const resources = (json.resource ?? {}) as Blocks;
  const data = (json.data ?? {}) as Blocks;
  const outputs = (json.output ?? {}) as Record<string, unknown>;
  const blocks = new Map<string, unknown>();
  for (const [type, byName] of Object.entries(resources)) for (const [name, body] of Object.entries(byName)) blocks.set(`${type}.${name}`, body);
  for (const [type, byName] of Object.entries(data)) for (const [name, body] of Object.entries(byName)) blocks.set(`data.${type}.${name}`, body);

  const skipped = new Map<string, string>();
  for (const address of blocks.keys()) {
    const type = address.startsWith("data.") ? address.split(".")[1] : address.split(".")[0];
    const cut = NOT_EMULATED.find((n) => type.startsWith(n.prefix));
    if (cut) skipped.set(address, cut.reason);
  }
  const referencesOf = (body: unknown): { refs: string[]; remote: string[] } => {
    const text = JSON.stringify(body);
    const refs = new Set<string>();
    for (const m of text.matchAll(REF)) {
      const address = `${m[1] ?? ""}${m[2]}.${m[3]}`;
      if (blocks.has(address)) refs.add(address);
    }
    const remote: string[] = [];
    for (const m of text.matchAll(REMOTE_OUTPUT)) if (droppedUpstream.get(m[1])?.has(m[2])) remote.push(`data.terraform_remote_state.${m[1]}.outputs.${m[2]}`);
    return { refs: [...refs], remote };
  };
  const deps = new Map([...blocks].map(([address, body]) => [address, referencesOf(body)]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const [address, { refs, remote }] of deps) {
      if (skipped.has(address)) continue;
      const cause = refs.find((r) => skipped.has(r)) ?? remote[0];
      if (cause) {
        skipped.set(address, `references ${cause}, which is not rehearsed`);
        changed = true;
      }
    }
  }

  for (const address of skipped.keys()) {
    const [isData, type, name] = address.startsWith("data.") ? [true, ...address.split(".").slice(1)] : [false, ...address.split(".")];
    const table = (isData ? data : resources) as Blocks;
    delete table[type as string][name as string];
    if (Object.keys(table[type as string]).length === 0) delete table[type as string];
  }
  const droppedOutputs: string[] = [];
  for (const [name, body] of Object.entries(outputs)) {
    const { refs, remote } = referencesOf(body);
    if (refs.some((r) => skipped.has(r)) || remote.length > 0) {
      delete outputs[name];
      droppedOutputs.push(name);
    }
  }
  const provider = (json.provider ?? {}) as Record<string, unknown>;
  const required = ((json.terraform as Record<string, unknown> | undefined)?.required_providers ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(provider)) if (NOT_EMULATED.some((n) => `${name}_`.startsWith(n.prefix))) delete provider[name];
  for (const name of Object.keys(required)) if (NOT_EMULATED.some((n) => `${name}_`.startsWith(n.prefix))) delete required[name];
  const resourceCount = Object.values(resources).reduce((n, byName) => n + Object.keys(byName).length, 0);
  // Terraform refuses an empty block ("Missing block label").
  for (const block of ["resource", "data", "output"]) if (json[block] && Object.keys(json[block] as object).length === 0) delete json[block];
  return { json, skipped: [...skipped].map(([address, reason]) => ({ address, reason })).sort((a, b) => a.address.localeCompare(b.address)), droppedOutputs: droppedOutputs.sort(), resourceCount };
}
