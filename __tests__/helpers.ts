import { App, TerraformStack, Testing } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { Naming } from "../lib/core/naming";
import { MandatoryTagging } from "../lib/core/tags";

export const TAGS = { environment: "dev", owner: "team@example.com", costCenter: "CC-1", dataClassification: "internal", managedBy: "tests" } as const;

/** A stack with only the azurerm provider. */
export function bareStack(id: string, app: App = Testing.app({ stackTraces: false })): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  return stack;
}

/** A stack with naming and tags, for construct-level tests. */
export function testStack(id = "test", region = "westeurope"): { app: App; stack: TerraformStack; naming: Naming } {
  const app = Testing.app({ stackTraces: false });
  const stack = bareStack(id, app);
  const naming = new Naming(stack, { organization: "contoso", workload: "lake", environment: "dev", region });
  MandatoryTagging.apply(stack, TAGS);
  return { app, stack, naming };
}

export interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export function synth(stack: TerraformStack): Synthesized {
  return JSON.parse(Testing.synth(stack, true)) as Synthesized;
}

/** Every resource of a type, without cdktf's metadata. */
export function resourcesOf(json: Synthesized, type: string): Record<string, unknown>[] {
  return Object.values(json.resource[type] ?? {}).map((r) => {
    const { ["//"]: _meta, ...rest } = r;
    return rest;
  });
}

/** The single resource of a type whose name matches. */
export function resourceNamed(json: Synthesized, type: string, name: string): Record<string, unknown> {
  const found = resourcesOf(json, type).filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${resourcesOf(json, type).map((r) => r.name).join(", ")}`);
  return found[0];
}
