import { App } from "cdktf";
import { Guardrails } from "../lib/guardrails/guardrails";
import { setRecoveryRecord } from "../lib/disaster-recovery/recovery-metadata";
import { RecoveryReport } from "../lib/disaster-recovery/recovery-report";
import { AppConfig } from "./config/load";
import { EnvironmentConfig } from "./config/schema";
import { CatalogStack } from "./catalog-stack";
import { checkRecoveryConfig, environmentRecoveryReport, RecoveryTargetsError, recoveryRecord, secondaryEnvironment } from "./disaster-recovery";
import { DomainStack } from "./domain-stack";
import { FeaturesStack } from "./features-stack";
import { GovernanceStack } from "./governance-stack";
import { MedallionStack, MedallionStackProps } from "./medallion-stack";
import { PimStack } from "./pim-stack";
import { PlatformStack } from "./platform-stack";

/** One region's stacks of an environment. */
interface RegionStacks {
  readonly platform: PlatformStack;
  readonly catalog: CatalogStack;
  readonly domains: ReadonlyMap<string, DomainStack>;
  readonly features?: FeaturesStack;
  readonly pim?: PimStack;
  readonly governance: GovernanceStack;
}

/**
 * Builds the app. Per environment, in name order: `platform-<env>`, `catalog-<env>`, a `domain-<domain>-<env>`
 * per domain deployed there, `pim-<env>` when any of those domains asks for PIM, and `features-<env>` when the
 * environment has an online feature tier, and `governance-<env>`. An environment with a secondary region gets the same stacks again, suffixed
 * `-dr`, each deployed after its primary; its RPO/RTO report is computed, and synth fails when it misses a target.
 */
export function buildApp(config: AppConfig, outdir: string): { app: App; guardrails: Guardrails; recoveryReports: RecoveryReport[] } {
  const app = new App({ outdir, stackTraces: false });
  const recoveryReports: RecoveryReport[] = [];
  for (const environment of config.environments) {
    const props = { organization: config.organization, environment };
    const platform = new PlatformStack(app, `platform-${environment.environment}`, props);
    if (!environment.disasterRecovery) {
      buildRegion(app, config, props, platform, "");
      continue;
    }
    const plan = checkRecoveryConfig(platform, environment);
    const report = environmentRecoveryReport(environment, plan);
    if (report.violations.length > 0) throw new RecoveryTargetsError(report.violations);
    recoveryReports.push(report);

    const primaryPair = { region: { role: "primary" as const, config: environment.disasterRecovery, primary: environment }, plan };
    const primary = buildRegion(app, config, { ...props, pair: primaryPair }, platform, "");

    const secondaryProps = { organization: config.organization, environment: secondaryEnvironment(environment), pair: { ...primaryPair, region: { ...primaryPair.region, role: "secondary" as const } } };
    const secondaryPlatform = new PlatformStack(app, `platform-${environment.environment}-dr`, secondaryProps);
    const secondary = buildRegion(app, config, secondaryProps, secondaryPlatform, "-dr");
    // Each secondary stack deploys after its primary: the shares and the cache it replicates from exist by then.
    secondary.platform.addDependency(primary.platform);
    secondary.catalog.addDependency(primary.catalog);
    for (const [domain, stack] of secondary.domains) stack.addDependency(primary.domains.get(domain)!);
    if (secondary.features && primary.features) secondary.features.addDependency(primary.features);
    if (secondary.pim && primary.pim) secondary.pim.addDependency(primary.pim);
    // The secondary looks up the FinOps and audit groups the primary's governance provisions.
    secondary.governance.addDependency(primary.governance);
    // Every stack of the pair records its place in it (the guardrails' MDL-DR rules read the record).
    for (const [region, stacks] of [[primaryPair.region, primary], [secondaryProps.pair.region, secondary]] as const) {
      for (const stack of stacksOf(stacks)) setRecoveryRecord(stack, recoveryRecord(region, plan));
    }
  }
  // Every stack passes the policy pack before it is written (applied once all stacks exist).
  const guardrails = Guardrails.of(app, { production: (stack) => stack instanceof MedallionStack && stack.config.environment.protectFromDeletion });
  return { app, guardrails, recoveryReports };
}

function stacksOf(region: RegionStacks): MedallionStack[] {
  return [region.platform, region.catalog, ...region.domains.values(), ...(region.pim ? [region.pim] : []), ...(region.features ? [region.features] : []), region.governance];
}

/** The region's catalog, domain, PIM and features stacks on its platform stack; `suffix` names the secondary's. */
function buildRegion(app: App, config: AppConfig, props: MedallionStackProps, platform: PlatformStack, suffix: string): RegionStacks {
  const environment: EnvironmentConfig = props.environment;
  const env = environment.environment;
  const catalog = new CatalogStack(app, `catalog-${env}${suffix}`, { ...props, platform });
  const domains = new Map(
    config.domains
      .filter((domain) => env in domain.environments)
      .map((domain) => [domain.domain, new DomainStack(app, `domain-${domain.domain}-${env}${suffix}`, { ...props, domain, platform, catalog })] as const),
  );
  const withPim = config.domains.filter((domain) => domains.has(domain.domain) && domain.environments[env].pim !== undefined).map((domain) => ({ config: domain, stack: domains.get(domain.domain)! }));
  const pim = withPim.length > 0 ? new PimStack(app, `pim-${env}${suffix}`, { ...props, domains: withPim }) : undefined;
  const features = environment.features ? new FeaturesStack(app, `features-${env}${suffix}`, { ...props, features: environment.features, platform }) : undefined;
  const governance = new GovernanceStack(app, `governance-${env}${suffix}`, { ...props, platform, catalog, domains: config.domains.filter((domain) => env in domain.environments) });
  return { platform, catalog, domains, features, pim, governance };
}
