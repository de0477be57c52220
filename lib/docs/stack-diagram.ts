import type { SynthesizedStack } from "../ci/synthesized-app";

interface DiagramNode {
  readonly id: string;
  readonly group: string;
  readonly label: string;
  readonly keys: readonly string[];
}

/** Same-type resources of one construct beyond this count are drawn as one node ("type ×N"). */
const COLLAPSE_OVER = 3;
const REFERENCE = /\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)[.}]/g;
const HIDDEN_TARGETS = ["azurerm_resource_group"];

const escape = (text: string) => text.replace(/"/g, "'").replace(/[<>]/g, "");

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) if (k !== "//") strings(v, out);
  return out;
}

/**
 * A Mermaid flowchart of one synthesized stack: its resources grouped by the construct that made them, and an arrow
 * from each resource to every resource it references. Deterministic: the same stack gives the same text.
 */
export function stackDiagram(stack: SynthesizedStack): string {
  const prefix = `${stack.name}/`;
  type Entry = { key: string; type: string; name: string; group: string; attrs: Record<string, unknown> };
  const entries: Entry[] = [];
  for (const [kind, block] of [["", stack.json.resource], ["data.", stack.json.data]] as const) {
    for (const [type, byId] of Object.entries((block ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [logicalId, attrs] of Object.entries(byId)) {
        const path = String((attrs["//"] as { metadata?: { path?: string } } | undefined)?.metadata?.path ?? `${stack.name}/${logicalId}`);
        const relative = path.startsWith(prefix) ? path.slice(prefix.length) : path;
        const group = kind === "data." && type === "terraform_remote_state" ? "other stacks" : relative.split("/").slice(0, -1).join("/") || "(stack)";
        const name = type === "terraform_remote_state" ? logicalId.replace(/^cross-stack-reference-input-/, "") : typeof attrs.name === "string" && !attrs.name.includes("${") ? attrs.name : relative.split("/").pop()!;
        entries.push({ key: `${kind}${type}.${logicalId}`, type: `${kind}${type}`, name, group, attrs });
      }
    }
  }
  entries.sort((a, b) => `${a.group}|${a.type}|${a.name}|${a.key}`.localeCompare(`${b.group}|${b.type}|${b.name}|${b.key}`));

  const nodes: DiagramNode[] = [];
  const nodeOf = new Map<string, DiagramNode>();
  const groups = [...new Set(entries.map((e) => e.group))];
  for (const group of groups) {
    const inGroup = entries.filter((e) => e.group === group);
    for (const type of [...new Set(inGroup.map((e) => e.type))]) {
      const ofType = inGroup.filter((e) => e.type === type);
      const members = ofType.length > COLLAPSE_OVER ? [ofType] : ofType.map((e) => [e]);
      for (const member of members) {
        const label = member.length > 1 ? `${type} ×${member.length}` : `${type}<br/>${escape(member[0].name)}`;
        const node = { id: `n${nodes.length}`, group, label, keys: member.map((e) => e.key) };
        nodes.push(node);
        for (const key of node.keys) nodeOf.set(key, node);
      }
    }
  }

  const edges = new Set<string>();
  for (const entry of entries) {
    const from = nodeOf.get(entry.key)!;
    for (const text of strings(entry.attrs)) {
      for (const match of text.matchAll(REFERENCE)) {
        const [, data, type, id] = match;
        if (type === "var" || HIDDEN_TARGETS.includes(type)) continue;
        const to = nodeOf.get(`${data ?? ""}${type}.${id}`);
        if (to && to !== from) edges.add(`${from.id} --> ${to.id}`);
      }
    }
  }

  const lines = ["flowchart LR"];
  groups.forEach((group, i) => {
    lines.push(`  subgraph g${i}["${escape(group)}"]`);
    for (const node of nodes.filter((n) => n.group === group)) lines.push(`    ${node.id}["${node.label}"]`);
    lines.push("  end");
  });
  lines.push(...[...edges].sort((a, b) => a.localeCompare(b, "en", { numeric: true })).map((e) => `  ${e}`));
  return [
    "<!-- GENERATED from the synthesized stack by `npm run docs`. Do not edit: `npm test` fails on drift. -->",
    `# Stack \`${stack.name}\``,
    "",
    `Environment \`${stack.deployment.environment}\`; depends on ${stack.dependencies.length ? stack.dependencies.map((d) => `[\`${d}\`](${d}.md)`).join(", ") : "no other stack"}.`,
    `${entries.length} resources and data sources, grouped by the construct that creates them; an arrow points from a`,
    `resource to what it references (references to the resource group, which almost everything has, are left out).`,
    `More than ${COLLAPSE_OVER} resources of one type in one construct are drawn as one node.`,
    "",
    "```mermaid",
    ...lines,
    "```",
    "",
  ].join("\n");
}

/** The index of the stack diagrams: which stacks exist and which depends on which. */
export function stacksOverview(stacks: readonly SynthesizedStack[]): string {
  const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_");
  const environments = [...new Set(stacks.map((s) => s.deployment.environment))].sort();
  const lines = ["flowchart LR"];
  for (const env of environments) {
    lines.push(`  subgraph ${id(`env_${env}`)}["${env}"]`);
    for (const s of stacks.filter((x) => x.deployment.environment === env)) lines.push(`    ${id(s.name)}["${s.name}"]`);
    lines.push("  end");
  }
  for (const s of stacks) for (const d of s.dependencies) lines.push(`  ${id(d)} --> ${id(s.name)}`);
  return [
    "<!-- GENERATED from the synthesized app by `npm run docs`. Do not edit: `npm test` fails on drift. -->",
    "# Stack diagrams",
    "",
    "The sample app's stacks and their deploy order (an arrow points from a stack to one that needs it):",
    "",
    "```mermaid",
    ...lines,
    "```",
    "",
    ...stacks.map((s) => `- [\`${s.name}\`](${s.name}.md)`),
    "",
  ].join("\n");
}
