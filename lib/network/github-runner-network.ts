import { Fn, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { ResourceGroupTemplateDeployment } from "@cdktf/provider-azurerm/lib/resource-group-template-deployment";
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { Naming } from "../core/naming";
import { invalid } from "../core/validation";
import { addDiagnostics } from "../monitoring/diagnostics";
import { addNsgRules, NsgRule, validateNsgRules } from "../secure-workspace/nsg-rules";
import { Cidr } from "./cidr";
import { addNatEgress } from "./nat-egress";
import { checkProps } from "../core/prop-checks";

/**
 * Azure regions where GitHub-hosted runners can join a VNet (docs.github.com, "Troubleshooting Azure private network
 * configurations for GitHub-hosted runners", Supported regions, github.com — not GHE.com data residency).
 */
export const GITHUB_PRIVATE_NETWORKING_REGIONS: readonly string[] = [
  "australiaeast", "brazilsouth", "canadacentral", "canadaeast", "centralus", "eastasia", "eastus", "eastus2", "francecentral", "germanywestcentral",
  "japaneast", "koreacentral", "northcentralus", "northeurope", "norwayeast", "southcentralus", "southeastasia", "southindia", "swedencentral",
  "switzerlandnorth", "uksouth", "westus", "westus2", "westus3",
];

/** The API version GitHub documents for GitHub.Network/networkSettings (GA: `businessId`, not the preview's `organizationId`). */
export const NETWORK_SETTINGS_API_VERSION = "2024-04-02";

/**
 * The runners' subnet: nothing comes in; out, HTTPS to the network (private endpoints: the workspace, storage, vaults)
 * and to the Internet (GitHub, Entra ID, Azure Resource Manager, the Databricks account API); nothing else.
 */
export const RUNNER_SUBNET_RULES: readonly NsgRule[] = [
  { name: "allow-https-to-network", description: "The workspace front end and the private endpoints the deploy uses", priority: 100, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "VirtualNetwork", destinationPortRanges: ["443"] },
  { name: "allow-https-to-internet", description: "GitHub, Entra ID, Azure Resource Manager, accounts.azuredatabricks.net, provider downloads", priority: 110, direction: "Outbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "Internet", destinationPortRanges: ["443"] },
  { name: "deny-other-outbound", description: "Nothing else leaves the runners", priority: 4000, direction: "Outbound", access: "Deny", protocol: "*", sourceAddressPrefix: "*", destinationAddressPrefix: "*", destinationPortRanges: ["*"] },
  { name: "deny-all-inbound", description: "Runners take no inbound connections", priority: 4000, direction: "Inbound", access: "Deny", protocol: "*", sourceAddressPrefix: "*", destinationAddressPrefix: "*", destinationPortRanges: ["*"] },
];

export interface GitHubRunnerNetworkProps {
  readonly naming: Naming;
  /** Resource group of the VNet (the transit VNet's, or the hub's: a reference). */
  readonly resourceGroupName: string;
  readonly location: string;
  /** The VNet the runners join: a transit or hub VNet that reaches the workspace's front-end endpoint and its DNS. */
  readonly virtualNetworkName: string;
  /** A free range of that VNet for the runners' subnet: /28 or larger (a runner takes an address while it runs). */
  readonly addressPrefix: string;
  /** The GitHub organization's or enterprise's `databaseId` (GitHub GraphQL API): a variable, never a literal. */
  readonly businessId: string;
  /** The provider of the VNet's subscription (the hub's). @default the stack's */
  readonly provider?: TerraformProvider;
  /**
   * How the runners reach GitHub, Entra ID and ARM: the subnet has no default outbound access, so it needs an explicit
   * path (azurerm review M7). `natGateway`: a NAT gateway of its own; `routed`: the VNet already routes the subnet's
   * traffic out (a UDR to the hub firewall the network team manages), and nothing is created. @default "natGateway"
   */
  readonly egress?: "natGateway" | "routed";
}

/**
 * Azure private networking for GitHub-hosted runners: a subnet delegated to `GitHub.Network/networkSettings`, behind an
 * NSG, and that networkSettings resource (an ARM deployment: azurerm has no resource for it). Its `GitHubId` is what the
 * GitHub organization's network configuration takes; runners of a runner group on that configuration then run inside
 * the VNet and reach the private workspace. The `GitHub.Network` resource provider must be registered.
 */
export class GitHubRunnerNetwork extends Construct {
  readonly subnet: Subnet;
  readonly networkSecurityGroup: NetworkSecurityGroup;
  readonly deployment: ResourceGroupTemplateDeployment;
  /** The runners' way out, with egress `natGateway`. */
  readonly natGateway?: NatGateway;
  /** Resource ID of the GitHub.Network/networkSettings resource. */
  readonly networkSettingsId: string;
  /** The `GitHubId` tag Azure sets on the networkSettings resource: give it to GitHub's network configuration. */
  readonly gitHubId: string;
  private readonly props: GitHubRunnerNetworkProps;

  constructor(scope: Construct, id: string, props: GitHubRunnerNetworkProps) {
    super(scope, id);
    checkProps(this, props);
    props.naming.location(this, "location", props.location);
    this.props = props;
    if (!GITHUB_PRIVATE_NETWORKING_REGIONS.includes(props.location)) {
      invalid(this, "location", props.location, `a region where GitHub-hosted runners can join a VNet (${GITHUB_PRIVATE_NETWORKING_REGIONS.join(", ")}); elsewhere use self-hosted runners`);
    }
    let cidr: Cidr;
    try {
      cidr = Cidr.parse(props.addressPrefix);
    } catch {
      invalid(this, "addressPrefix", props.addressPrefix, "an IPv4 CIDR, /28 or larger");
    }
    if (cidr.prefix > 28) invalid(this, "addressPrefix", props.addressPrefix, "a /28 or larger subnet");
    validateNsgRules(this, "rules", RUNNER_SUBNET_RULES, false);
    const { naming } = props;
    const provider = props.provider ? { provider: props.provider } : {};

    this.networkSecurityGroup = new NetworkSecurityGroup(this, "nsg", { ...provider, name: naming.networkSecurityGroup(this, "runners"), resourceGroupName: props.resourceGroupName, location: props.location });
    for (const rule of addNsgRules(this.networkSecurityGroup, RUNNER_SUBNET_RULES)) if (props.provider) rule.provider = props.provider;
    this.subnet = new Subnet(this, "subnet", {
      ...provider,
      name: naming.subnet(this, "runners"),
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: props.virtualNetworkName,
      addressPrefixes: [props.addressPrefix],
      defaultOutboundAccessEnabled: false,
      privateEndpointNetworkPolicies: "Enabled",
      delegation: [{ name: "github-network-settings", serviceDelegation: { name: "GitHub.Network/networkSettings", actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] } }],
    });
    const association = new SubnetNetworkSecurityGroupAssociation(this, "nsg-association", { ...provider, subnetId: this.subnet.id, networkSecurityGroupId: this.networkSecurityGroup.id });
    const egress = props.egress ?? "natGateway";
    if (egress !== "natGateway" && egress !== "routed") invalid(this, "egress", egress, `"natGateway" or "routed"`);
    if (egress === "natGateway") {
      this.natGateway = addNatEgress(this, { naming, purpose: "runners", resourceGroupName: props.resourceGroupName, location: props.location, idleTimeoutMinutes: 4, subnets: { "nat-association": this.subnet.id }, provider: props.provider });
    }

    const name = naming.templateDeployment(this, "ghrunners");
    const template = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      contentVersion: "1.0.0.0",
      parameters: { name: { type: "string" }, location: { type: "string" }, subnetId: { type: "string" }, businessId: { type: "string" } },
      resources: [
        {
          type: "GitHub.Network/networkSettings",
          apiVersion: NETWORK_SETTINGS_API_VERSION,
          name: "[parameters('name')]",
          location: "[parameters('location')]",
          properties: { subnetId: "[parameters('subnetId')]", businessId: "[parameters('businessId')]" },
        },
      ],
      outputs: {
        id: { type: "string", value: "[resourceId('GitHub.Network/networkSettings', parameters('name'))]" },
        gitHubId: { type: "string", value: `[reference(resourceId('GitHub.Network/networkSettings', parameters('name')), '${NETWORK_SETTINGS_API_VERSION}', 'Full').tags.GitHubId]` },
      },
    };
    this.deployment = new ResourceGroupTemplateDeployment(this, "network-settings", {
      ...provider,
      name,
      resourceGroupName: props.resourceGroupName,
      deploymentMode: "Incremental",
      templateContent: JSON.stringify(template),
      parametersContent: Fn.jsonencode({ name: { value: naming.networkSettings(this, "runners") }, location: { value: props.location }, subnetId: { value: this.subnet.id }, businessId: { value: props.businessId } }),
      // The delegation and the NSG are in place before GitHub's service attaches to the subnet.
      dependsOn: [association],
    });
    const outputs = Fn.jsondecode(this.deployment.outputContent);
    this.networkSettingsId = Fn.lookup(Fn.lookup(outputs, "id"), "value");
    this.gitHubId = Fn.lookup(Fn.lookup(outputs, "gitHubId"), "value");
  }

  /** Sends the NSG's flow events and rule counters to Log Analytics. */
  sendLogsTo(logAnalyticsWorkspaceId: string): void {
    const diagnostics = addDiagnostics(this, "nsg-diagnostics", { name: this.props.naming.diagnosticSetting(this, "runners", "nsg"), targetResourceId: this.networkSecurityGroup.id, logAnalyticsWorkspaceId, kind: "networkSecurityGroup" });
    if (this.props.provider) diagnostics.provider = this.props.provider;
  }
}
