import { resourceId } from "../lib/core/validation";
import { CatalogStorage } from "../lib/data-domain/catalog-storage";
import { DataDomain } from "../lib/data-domain/data-domain";
import { MedallionPlatform } from "../lib/medallion-platform/medallion-platform";
import { DomainConfig } from "./config/schema";
import { MedallionStack } from "./medallion-stack";
import { PlatformStack } from "./platform-stack";

/** A primary storage account a secondary's serverless compute reads: the deep clones' source files. */
export interface ReplicationSource {
  /** `platform` (the lake), or the domain whose dedicated catalog storage it is. */
  readonly owner: string;
  readonly accountName: string;
  readonly resourceId: string;
}

/**
 * The primary's storage a secondary's serverless compute reads when it deep-clones the shared tables: the lake, and
 * each dedicated catalog storage of a domain with data products. One list: the secondary's NCC rules (catalog and
 * domain stacks) and its serverless egress policy (governance stack) are generated from it, so they cannot disagree.
 */
export function replicationSources(stack: MedallionStack, domains: readonly DomainConfig[]): ReplicationSource[] {
  if (!stack.secondary) return [];
  const primary = stack.primaryNaming();
  const subscription = stack.subscriptionId.stringValue;
  const env = stack.config.environment.environment;
  const lake = { owner: "platform", accountName: MedallionPlatform.lakeName(stack, primary), resourceId: PlatformStack.lakeId(stack, primary, subscription) };
  const dedicated = domains
    .filter((d) => d.environments[env]?.catalogStorage === "dedicated" && (d.dataProducts ?? []).length > 0)
    .map((d) => {
      const accountName = CatalogStorage.accountName(stack, primary, d.domain);
      return { owner: d.domain, accountName, resourceId: resourceId(subscription, DataDomain.resourceGroupName(stack, primary, d.domain), "Microsoft.Storage/storageAccounts", accountName) };
    });
  return [lake, ...dedicated];
}
