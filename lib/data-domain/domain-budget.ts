import { Fn } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { ConsumptionBudgetResourceGroup } from "@cdktf/provider-azurerm/lib/consumption-budget-resource-group";
import { Naming } from "../core/naming";
import { checkPattern, invalid } from "../core/validation";
import { checkProps } from "../core/prop-checks";

export interface DomainBudgetOptions {
  /** Monthly amount; must be positive. */
  readonly amount: number;
  /** `YYYY-MM-01`, fixed at creation. @default the month of the first apply (see DomainBudget) */
  readonly startDate?: string;
  /** @default [80, 100] */
  readonly actualThresholds?: number[];
  /** @default [100, 110] */
  readonly forecastThresholds?: number[];
}

export interface DomainBudgetProps {
  readonly naming: Naming;
  readonly purpose: string;
  /** Resource group the budget watches. */
  readonly resourceGroupId: string;
  /** Monthly amount in the billing currency; must be positive. */
  readonly amount: number;
  /**
   * First day of the first budget month, `YYYY-MM-01`. Azure accepts a past start only within the current month and
   * the start cannot change later (ForceNew), so a literal date goes stale. @default the first day of the month of the
   * apply that creates the budget — computed by Terraform at apply time, then kept (`ignore_changes`), so synth output
   * never depends on the clock and the budget is deployable in any month
   */
  readonly startDate?: string;
  readonly contactEmails: string[];
  /** Action group alerted with the e-mails. */
  readonly actionGroupId?: string;
  /** Percentages of actual spend that notify. @default [80, 100] */
  readonly actualThresholds?: number[];
  /** Percentages of forecast spend that notify. @default [100, 110] */
  readonly forecastThresholds?: number[];
}

/** The first day of the current month at apply time, as the budget API wants it. */
const CURRENT_MONTH = Fn.formatdate("YYYY-MM-01'T'00:00:00'Z'", Fn.timestamp());

/** A monthly consumption budget on a resource group, notifying on actual and forecast spend. */
/**
 * Checks budget options — amount, start date, thresholds — naming each prop with `prefix` (`budget.` when a DataDomain
 * passes its own props on), so the error names what the user wrote. Returns the thresholds with their defaults.
 */
export function checkBudgetOptions(scope: IConstruct, options: Pick<DomainBudgetProps, "amount" | "startDate" | "actualThresholds" | "forecastThresholds">, prefix = ""): { actual: number[]; forecast: number[] } {
  if (typeof options.amount !== "number" || !Number.isFinite(options.amount) || options.amount <= 0) invalid(scope, `${prefix}amount`, options.amount, "a positive amount");
  if (options.startDate !== undefined) {
    checkPattern(scope, `${prefix}startDate`, options.startDate, /^\d{4}-(0[1-9]|1[0-2])-01$/, "the first day of a month, YYYY-MM-01");
  }
  const actual = options.actualThresholds ?? [80, 100];
  const forecast = options.forecastThresholds ?? [100, 110];
  for (const [prop, list] of [["actualThresholds", actual], ["forecastThresholds", forecast]] as const) {
    for (const t of list) if (!Number.isInteger(t) || t <= 0 || t > 1000) invalid(scope, `${prefix}${prop}`, t, "whole percentages from 1 to 1000");
    if (new Set(list).size !== list.length) invalid(scope, `${prefix}${prop}`, list, "distinct percentages");
  }
  if (actual.length + forecast.length > 5) invalid(scope, `${prefix}actualThresholds`, [...actual, ...forecast], "at most 5 notifications in all (an Azure limit)");
  return { actual: [...actual], forecast: [...forecast] };
}

export class DomainBudget extends Construct {
  readonly budget: ConsumptionBudgetResourceGroup;

  constructor(scope: Construct, id: string, props: DomainBudgetProps) {
    super(scope, id);
    checkProps(this, props);
    const { actual, forecast } = checkBudgetOptions(this, props);
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
      timePeriod: { startDate: props.startDate !== undefined ? `${props.startDate}T00:00:00Z` : CURRENT_MONTH },
      notification: [...actual.map((t) => notification("Actual", t)), ...forecast.map((t) => notification("Forecasted", t))],
      // The start is ForceNew and fixed once created: a later apply in another month must not replace the budget.
      lifecycle: { ignoreChanges: ["time_period"] },
    });
  }
}
