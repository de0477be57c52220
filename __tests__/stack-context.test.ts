import { TerraformStack, Testing } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { Naming } from "../lib/core/naming";
import { StackContext } from "../lib/core/stack-context";
import { MandatoryTagging } from "../lib/core/tags";
import { MedallionPlatform } from "../lib/medallion-platform/medallion-platform";
import { PrivateDns } from "../lib/network/private-dns";
import { RedisFeatureTier } from "../lib/redis-feature-tier/redis-feature-tier";
import { SecureWorkspace } from "../lib/secure-workspace/secure-workspace";
import { TAGS } from "./helpers";

const G = (n: number) => `aaaaaaaa-0000-0000-0000-${String(n).padStart(12, "0")}`;
const SUBNET = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/pe";
const LOG = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log";

const ACTION_GROUP = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ops";
const REDIS = { resourceGroupName: "rg-lake-features-dev-weu", privateEndpointSubnetId: SUBNET, featurePublisher: { objectId: G(2) }, onlineServing: { objectId: G(3) }, featureSets: [{ domain: "fin", name: "v", schemaVersion: 1, freshnessSlaSeconds: 600 }] };

/**
 * A stack whose constructs state naming, location, DNS, monitoring and the action group explicitly, or find them in a
 * StackContext (the DNS zones and Log Analytics workspace offered by the platform, created first).
 */
function app(withContext: boolean) {
  const stack = new TerraformStack(Testing.app({ stackTraces: false }), "team");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  const naming = new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region: "westeurope" });
  if (withContext) new StackContext(stack, { naming, tags: TAGS, actionGroupId: ACTION_GROUP });
  else MandatoryTagging.apply(stack, TAGS);
  const explicit = withContext ? {} : { naming, location: "westeurope" as const };
  const platform = new MedallionPlatform(stack, "platform", { ...explicit, resourceGroupName: "rg-lake-platform-dev-weu", tenantId: G(99), workspace: { network: { addressSpace: "10.20.0.0/22" } }, principals: { deploymentObjectId: G(1) } });
  const shared = withContext ? {} : { privateDns: platform.privateDns, logAnalyticsWorkspaceId: platform.logAnalyticsWorkspaceId };
  new SecureWorkspace(stack, "extra-workspace", { ...explicit, ...shared, purpose: "extra", resourceGroupName: "rg-lake-platform-dev-weu", network: { addressSpace: "10.30.0.0/22" } });
  new RedisFeatureTier(stack, "features", { ...explicit, ...shared, ...(withContext ? {} : { actionGroupId: ACTION_GROUP }), ...REDIS });
  return stack;
}

describe("StackContext", () => {
  test("constructs find naming, location and tags from the stack: the JSON is identical to explicit props", () => {
    expect(Testing.synth(app(true))).toBe(Testing.synth(app(false)));
  });

  test("the platform offers its DNS zones and Log Analytics workspace to the constructs after it; a context's own win", () => {
    const stack = new TerraformStack(Testing.app({ stackTraces: false }), "team");
    const naming = new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region: "westeurope" });
    const dns = new PrivateDns(stack, "hub-dns", { naming, resourceGroupName: "rg-hub" });
    const context = new StackContext(stack, { naming, tags: TAGS, privateDns: dns });
    const platform = new MedallionPlatform(stack, "platform", { resourceGroupName: "rg", tenantId: G(99), workspace: { network: { addressSpace: "10.20.0.0/22" } }, principals: { deploymentObjectId: G(1) } });
    expect(platform.privateDns).toBe(dns);
    expect(platform.node.tryFindChild("dns")).toBeUndefined();
    expect(context.privateDns).toBe(dns);
    expect(context.logAnalyticsWorkspaceId).toBe(platform.logAnalyticsWorkspaceId);
    const workspace = new SecureWorkspace(stack, "w", { purpose: "extra", resourceGroupName: "rg", network: { addressSpace: "10.30.0.0/22" } });
    expect(workspace.logAnalyticsWorkspaceId).toBe(platform.logAnalyticsWorkspaceId);
    expect(workspace.logAnalyticsWorkspace).toBeUndefined();
  });

  test("a Redis tier without DNS zones, explicit or from the context, fails naming the prop", () => {
    const stack = new TerraformStack(Testing.app({ stackTraces: false }), "team");
    new StackContext(stack, { naming: new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region: "westeurope" }), tags: TAGS });
    expect(() => new RedisFeatureTier(stack, "features", { ...REDIS, logAnalyticsWorkspaceId: LOG })).toThrow(/team\/features: invalid privateDns \(missing\): expected a value, or a StackContext on the stack that has one/);
  });

  test("an explicit prop still wins over the context", () => {
    const stack = new TerraformStack(Testing.app({ stackTraces: false }), "team");
    const naming = new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region: "westeurope" });
    new StackContext(stack, { naming, tags: TAGS });
    const other = new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region: "northeurope" });
    const workspace = new SecureWorkspace(stack, "w", { naming: other, resourceGroupName: "rg", network: { addressSpace: "10.20.0.0/22" } });
    expect(workspace.workspaceName).toBe("dbw-lake-core-dev-neu");
    expect(StackContext.of(workspace)?.naming).toBe(naming);
  });

  test("without a context or an explicit naming, the error names the prop and how to provide it", () => {
    const stack = new TerraformStack(Testing.app({ stackTraces: false }), "team");
    expect(() => new SecureWorkspace(stack, "w", { resourceGroupName: "rg", network: { addressSpace: "10.20.0.0/22" } })).toThrow(
      /team\/w: invalid naming \(missing\): expected a Naming, or a StackContext on the stack \(new StackContext\(stack, \{ naming \}\)\)/,
    );
  });
});
