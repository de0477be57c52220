import { RULES } from "./rule-pack";

/** help/guardrails.md: every rule with its ID, why, how to fix and how to suppress — generated from the rules. */
export function rulesDocument(): string {
  const lines = [
    "<!-- GENERATED from lib/guardrails/rules.ts and deployability-rules.ts by `npm run docs`. Do not edit: `npm test` fails on drift. -->",
    "# Guardrails",
    "",
    "`Guardrails.of(app)` applies the policy pack to every stack of the app — those that exist and those created",
    "later (attached before their turn to be synthesized; an App whose stacks all came after the call fails, naming",
    "them). Right before a stack is written it checks the final, resolved attributes of every resource — the",
    "constructs' and any raw provider resource around them. **Errors** fail synth with the rule ID, the construct path",
    "and the fix; **warnings** print. `synthesizeAll(app)` synthesizes all or nothing: every stack's errors are reported",
    "together, and the output directory changes only when all pass. `guardrails.writeReport(dir)` writes",
    "`guardrails-report.json` and `guardrails-report.md` (the sample app writes them into `cdktf.out/`).",
    "",
    "Two families: the **security baseline** (MDL-NET, TLS, IAM, DP, DBW, MON, TAG, SEC) and **deployability**",
    "(MDL-DEP): mistakes that synthesize and validate, then fail a first apply or a destroy on a real tenant.",
    "",
    "```ts",
    'import { App } from "cdktf";',
    'import { Guardrails, synthesizeAll } from "cdktf-medallion";',
    "",
    "declare const app: App; // your app, with its stacks",
    "const guardrails = Guardrails.of(app, { production: (stack) => stack.node.id.endsWith(\"-prod\") });",
    "synthesizeAll(app);",
    "guardrails.writeReport(app.outdir);",
    "```",
    "",
    "## Suppressing a rule",
    "",
    "Suppressions are explicit, per construct (and everything below it) and rule, with a reason of at least 10",
    "characters; the report lists each with its reason.",
    "",
    "```ts",
    'import { IConstruct } from "constructs";',
    'import { Guardrails } from "cdktf-medallion";',
    "",
    "declare const legacyAccount: IConstruct; // the construct that is the exception",
    'Guardrails.suppress(legacyAccount, "MDL-NET-002", "Reached through the hub\'s endpoint, owned by the network team");',
    "```",
    "",
    "## Rules",
    "",
    "| ID | severity | rule |",
    "| --- | --- | --- |",
    ...RULES.map((r) => `| [${r.id}](#${r.id.toLowerCase()}) | ${r.severity} | ${r.title} |`),
    "",
  ];
  for (const rule of RULES) {
    lines.push(`### ${rule.id}`, "", `**${rule.title}** (${rule.severity})`, "", `Why: ${rule.why}`, "", `Fix: ${rule.fix}`, "", `Suppress: \`Guardrails.suppress(construct, "${rule.id}", "<why this resource is the exception>")\``, "");
  }
  return lines.join("\n");
}
