/** One Terraform state blob a stack's plan reads: its own (`self`), or an upstream stack's (`remote`). */
export interface StateBlob {
  readonly kind: "self" | "remote";
  /** The stack's name, or the remote state's. */
  readonly name: string;
  readonly storageAccountName: string;
  readonly containerName: string;
  readonly key: string;
}

type AzurermConfig = { storage_account_name?: unknown; container_name?: unknown; key?: unknown };

const literal = (value: unknown) => typeof value === "string" && value.length > 0 && !value.includes("${");

/**
 * The azurerm state blobs a synthesized stack's plan opens. A plan by an identity that may only read state must not
 * open a missing one: the azurerm backend creates a missing blob when it opens it (CI review B2), and a reader cannot.
 */
export function stateBlobs(stackName: string, json: Record<string, unknown>): StateBlob[] {
  const blob = (kind: StateBlob["kind"], name: string, config: AzurermConfig | undefined): StateBlob[] => {
    if (!config) return [];
    if (![config.storage_account_name, config.container_name, config.key].every(literal)) {
      throw new Error(`stack ${stackName}: the azurerm state of ${name} is not named by literals (storage_account_name, container_name, key)`);
    }
    return [{ kind, name, storageAccountName: String(config.storage_account_name), containerName: String(config.container_name), key: String(config.key) }];
  };
  const backend = ((json.terraform as { backend?: { azurerm?: AzurermConfig } } | undefined)?.backend ?? {}).azurerm;
  const remotes = Object.entries(((json.data ?? {}) as Record<string, Record<string, { backend?: string; config?: AzurermConfig }>>).terraform_remote_state ?? {});
  return [
    ...blob("self", stackName, backend),
    ...remotes.filter(([, r]) => r.backend === "azurerm").flatMap(([name, r]) => blob("remote", name, r.config)),
  ];
}
