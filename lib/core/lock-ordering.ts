import { Aspects, IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { expressionOf } from "./expressions";

interface LockedTarget {
  readonly lock: TerraformResource;
  /** `<type>.<logical id>.`: how the stack's JSON references the locked resource. */
  readonly reference: string;
}

/**
 * Orders a delete lock after everything in its stack that references the locked resource, directly or through another
 * such resource (its containers and their role assignments, diagnostic settings, private endpoints): a destroy then
 * removes the lock first. Without it Terraform
 * deletes the lock in parallel with them, and ARM refuses each delete under a `CanNotDelete` lock with ScopeLocked
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/lock-resources; microsoft/AzureTRE#4664;
 * an endpoint to a locked resource: hashicorp/terraform-provider-azurerm#17478; azurerm review M6). The references are
 * read from the resolved configuration when the stack is synthesized, so resources added later by any construct count.
 */
export function lockAfterDependants(lock: TerraformResource, target: TerraformResource): void {
  const stack = TerraformStack.of(lock);
  let ordering = ORDERINGS.get(stack);
  if (!ordering) {
    ordering = new LockOrdering(stack);
    ORDERINGS.set(stack, ordering);
    Aspects.of(stack).add(ordering);
  }
  ordering.targets.push({ lock, reference: `${target.terraformResourceType}.${target.friendlyUniqueId}.` });
}

const ORDERINGS = new WeakMap<TerraformStack, LockOrdering>();

class LockOrdering implements IAspect {
  readonly targets: LockedTarget[] = [];
  private done = false;

  constructor(private readonly stack: TerraformStack) {}

  visit(_node: IConstruct): void {
    if (this.done) return;
    this.done = true;
    const locks = new Set(this.targets.map((t) => t.lock));
    const resources = this.stack.node
      .findAll()
      .filter((c): c is TerraformResource => c instanceof TerraformResource && !locks.has(c))
      .map((resource) => ({ address: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`, config: expressionOf(resource, resource.toTerraform()) }));
    for (const target of this.targets) {
      // What references the locked resource, and what references those in turn: a role assignment on a container of
      // a locked account sits beneath the lock as much as the container does.
      const dependants: string[] = [];
      const frontier = [target.reference];
      while (frontier.length > 0) {
        const reference = frontier.shift()!;
        for (const r of resources) {
          if (dependants.includes(r.address) || !r.config.includes(reference)) continue;
          dependants.push(r.address);
          frontier.push(`${r.address}.`);
        }
      }
      const current = target.lock.dependsOn ?? [];
      target.lock.dependsOn = [...current, ...dependants.filter((d) => !current.includes(d))];
    }
  }
}
