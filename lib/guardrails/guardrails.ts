import { writeFileSync } from "fs";
import { join } from "path";
import { Aspects, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import type { StackDeployment } from "../ci/deploy-metadata";
import type { RecoveryRecord } from "../disaster-recovery/recovery-metadata";
import { hasInterpolation } from "../core/literals";
import { invalid } from "../core/validation";
import { RuleId, RULES } from "./rule-pack";
import { ResourceView, Rule, StackView } from "./rules";

const SUPPRESSION = "cdktf-medallion:guardrails:suppress";
const ROOTS = new WeakMap<IConstruct, Guardrails>();
const MANDATORY_TAGS = ["environment", "owner", "costCenter", "dataClassification", "managedBy"];

export interface GuardrailsOptions {
  /** Which stacks are production (stricter data-protection rules). @default none */
  readonly production?: (stack: TerraformStack) => boolean;
  /** Tags every taggable resource must carry. @default environment, owner, costCenter, dataClassification, managedBy */
  readonly mandatoryTags?: readonly string[];
  /** Where to print warnings. @default console.warn */
  readonly warn?: (message: string) => void;
  /** The time date rules compare with (MDL-DEP-006). @default the current time */
  readonly now?: () => Date;
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
    const within = scope.node.scopes.find((c): c is TerraformStack => c instanceof TerraformStack);
    if (within) {
      Aspects.of(scope).add(guardrails);
      return guardrails;
    }
    // On an App: every stack there is now, and — since cdktf runs aspects stack by stack, right before each is
    // written — every stack created later, attached when the first checked stack is validated. An App whose stacks
    // all came later fails its own validation, naming them, instead of passing unchecked.
    guardrails.root = scope;
    for (const stack of guardrails.stacksOf(scope)) Aspects.of(stack).add(guardrails);
    scope.node.addValidation({ validate: () => guardrails.uncovered().map((stack) => `${stack.node.path}: not checked by the guardrails (the stack was created after Guardrails.of and no checked stack was synthesized before it): call Guardrails.of after creating every stack, or use synthesizeAll`) });
    ROOTS.set(scope, guardrails);
    return guardrails;
  }

  /** The Guardrails applied to an App with {@link Guardrails.of}, if any. */
  static on(app: IConstruct): Guardrails | undefined {
    return ROOTS.get(app);
  }

  /**
   * Suppresses `ruleId` on `scope` and everything below it. The reason (at least 10 characters) is kept in the report.
   */
  static suppress(scope: IConstruct, ruleId: RuleId, reason: string): void {
    if (!RULES.some((r) => r.id === ruleId)) invalid(scope, "guardrails suppression rule", ruleId, `one of ${RULES.map((r) => r.id).join(", ")}`);
    if (typeof reason !== "string" || reason.trim().length < 10) invalid(scope, `guardrails suppression reason for ${ruleId}`, reason, "a reason of at least 10 characters");
    scope.node.addMetadata(SUPPRESSION, { ruleId, reason: reason.trim() } satisfies Suppression);
  }

  /** Every finding so far, suppressed ones included, in stack and path order. */
  readonly findings: Finding[] = [];
  private readonly checked = new Set<string>();
  private root?: IConstruct;
  private attachedLater = false;
  /** Set by synthesizeAll: record errors instead of failing the stack, so every stack's are reported together. */
  collectErrors = false;

  private constructor(private readonly options: GuardrailsOptions) {}

  visit(node: IConstruct): void {
    const stack = TerraformStack.of(node);
    if (this.checked.has(stack.node.path)) return;
    this.checked.add(stack.node.path);
    // Stacks created after Guardrails.of: attached now, before their turn to be synthesized (synth has begun, so no
    // stack comes after this; once is enough).
    if (!this.attachedLater) {
      this.attachedLater = true;
      for (const later of this.uncovered()) Aspects.of(later).add(this);
    }
    // A validation runs after every aspect (tags included) and before the stack is written.
    stack.node.addValidation({ validate: () => this.check(stack) });
  }

  /** The unsuppressed errors found so far, as messages. */
  get errors(): string[] {
    return this.findings.filter((f) => f.severity === "error" && !f.suppressed).map((f) => `${f.stack}: ${f.ruleId} — ${f.path}: ${f.detail}. Fix: ${f.fix}`);
  }

  /** The stacks under `scope`, without walking into them (a stack holds no stacks; its resources are many). */
  private stacksOf(scope: IConstruct): TerraformStack[] {
    if (scope instanceof TerraformStack) return [scope];
    return scope.node.children.flatMap((child) => this.stacksOf(child));
  }

  /** Stacks of the App this pack does not check (yet). */
  private uncovered(): TerraformStack[] {
    return this.root ? this.stacksOf(this.root).filter((stack) => !Aspects.of(stack).all.includes(this)) : [];
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
        if (rule.severity === "error") {
          if (!this.collectErrors) errors.push(message);
        }
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
          const construct = constructs.get(path) as { tagsInput?: Record<string, unknown> } | undefined;
          const interpolatedTags = Object.entries(construct?.tagsInput ?? {}).filter(([, v]) => typeof v === "string" && hasInterpolation(v)).map(([k]) => k);
          return { type, logicalId, path, attrs, ref: `\${${prefix}${type}.${logicalId}.id}`, taggable: construct !== undefined && "tagsInput" in construct, interpolatedTags };
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
      deployment: ((json["//"] ?? {}) as { deployment?: StackDeployment }).deployment,
      recovery: ((json["//"] ?? {}) as { disasterRecovery?: RecoveryRecord }).disasterRecovery,
      now: this.options.now?.() ?? new Date(),
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
