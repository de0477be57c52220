import { segments } from "../authorization/actions";
import { ArmError } from "./http";

/** How long a write holds its target: its status URL answers InProgress until then, and a second write is refused. */
const HOLD_MS = 1500;

interface Rule {
  /** The held target of a write, or undefined when the rule does not apply. */
  readonly target: (path: string, body: Record<string, unknown>) => string | undefined;
  readonly error: (target: string) => ArmError;
}

/**
 * Writes Azure refuses to run at the same time on one target. Each rule cites where the refusal was seen:
 * - a Databricks workspace is "updating" during its own update and during each private endpoint created to it; a
 *   second one fails with ConcurrentUpdateError (hashicorp/terraform-provider-azurerm#26373,
 *   databricks/terraform-databricks-examples#177);
 * - a Managed Redis database runs one job at a time: an access policy assignment, a geo-replication link (which
 *   recreates the database: "Databases - Force Link To Replication Group",
 *   https://learn.microsoft.com/rest/api/redis/redisenterprisecache/databases/force-link-to-replication-group) — a second
 *   one fails with "another job is in progress" (microsoft/aspire#13043).
 */
const RULES: readonly Rule[] = [
  {
    target: (path, body) => {
      if (/\/providers\/microsoft\.databricks\/workspaces\/[^/]+$/i.test(path)) return path;
      if (!/\/providers\/microsoft\.network\/privateendpoints\/[^/]+$/i.test(path)) return undefined;
      const props = (body.properties ?? {}) as { privateLinkServiceConnections?: { properties?: { privateLinkServiceId?: string } }[] };
      return props.privateLinkServiceConnections?.map((c) => c.properties?.privateLinkServiceId).find((id) => id && /\/providers\/microsoft\.databricks\/workspaces\//i.test(id));
    },
    error: (target) => new ArmError(409, "ConcurrentUpdateError", `Workspace ${target} is being updated by another operation; concurrent updates are not allowed (hashicorp/terraform-provider-azurerm#26373).`),
  },
  {
    target: (path) => {
      const m = /^(.*\/providers\/microsoft\.cache\/redisenterprise\/[^/]+\/databases\/[^/]+)(\/accesspolicyassignments\/[^/]+|\/forcelinktoreplicationgroup|\/forceunlink)?$/i.exec(path);
      return m ? m[1] : undefined;
    },
    error: (target) => new ArmError(409, "Conflict", `The database ${target} cannot be updated: another job is in progress (microsoft/aspire#13043).`),
  },
];

export class ConcurrencyRules {
  private readonly busy = new Map<string, { until: number; by: string }>();
  /** Conflicts seen, for the report. */
  readonly conflicts: string[] = [];

  /** Starts a write on its held target; a write while another holds it is refused like Azure refuses it. */
  begin(ctx: { run: string }, path: string, body: Record<string, unknown>): void {
    for (const rule of RULES) {
      const target = rule.target(path, body);
      if (!target) continue;
      const key = "/" + segments(target).join("/").toLowerCase();
      const held = this.busy.get(key);
      if (held && held.until > Date.now()) {
        this.conflicts.push(`${ctx.run}: ${path} while ${held.by} held ${target}`);
        throw rule.error(target);
      }
      this.busy.set(key, { until: Date.now() + HOLD_MS, by: path });
    }
  }

  /**
   * How long the write to `path` keeps its operation InProgress: a held target's write, or a template deployment
   * that wrote one (the deployment runs as long as its resources' writes).
   */
  holdFor(path: string, body: Record<string, unknown> = {}): number {
    const nested = ((body.properties as { outputResources?: { id: string }[] } | undefined)?.outputResources ?? []).map((r) => r.id);
    return [path, ...nested].some((p) => RULES.some((r) => r.target(p, p === path ? body : {}))) ? HOLD_MS : 0;
  }
}
