import { TerraformStack } from "cdktf";

/** How one lake zone of an environment with a secondary region is recovered. */
export interface ZoneRecoveryRecord {
  readonly zone: string;
  /** Whether the zone holds Delta tables (every layer but landing and staging). */
  readonly delta: boolean;
  readonly mechanism: "geoReplication" | "deepClone" | "none";
}

/** What a stack of an environment with disaster recovery records of it, for the guardrails and the report. */
export interface RecoveryRecord {
  readonly role: "primary" | "secondary";
  readonly primaryLocation: string;
  readonly secondaryLocation: string;
  readonly zones: readonly ZoneRecoveryRecord[];
}

/**
 * Records the stack's place in an active-passive pair in its synthesized JSON (the `//.disasterRecovery` comment key,
 * which Terraform ignores): the guardrails check it (MDL-DR-*), reviewers read it.
 */
export function setRecoveryRecord(stack: TerraformStack, record: RecoveryRecord): void {
  stack.addOverride("//.disasterRecovery", record);
}
