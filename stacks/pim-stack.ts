import { Construct } from "constructs";
import { DomainPim } from "../lib/data-domain/domain-pim";
import { DomainConfig } from "./config/schema";
import { DomainStack } from "./domain-stack";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";

export interface PimStackProps extends MedallionStackProps {
  /** The environment's domains whose configuration asks for PIM, with their stacks. */
  readonly domains: { readonly config: DomainConfig; readonly stack: DomainStack }[];
}

/**
 * `pim-<env>`: every domain's PIM eligibilities of one environment, apart from everything else — PIM's API is slow
 * and fragile, and its failures must not block a domain's deploy.
 */
export class PimStack extends MedallionStack {
  constructor(scope: Construct, id: string, props: PimStackProps) {
    super(scope, id, props);
    const env = props.environment.environment;
    for (const { config, stack } of props.domains) {
      const domain = stack.domain;
      const pim = config.environments[env].pim!;
      new DomainPim(this, domain.name, {
        domain: domain.name,
        subscriptionId: this.subscriptionId.stringValue,
        // What the domain holds as eligible only: the persona model decides, the configuration sets the schedule.
        eligibilities: domain.eligibleAssignments.map((e) => ({ ...e, durationDays: pim.durationDays, justification: pim.justification })),
      });
    }
  }
}
