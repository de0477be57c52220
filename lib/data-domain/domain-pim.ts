import { Construct } from "constructs";
import { PimEligibleRoleAssignment } from "@cdktf/provider-azurerm/lib/pim-eligible-role-assignment";
import { expressionOf, stableId } from "../core/expressions";
import { checkPattern, checkRange, invalid } from "../core/validation";
import { BUILTIN_ROLE_IDS, BuiltinRole } from "./builtin-roles";
import { checkProps } from "../core/prop-checks";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PimEligibility {
  /** Entra object ID of the principal (usually a persona group). */
  readonly principalObjectId: string;
  readonly role: BuiltinRole;
  /** Where the role applies, e.g. the domain's resource group (DataDomain.eligibleAssignments gives both). */
  readonly scopeId: string;
  /**
   * When eligibility starts, `YYYY-MM-DDTHH:MM:SSZ`. Every argument of an eligibility is ForceNew and a fixed date goes
   * stale. @default the moment the apply creates it (the start is left to Azure, which takes "now"; azurerm reads it back
   * without a diff)
   */
  readonly startDateTime?: string;
  /**
   * How long eligibility lasts (1–365 days). Once it has expired Azure no longer has it, so the next deploy creates it
   * again from that day: eligibility is renewed by deploying.
   */
  readonly durationDays: number;
  readonly justification: string;
}

export interface DomainPimProps {
  /** The domain (for descriptions). */
  readonly domain: string;
  /** Subscription holding the role definitions. */
  readonly subscriptionId: string;
  readonly eligibilities: PimEligibility[];
}

/**
 * Privileged Identity Management for a domain's operational roles: eligible (never active) assignments with an
 * explicit schedule. Keep it in a stack of its own: PIM's API is slow and fragile, and a failure there must not
 * block the rest of the domain.
 */
export class DomainPim extends Construct {
  readonly assignments: readonly PimEligibleRoleAssignment[];

  constructor(scope: Construct, id: string, props: DomainPimProps) {
    super(scope, id);
    checkProps(this, props);
    if (props.eligibilities.length === 0) invalid(this, "eligibilities", props.eligibilities, "at least one eligibility (or no DomainPim)");
    this.assignments = props.eligibilities.map((e, i) => {
      const prop = `eligibilities[${i}]`;
      if (!(e.role in BUILTIN_ROLE_IDS)) invalid(this, `${prop}.role`, e.role, `one of ${Object.keys(BUILTIN_ROLE_IDS).join(", ")}`);
      if (e.startDateTime !== undefined) checkPattern(this, `${prop}.startDateTime`, e.startDateTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "a UTC instant, YYYY-MM-DDTHH:MM:SSZ");
      checkRange(this, `${prop}.durationDays`, e.durationDays, 1, 365);
      if (typeof e.justification !== "string" || e.justification.trim().length < 10) invalid(this, `${prop}.justification`, e.justification, "a justification of at least 10 characters");
      // Keyed on role and principal, not position: reordering the list must not replace assignments.
      const id = stableId(e.role, `${e.role}|${expressionOf(this, e.principalObjectId)}`);
      checkPattern(this, `${prop}.principalObjectId`, e.principalObjectId, GUID, "an Entra object ID (GUID)");
      if (this.node.tryFindChild(id)) invalid(this, `${prop}`, e.role, "one eligibility per role and principal");
      return new PimEligibleRoleAssignment(this, id, {
        scope: e.scopeId,
        principalId: e.principalObjectId,
        roleDefinitionId: `/subscriptions/${props.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${BUILTIN_ROLE_IDS[e.role]}`,
        justification: `${props.domain}: ${e.justification}`,
        // Without a start, Azure starts it now; azurerm fills the computed start from the API only when state has none,
        // so the next plan shows no diff (azurerm pim_eligible_role_assignment_resource.go, read).
        schedule: { startDateTime: e.startDateTime, expiration: { durationDays: e.durationDays } },
      });
    });
  }
}
