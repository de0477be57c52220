import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { RehearsalResult } from "./rehearsal";

/**
 * rehearsal/report.json (every call, per stack and phase) and report.md (the summary). Returns the failures: a phase
 * that failed, a second plan with changes, a refused call.
 */
export function writeReport(result: RehearsalResult, out: string, complete: boolean): string[] {
  mkdirSync(out, { recursive: true });
  const failures: string[] = [];
  const tolerated = new Set<string>();
  const records = result.emulator.log.records;
  const stacks = result.outcomes.map((o) => {
    const calls = records.filter((r) => r.run.startsWith(`${o.stack}/`));
    for (const p of o.phases) if (!p.ok) failures.push(`${o.stack} ${p.phase} (${p.identity}) failed:\n${indent(p.detail ?? "")}`);
    if (o.notRun) failures.push(`${o.stack} not run: ${o.notRun}`);
    return {
      stack: o.stack,
      environment: o.environment,
      site: o.site ?? "primary",
      wave: o.wave,
      armResources: o.resources,
      notRun: o.notRun,
      phases: o.phases.map((p) => ({ phase: p.phase, identity: p.identity, ok: p.ok, seconds: Math.round(p.ms / 100) / 10, detail: p.detail })),
      secondPlan: o.phases.find((p) => p.phase === "second-plan")?.detail,
      destroy: o.phases.find((p) => p.phase === "destroy")?.ok === true ? "destroyed" : o.phases.find((p) => p.phase === "destroy")?.detail ?? "not destroyed",
      skipped: o.skipped,
      calls: calls.map((c) => ({ phase: c.run.split("/")[1], identity: c.identity, method: c.method, host: c.host, template: c.template, apiVersion: c.apiVersion, status: c.status, action: c.action, grantedBy: c.grant ? `${c.grant.role} at ${c.grant.scope}` : undefined, linked: c.linked?.map((l) => ({ action: l.action, scope: l.scope, grantedBy: l.grant ? `${l.grant.role} at ${l.grant.scope}` : undefined })), error: c.error })),
    };
  });
  // One line per refused action and identity (with its first call), not one per call. A key-listing action (listKeys,
  // sharedKeys) may be refused where the phase still passed: azurerm's Read tolerates that refusal for storage
  // accounts, Log Analytics workspaces and Event Hubs namespaces (azurerm review 4a), and no generated role lists keys
  // the stacks do not use. Those are reported apart, not as failures.
  const refused = new Map<string, string>();
  const passed = new Set(result.outcomes.flatMap((o) => o.phases.filter((p) => p.ok).map((p) => `${o.stack}/${p.phase}`)));
  for (const r of records) {
    if (r.status !== 403 || /ForbiddenByConnection/.test(r.error ?? "")) continue;
    if (/\/(listKeys|sharedKeys)\/action$/i.test(r.action ?? "") && passed.has(r.run)) {
      tolerated.add(`${r.identity}: ${r.action}`);
      continue;
    }
    const linked = r.linked?.filter((l) => !l.grant).map((l) => l.action) ?? [];
    // A Databricks refusal has no ARM action: its error names what was missing.
    const what = r.error?.startsWith("LinkedAuthorizationFailed") ? `${linked.join(", ")} (linked access)` : r.action ?? r.error;
    const key = `${r.identity} ${r.action ?? r.template} ${what}`;
    if (!refused.has(key)) refused.set(key, `refused: ${r.identity} lacks ${what}: first at ${r.run}, ${r.method} ${r.host === "management.azure.com" ? "" : r.host}${r.template}`);
  }
  failures.push(...refused.values());
  for (const r of records) if (r.status === 501 || r.status === 502 || r.status === 500) failures.push(`unsupported by the emulator: ${r.run}: ${r.method} ${r.host}${r.template}: ${r.error ?? r.status}`);
  // A change of what the roles were seen granting is reported, not failed: the page is regenerated from it.
  if (complete) for (const note of writeObserved(result, out)) console.warn(`rehearsal: ${note}`);
  writeFileSync(join(out, "report.json"), JSON.stringify({ seconds: Math.round(result.ms / 1000), stacks, toleratedRefusals: [...tolerated].sort(), conflicts: result.emulator.arm.concurrency.conflicts }, null, 2) + "\n");
  const md = [
    "# Deploy rehearsal",
    "",
    `${result.outcomes.length} stacks, ${records.length} calls, ${Math.round(result.ms / 1000)} s. ${failures.length === 0 ? "Every phase passed." : `${failures.length} failures.`}`,
    "",
    "| stack | wave | resources | skipped | " + ["init", "plan", "apply", "second-plan", "plan-identity", "destroy"].join(" | ") + " |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...result.outcomes.map((o) => `| ${o.stack} | ${o.wave} | ${o.resources} | ${o.skipped.length} | ${["init", "plan", "apply", "second-plan", "plan-identity", "destroy"].map((ph) => {
      const p = o.phases.find((x) => x.phase === ph);
      return p ? `${p.ok ? "ok" : "**failed**"} ${(p.ms / 1000).toFixed(0)} s` : o.notRun ? "not run" : "–";
    }).join(" | ")} |`),
    "",
    ...(failures.length ? ["## Failures", "", ...failures.map((f) => "```\n" + f + "\n```"), ""] : []),
  ];
  writeFileSync(join(out, "report.md"), md.join("\n"));
  return failures;
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    ${l}`).join("\n");
}

/**
 * rehearsal/observed-actions.json: the actions each generated role was seen granting (directly or as a linked check),
 * by role name — what help/deployer-permissions.md shows. Written only by a complete rehearsal; a change from the
 * committed copy is reported, so the page is regenerated with it (`npm run docs`).
 */
function writeObserved(result: RehearsalResult, out: string): string[] {
  const generated = new Set([...result.roles.values()].map((r) => r.role.roleName));
  const byRole = new Map<string, Set<string>>();
  const add = (role: string | undefined, action: string | undefined) => {
    if (!role || !action || !generated.has(role)) return;
    const set = byRole.get(role) ?? new Set<string>();
    set.add(action);
    byRole.set(role, set);
  };
  for (const r of result.emulator.log.records) {
    add(r.grant?.role, r.action);
    for (const l of r.linked ?? []) add(l.grant?.role, l.action);
  }
  const roles = Object.fromEntries([...byRole].sort(([a], [b]) => a.localeCompare(b)).map(([role, actions]) => [role, [...actions].sort((a, b) => a.localeCompare(b))]));
  const text = JSON.stringify({ "//": "Written by `npm run rehearse` (complete runs): the actions each generated role granted to a call. help/deployer-permissions.md shows them.", roles }, null, 2) + "\n";
  const file = join(out, "observed-actions.json");
  const before = existsSync(file) ? readFileSync(file, "utf8") : "";
  writeFileSync(file, text);
  return before === text ? [] : [`rehearsal/observed-actions.json changed: run \`npm run docs\` and commit both`];
}
