import { DEPLOYABILITY_RULES } from "./deployability-rules";
import { Rule, SECURITY_RULES } from "./rules";

/** The policy pack: the security baseline, then deployability. IDs are stable: suppressions name them. */
export const RULES: readonly Rule[] = [...SECURITY_RULES, ...DEPLOYABILITY_RULES];

/** A rule's ID: suppressions name them, and a typo does not compile. */
export type RuleId = (typeof SECURITY_RULES)[number]["id"] | (typeof DEPLOYABILITY_RULES)[number]["id"];
