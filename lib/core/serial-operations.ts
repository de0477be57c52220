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

  private readonly first = new Map<string, TerraformResource>();
  private readonly last = new Map<string, TerraformResource>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /** Makes `operation` wait for the operation added before it on `targetId`. Returns the operation. */
  add<T extends TerraformResource>(targetId: string, operation: T): T {
    const key = expressionOf(this, targetId);
    const previous = this.last.get(key);
    if (previous) operation.dependsOn = [...(operation.dependsOn ?? []), dependable(previous)];
    else this.first.set(key, operation);
    this.last.set(key, operation);
    return operation;
  }

  /**
   * Puts `operation` at the head of the chain on `targetId`: what was added before now waits for it. For an operation
   * that must come first whenever it is declared (a geo-replication link recreates the database, wiping what was
   * assigned on it before).
   */
  addFirst<T extends TerraformResource>(targetId: string, operation: T): T {
    const key = expressionOf(this, targetId);
    const head = this.first.get(key);
    if (head) head.dependsOn = [...(head.dependsOn ?? []), dependable(operation)];
    else this.last.set(key, operation);
    this.first.set(key, operation);
    return operation;
  }
}
