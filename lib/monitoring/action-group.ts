import { Construct } from "constructs";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { Naming } from "../core/naming";

export interface ActionGroupProps {
  readonly naming: Naming;
  readonly purpose: string;
  /** Purpose in the short name (12 characters with the environment). @default `purpose` */
  readonly shortPurpose?: string;
  readonly resourceGroupName: string;
  /** E-mail receivers, in the common alert schema. */
  readonly contacts: readonly string[];
}

/** An action group e-mailing the contacts: where alerts and budgets notify. */
export function addActionGroup(scope: Construct, id: string, props: ActionGroupProps): MonitorActionGroup {
  return new MonitorActionGroup(scope, id, {
    name: props.naming.actionGroup(scope, props.purpose),
    shortName: props.naming.actionGroupShortName(scope, props.shortPurpose ?? props.purpose),
    resourceGroupName: props.resourceGroupName,
    location: "global",
    enabled: true,
    emailReceiver: props.contacts.map((email, i) => ({ name: `contact-${i + 1}`, emailAddress: email, useCommonAlertSchema: true })),
  });
}
