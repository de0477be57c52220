import type { Group, GroupConfig } from "@cdktf/provider-azuread/lib/group";
import type { AzureadProvider, AzureadProviderConfig } from "@cdktf/provider-azuread/lib/provider";
import { Construct, IConstruct } from "constructs";
import { invalid } from "../core/validation";

/**
 * The azuread bindings, loaded only when a feature needs them: Entra group creation is the one feature that does, and a
 * flavour without azuread (CDK Terrain has no azuread provider package) fails here, at synth, naming the prop — never
 * when the library is imported.
 */
function azuread<T>(scope: IConstruct, prop: string, module: "group" | "provider"): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`@cdktf/provider-azuread/lib/${module}`) as T;
  } catch {
    return invalid(scope, prop, true, "false: creating Entra groups needs the azuread provider bindings (@cdktf/provider-azuread), which this installation lacks (the CDK Terrain flavour has none); give the personas' object IDs instead");
  }
}

/** An azuread_group (see {@link azuread}). */
export function newEntraGroup(scope: Construct, id: string, config: GroupConfig): Group {
  const { Group: GroupClass } = azuread<{ Group: new (s: Construct, i: string, c: GroupConfig) => Group }>(scope, "entraGroups", "group");
  return new GroupClass(scope, id, config);
}

/** The azuread provider (see {@link azuread}). */
export function newAzureadProvider(scope: Construct, id: string, config: AzureadProviderConfig): AzureadProvider {
  const { AzureadProvider: ProviderClass } = azuread<{ AzureadProvider: new (s: Construct, i: string, c: AzureadProviderConfig) => AzureadProvider }>(scope, "entraGroups", "provider");
  return new ProviderClass(scope, id, config);
}
