import { writeFileSync } from "fs";
import { join } from "path";
import { Aspects, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { invalid } from "../core/validation";
import { ResourceView, Rule, RULES, StackView } from "./rules";

const SUPPRESSION = "cdktf-medallion:guardrails:suppress";
const MANDATORY_TAGS = ["environment", "owner", "costCenter", "dataClassification", "managedBy"];

export interface GuardrailsOptions {
  /** Which stacks are production (stricter data-protection rules). @default none */
  readonly production?: (stack: TerraformStack) => boolean;
  /** Tags every taggable resource must carry. @default environment, owner, costCenter, dataClassification, managedBy */
  readonly mandatoryTags?: readonly string[];
  /** Where to print warnings. @default console.warn */
  readonly warn?: (message: string) => void;
}

/** One finding: a violation, or a suppressed one with its reason. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: "error" | "warning";
  readonly stack: string;
  readonly path: string;
  readonly detail: string;
  readonly fix: string;
  /** Set when a suppression covers the finding. */
  readonly suppressed?: { readonly reason: string; readonly at: string };
}

interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * The synth-time policy pack (in the spirit of cdk-nag). Applied to a scope — usually the App — it checks the final,
 * resolved attributes of every resource of every stack below it, including raw provider resources, right before
 * the stack is written: errors fail synth, listing rule ID, construct path and fix; warnings print. Suppressions are
 * explicit, per construct and rule, with a reason, and appear in the report.
 */
export class Guardrails implements IAspect {
  /**
   * Applies the pack to every stack at or below `scope` and returns it (to read findings or write the report).
   * cdktf runs aspects from each stack down — an aspect on the App itself never runs — so call this on the App after
   * creating its stacks (or on a stack).
   */
  static of(scope: IConstruct, options: GuardrailsOptions = {}): Guardrails {
    const guardrails = new Guardrails(options);
    const stacks = scope.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack);
    const within = stacks.length === 0 ? scope.node.scopes.find((c): c is TerraformStack => c instanceof TerraformStack) : undefined;
    if (stacks.length === 0 && !within) invalid(scope, "Guardrails.of scope", scope.node.path || "<app>", "an App with its stacks already created, a stack, or a construct in a stack");
    if (within) Aspects.of(scope).add(guardrails);
    for (const stack of stacks) Aspects.of(stack).add(guardrails);
    return guardrails;
  }

  /**
   * Suppresses `ruleId` on `scope` and everything below it. The reason (at least 10 characters) is kept in the report.
   */
  static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    if (!RULES.some((r) => r.id === ruleId)) invalid(scope, "guardrails suppression rule", ruleId, `one of ${RULES.map((r) => r.id).join(", ")}`);
    if (typeof reason !== "string" || reason.trim().length < 10) invalid(scope, `guardrails suppression reason for ${ruleId}`, reason, "a reason of at least 10 characters");
    scope.node.addMetadata(SUPPRESSION, { ruleId, reason: reason.trim() } satisfies Suppression);
  }

  /** Every finding so far, suppressed ones included, in stack and path order. */
  readonly findings: Finding[] = [];
  private readonly checked = new Set<string>();

  private constructor(private readonly options: GuardrailsOptions) {}

  visit(node: IConstruct): void {
    const stack = TerraformStack.of(node);
    if (this.checked.has(stack.node.path)) return;
    this.checked.add(stack.node.path);
    // A validation runs after every aspect (tags included) and before the stack is written.
    stack.node.addValidation({ validate: () => this.check(stack) });
  }

  /** The rules' results for one stack; returns the unsuppressed errors as messages (which fail synth). */
  private check(stack: TerraformStack): string[] {
    const view = this.view(stack);
    const suppressions = this.suppressions(stack);
    const errors: string[] = [];
    for (const rule of RULES) {
      for (const violation of rule.check(view)) {
        const suppressed = this.suppressedBy(suppressions, rule, violation.path);
        const finding: Finding = { ruleId: rule.id, severity: rule.severity, stack: stack.node.id, path: violation.path, detail: violation.detail, fix: rule.fix, suppressed };
        this.findings.push(finding);
        if (suppressed) continue;
        const message = `${rule.id} ${rule.title} — ${violation.path}: ${violation.detail}. Fix: ${rule.fix}`;
        if (rule.severity === "error") errors.push(message);
        else (this.options.warn ?? console.warn)(`guardrails warning ${message}`);
      }
    }
    return errors;
  }

  private view(stack: TerraformStack): StackView {
    const json = stack.toTerraform() as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    reuseForWrite(stack, json);
    const constructs = new Map(stack.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource).map((c) => [c.node.path, c]));
    const views = (block: Record<string, Record<string, Record<string, unknown>>> | undefined, prefix: string): ResourceView[] =>
      Object.entries(block ?? {}).flatMap(([type, byId]) =>
        Object.entries(byId).map(([logicalId, attrs]) => {
          const path = String(((attrs["//"] as Record<string, Record<string, unknown>> | undefined)?.metadata?.path) ?? `${stack.node.path}/${logicalId}`);
          return { type, logicalId, path, attrs, ref: `\${${prefix}${type}.${logicalId}.id}`, taggable: "tagsInput" in (constructs.get(path) ?? {}) };
        }),
      );
    const terraform = (json.terraform ?? {}) as unknown as { backend?: Record<string, Record<string, unknown>> };
    return {
      name: stack.node.id,
      production: this.options.production?.(stack) ?? false,
      resources: views(json.resource, ""),
      dataSources: views(json.data, "data."),
      providers: (json.provider ?? {}) as unknown as Record<string, Record<string, unknown>[]>,
      backend: terraform.backend ?? {},
      outputs: (json.output ?? {}) as unknown as StackView["outputs"],
      variables: (json.variable ?? {}) as unknown as StackView["variables"],
      mandatoryTags: this.options.mandatoryTags ?? MANDATORY_TAGS,
    };
  }

  private suppressions(stack: TerraformStack): Map<string, Suppression[]> {
    const byPath = new Map<string, Suppression[]>();
    for (const construct of stack.node.findAll()) {
      const entries = construct.node.metadata.filter((m) => m.type === SUPPRESSION).map((m) => m.data as Suppression);
      if (entries.length) byPath.set(construct.node.path, entries);
    }
    return byPath;
  }

  private suppressedBy(suppressions: Map<string, Suppression[]>, rule: Rule, path: string): Finding["suppressed"] {
    for (const [at, entries] of suppressions) {
      if (path !== at && !path.startsWith(`${at}/`)) continue;
      const match = entries.find((s) => s.ruleId === rule.id);
      if (match) return { reason: match.reason, at };
    }
    return undefined;
  }

  /** Writes `guardrails-report.json` and `guardrails-report.md` into `dir` (beside the synthesized stacks). */
  writeReport(dir: string): void {
    const findings = [...this.findings].sort((a, b) => `${a.stack}/${a.path}/${a.ruleId}`.localeCompare(`${b.stack}/${b.path}/${b.ruleId}`));
    const count = (f: (x: Finding) => boolean) => findings.filter(f).length;
    const summary = {
      rules: RULES.length,
      errors: count((f) => f.severity === "error" && !f.suppressed),
      warnings: count((f) => f.severity === "warning" && !f.suppressed),
      suppressed: count((f) => !!f.suppressed),
    };
    writeFileSync(join(dir, "guardrails-report.json"), `${JSON.stringify({ summary, findings }, null, 2)}\n`);
    const row = (f: Finding) => `| ${f.ruleId} | ${f.severity} | ${f.stack} | \`${f.path}\` | ${f.detail} | ${f.suppressed ? f.suppressed.reason : ""} |`;
    const md = [
      "# Guardrails report",
      "",
      `${summary.rules} rules; ${summary.errors} errors, ${summary.warnings} warnings, ${summary.suppressed} suppressed.`,
      "",
      "| rule | severity | stack | construct | finding | suppressed because |",
      "| --- | --- | --- | --- | --- | --- |",
      ...findings.map(row),
      "",
    ];
    writeFileSync(join(dir, "guardrails-report.md"), md.join("\n"));
  }
}

/**
 * Resolving a stack is most of synth's cost, and the write that follows this validation resolves it again. Hand the
 * JSON just resolved to that write: the stack's next toTerraform() returns it once. Nothing changes the stack in
 * between (validations run last before writing); a microtask drops the hand-off when the synchronous synth is done,
 * so it can never serve a later, different synth.
 */
function reuseForWrite(stack: TerraformStack, json: unknown): void {
  const reusable = stack as unknown as { toTerraform?: () => unknown };
  reusable.toTerraform = () => {
    delete reusable.toTerraform;
    return json;
  };
  queueMicrotask(() => delete reusable.toTerraform);
}
