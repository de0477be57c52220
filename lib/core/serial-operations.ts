import { dependable, TerraformResource, TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { expressionOf } from "./expressions";

/**
 * Operations Azure refuses to run at the same time on one target, chained so Terraform runs them one after another in
 * the order they were added (and destroys them in reverse). Two cases the constructs meet:
 * - private endpoints on one Databricks workspace: the workspace is "updating" during each, and a second one fails
 *   with `ConcurrentUpdateError` (hashicorp/terraform-provider-azurerm#26373, databricks/terraform-databricks-examples#177);
 * - access policy assignments on one Managed Redis database: "another job is in progress" (microsoft/aspire#13043).
 * One registry per stack; targets are compared as Terraform expressions, so two references to one resource are one target.
 */
export class SerialOperations extends Construct {
  /** The registry of a stack, created on first use. */
  static of(scope: IConstruct): SerialOperations {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild("serial-operations");
    return existing instanceof SerialOperations ? existing : new SerialOperations(stack, "serial-operations");
  }

  private readonly last = new Map<string, TerraformResource>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /** Makes `operation` wait for the operation added before it on `targetId`. Returns the operation. */
  add<T extends TerraformResource>(targetId: string, operation: T): T {
    const key = expressionOf(this, targetId);
    const previous = this.last.get(key);
    if (previous) operation.dependsOn = [...(operation.dependsOn ?? []), dependable(previous)];
    this.last.set(key, operation);
    return operation;
  }
}
