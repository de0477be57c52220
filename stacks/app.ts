import { App } from "cdktf";
import { Guardrails } from "../lib/guardrails/guardrails";
import { AppConfig } from "./config/load";
import { CatalogStack } from "./catalog-stack";
import { DomainStack } from "./domain-stack";
import { FeaturesStack } from "./features-stack";
import { MedallionStack } from "./medallion-stack";
import { PimStack } from "./pim-stack";
import { PlatformStack } from "./platform-stack";

/**
 * Builds the app. Per environment, in name order: `platform-<env>`, `catalog-<env>`, a `domain-<domain>-<env>`
 * per domain deployed there, `pim-<env>` when any of those domains asks for PIM, and `features-<env>` when the
 * environment has an online feature tier.
 */
export function buildApp(config: AppConfig, outdir: string): { app: App; guardrails: Guardrails } {
  const app = new App({ outdir, stackTraces: false });
  for (const environment of config.environments) {
    const env = environment.environment;
    const props = { organization: config.organization, environment };
    const platform = new PlatformStack(app, `platform-${env}`, props);
    const catalog = new CatalogStack(app, `catalog-${env}`, { ...props, platform });
    const domains = config.domains
      .filter((domain) => env in domain.environments)
      .map((domain) => ({ config: domain, stack: new DomainStack(app, `domain-${domain.domain}-${env}`, { ...props, domain, platform, catalog }) }));
    const withPim = domains.filter(({ config: domain }) => domain.environments[env].pim !== undefined);
    if (withPim.length > 0) new PimStack(app, `pim-${env}`, { ...props, domains: withPim });
    if (environment.features) new FeaturesStack(app, `features-${env}`, { ...props, features: environment.features, platform });
  }
  // Every stack passes the policy pack before it is written (applied once all stacks exist).
  const guardrails = Guardrails.of(app, { production: (stack) => stack instanceof MedallionStack && stack.config.environment.protectFromDeletion });
  return { app, guardrails };
}
