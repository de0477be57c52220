import { TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";

export interface StackVariableProps {
  readonly type: "string" | "bool" | "number" | "list(string)";
  readonly description: string;
  readonly default?: unknown;
  readonly sensitive?: boolean;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Declares a Terraform variable directly on the stack, so its name is exactly `name` and CI can set it as
 * `TF_VAR_<name>` (a variable declared inside a construct gets a hashed name).
 */
export function stackVariable(stack: TerraformStack, name: string, props: StackVariableProps): TerraformVariable {
  if (!NAME.test(name)) throw new Error(`${stack.node.path}: invalid variable name "${name}": expected [a-z][a-z0-9_]* (usable as TF_VAR_<name>)`);
  return new TerraformVariable(stack, name, { nullable: false, ...props });
}

/** Declares an output with a static name, the contract CI and downstream deploys read. */
export function stackOutput(stack: TerraformStack, name: string, value: unknown, description: string, sensitive = false): TerraformOutput {
  return new TerraformOutput(stack, name, { value, description, sensitive, staticId: true });
}
