import { segments } from "../authorization/actions";

/** One stored ARM resource: its ID as first written, and its body as ARM would return it. */
export interface StoredResource {
  readonly id: string;
  body: Record<string, unknown>;
}

/** ARM IDs compare without case and without empty segments. */
export function idKey(id: string): string {
  return "/" + segments(id).join("/").toLowerCase();
}

/** The resource's parent ID (the resource group, the parent resource, or the scope of an extension resource). */
export function parentOf(id: string): string | undefined {
  const parts = segments(id);
  if (parts.length <= 2) return undefined;
  const providerAt = parts.map((p) => p.toLowerCase()).lastIndexOf("providers");
  if (providerAt >= 0 && parts.length === providerAt + 4) {
    // the top-level type under a provider: its parent is the scope before `providers`
    return providerAt === 0 ? undefined : "/" + parts.slice(0, providerAt).join("/");
  }
  return "/" + parts.slice(0, parts.length - 2).join("/");
}

/**
 * The generic resource store: PUT stores, GET returns, DELETE removes the resource and everything beneath it, a
 * collection GET lists the direct children of one type. ARM IDs are case-insensitive
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#resource-names).
 */
export class ResourceStore {
  private readonly items = new Map<string, StoredResource>();

  get(id: string): StoredResource | undefined {
    return this.items.get(idKey(id));
  }

  put(id: string, body: Record<string, unknown>): StoredResource {
    const existing = this.get(id);
    const item = { id: existing?.id ?? "/" + segments(id).join("/"), body };
    this.items.set(idKey(id), item);
    return item;
  }

  /** Removes a resource and everything beneath it (child and extension resources). */
  delete(id: string): void {
    const key = idKey(id);
    for (const k of [...this.items.keys()]) if (k === key || k.startsWith(key + "/")) this.items.delete(k);
  }

  /** Direct children of a collection path (`…/virtualNetworks/v/subnets`), in creation order. */
  list(collection: string): StoredResource[] {
    const key = idKey(collection);
    const depth = key.split("/").length + 1;
    return [...this.items.entries()].filter(([k]) => k.startsWith(key + "/") && k.split("/").length === depth).map(([, v]) => v);
  }

  /** Every resource beneath a scope (for a resource group's `resources` listing and lock checks). */
  beneath(scope: string): StoredResource[] {
    const key = idKey(scope);
    return [...this.items.entries()].filter(([k]) => k.startsWith(key + "/")).map(([, v]) => v);
  }

  all(): StoredResource[] {
    return [...this.items.values()];
  }
}
