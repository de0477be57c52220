import { RULES } from "./rules";

/** help/guardrails.md: every rule with its ID, why, how to fix and how to suppress — generated from the rules. */
export function rulesDocument(): string {
  const lines = [
    "<!-- GENERATED from lib/guardrails/rules.ts by `npm run docs`. Do not edit: `npm test` fails on drift. -->",
    "# Guardrails",
    "",
    "`Guardrails.of(app)` applies the policy pack to every stack of the app (call it after creating the stacks: cdktf",
    "runs aspects from each stack down). Right before a stack is written it checks the final, resolved attributes of",
    "every resource — the constructs' and any raw provider resource around them. **Errors** fail synth with the rule",
    "ID, the construct path and the fix; **warnings** print. `guardrails.writeReport(dir)` writes",
    "`guardrails-report.json` and `guardrails-report.md` (the sample app writes them into `cdktf.out/`).",
    "",
    "```ts",
    'import { Guardrails } from "cdktf-medallion";',
    "",
    "const guardrails = Guardrails.of(app, { production: (stack) => stack.node.id.endsWith(\"-prod\") });",
    "app.synth();",
    "guardrails.writeReport(\"cdktf.out\");",
    "```",
    "",
    "## Suppressing a rule",
    "",
    "Suppressions are explicit, per construct (and everything below it) and rule, with a reason of at least 10",
    "characters; the report lists each with its reason.",
    "",
    "```ts",
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
