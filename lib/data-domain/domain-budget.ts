import { Construct } from "constructs";
import { ConsumptionBudgetResourceGroup } from "@cdktf/provider-azurerm/lib/consumption-budget-resource-group";
import { Naming } from "../core/naming";
import { checkPattern, invalid } from "../core/validation";

export interface DomainBudgetProps {
  readonly naming: Naming;
  readonly purpose: string;
  /** Resource group the budget watches. */
  readonly resourceGroupId: string;
  /** Monthly amount in the billing currency; must be positive. */
  readonly amount: number;
  /** First day of the first budget month, `YYYY-MM-01` (a fixed date: synth output never depends on the clock). */
  readonly startDate: string;
  readonly contactEmails: string[];
  /** Action group alerted with the e-mails. */
  readonly actionGroupId?: string;
  /** Percentages of actual spend that notify. @default [80, 100] */
  readonly actualThresholds?: number[];
  /** Percentages of forecast spend that notify. @default [100, 110] */
  readonly forecastThresholds?: number[];
}

/** A monthly consumption budget on a resource group, notifying on actual and forecast spend. */
export class DomainBudget extends Construct {
  readonly budget: ConsumptionBudgetResourceGroup;

  constructor(scope: Construct, id: string, props: DomainBudgetProps) {
    super(scope, id);
    if (typeof props.amount !== "number" || !Number.isFinite(props.amount) || props.amount <= 0) invalid(this, "amount", props.amount, "a positive amount");
    checkPattern(this, "startDate", props.startDate, /^\d{4}-(0[1-9]|1[0-2])-01$/, "the first day of a month, YYYY-MM-01");
    const actual = props.actualThresholds ?? [80, 100];
    const forecast = props.forecastThresholds ?? [100, 110];
    for (const [prop, list] of [["actualThresholds", actual], ["forecastThresholds", forecast]] as const) {
      for (const t of list) if (!Number.isInteger(t) || t <= 0 || t > 1000) invalid(this, prop, t, "whole percentages from 1 to 1000");
      if (new Set(list).size !== list.length) invalid(this, prop, list, "distinct percentages");
    }
    if (actual.length + forecast.length > 5) invalid(this, "actualThresholds", [...actual, ...forecast], "at most 5 notifications in all (an Azure limit)");
    if (props.contactEmails.length === 0 && !props.actionGroupId) invalid(this, "contactEmails", props.contactEmails, "at least one contact e-mail or an action group");
    for (const email of props.contactEmails) checkPattern(this, "contactEmails", email, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, "e-mail addresses");

    const notification = (thresholdType: "Actual" | "Forecasted", threshold: number) => ({
      enabled: true,
      operator: "GreaterThanOrEqualTo",
      threshold,
      thresholdType,
      contactEmails: props.contactEmails,
      contactGroups: props.actionGroupId ? [props.actionGroupId] : undefined,
    });
    this.budget = new ConsumptionBudgetResourceGroup(this, "budget", {
      name: props.naming.budget(this, props.purpose),
      resourceGroupId: props.resourceGroupId,
      amount: props.amount,
      timeGrain: "Monthly",
      timePeriod: { startDate: `${props.startDate}T00:00:00Z` },
      notification: [...actual.map((t) => notification("Actual", t)), ...forecast.map((t) => notification("Forecasted", t))],
    });
  }
}
