import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import { deployVariable, DeployVariableProps } from "../lib/ci/deploy-metadata";

export type StackVariableProps = DeployVariableProps;

/** Declares a stack-level variable with its CI source (see deployVariable). */
export function stackVariable(stack: TerraformStack, name: string, props: StackVariableProps): TerraformVariable {
  return deployVariable(stack, name, props);
}

/** Declares an output with a static name, the contract CI and downstream deploys read. */
export function stackOutput(stack: TerraformStack, name: string, value: unknown, description: string, sensitive = false): TerraformOutput {
  return new TerraformOutput(stack, name, { value, description, sensitive, staticId: true });
}
