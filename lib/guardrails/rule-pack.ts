import { DEPLOYABILITY_RULES } from "./deployability-rules";
import { RECOVERY_RULES } from "./recovery-rules";
import { Rule, SECURITY_RULES } from "./rules";
import { SHARING_RULES } from "./sharing-rules";

/** The policy pack: the security baseline, deployability, disaster recovery, sharing. IDs are stable: suppressions name them. */
export const RULES: readonly Rule[] = [...SECURITY_RULES, ...DEPLOYABILITY_RULES, ...RECOVERY_RULES, ...SHARING_RULES];

/** A rule's ID: suppressions name them, and a typo does not compile. */
export type RuleId = (typeof SECURITY_RULES)[number]["id"] | (typeof DEPLOYABILITY_RULES)[number]["id"] | (typeof RECOVERY_RULES)[number]["id"] | (typeof SHARING_RULES)[number]["id"];
