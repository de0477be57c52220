// Runs in CI from dist/ without node_modules: Node built-ins only.

/** A Key Vault of a synthesized stack, with everything read from the stack (never recomputed). */
export interface VaultTarget {
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly subscriptionId: string;
  /** Terraform address of the vault, e.g. `azurerm_key_vault.platform_key-vault_E3DDF9DA`. */
  readonly address: string;
  /** Terraform address of the resource group when the stack manages it. */
  readonly resourceGroupAddress?: string;
}

/** The outcome of one command. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `az` or `terraform` with arguments. */
export type CommandRunner = (tool: "az" | "terraform", args: string[]) => CommandResult;

export type Decision =
  | "no-vault-in-stack"
  | "fresh-create"
  | "active-in-target"
  | "recover"
  | "recreate-group-then-recover"
  | "recover-then-move"
  | "recreate-group-recover-move"
  | "move-active"
  | "moves-disabled"
  | "name-taken-elsewhere"
  | "purge-then-create"
  | "recovery-first-fallback"
  | "azure-error";

export interface RecoveryOutcome {
  readonly decision: Decision;
  /** The value written as TF_VAR_key_vault_recover_soft_deleted. */
  readonly recoverSoftDeleted: boolean;
  readonly vault?: string;
  readonly resourceGroup?: string;
  /** What was done, in order. */
  readonly actions: string[];
  readonly warnings: string[];
  /** For the operator: why, and what to do when it failed. */
  readonly message: string;
  readonly exitCode: 0 | 1 | 2;
}

export interface RecoveryOptions {
  /** Moving a vault between resource groups is allowed. @default true */
  readonly allowMove: boolean;
  /** Purging a soft-deleted vault is allowed (only ever when its purge protection is off). @default false */
  readonly allowPurge: boolean;
  /** Retries of transient Azure errors. */
  readonly maxAttempts: number;
  readonly sleep: (ms: number) => void;
  readonly retryBaseMs: number;
}

const NOT_FOUND = /ResourceNotFound|VaultNotFound|ResourceGroupNotFound|was not found|could not be found|NotFound/i;
const AUTH = /AuthorizationFailed|does not have authorization|Please run 'az login'|AADSTS\d+|InvalidAuthenticationToken|AuthenticationFailed|Forbidden|LinkedAuthorizationFailed/i;
const TRANSIENT = /TooManyRequests|\b429\b|\b50[0-4]\b|ServiceUnavailable|InternalServerError|GatewayTimeout|BadGateway|timed out|ECONNRESET|temporarily unavailable/i;

class AzureError extends Error {
  constructor(readonly kind: "auth" | "other", readonly command: string, detail: string) {
    super(`${kind === "auth" ? "authentication/permission error" : "Azure CLI error"} in \`${command}\`: ${detail.trim().split("\n")[0]}`);
  }
}

/** Reads the stack's Key Vaults from its synthesized JSON, resolving `${…}` references within the stack and `${var.x}` from `TF_VAR_x`. */
export function vaultTargets(stack: Record<string, unknown>, env: Record<string, string | undefined>): VaultTarget[] {
  const resources = (stack.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  const resolve = (value: unknown, what: string): string => {
    if (typeof value !== "string") throw new Error(`${what}: not a string in the synthesized stack`);
    return value.replace(/\$\{([^}]+)\}/g, (_all, expression: string) => {
      const parts = expression.split(".");
      if (parts[0] === "var" && parts.length === 2) {
        const fromEnv = env[`TF_VAR_${parts[1]}`];
        if (fromEnv === undefined || fromEnv === "") throw new Error(`${what}: needs TF_VAR_${parts[1]}, which is not set`);
        return fromEnv;
      }
      if (parts.length === 3) return resolve(resources[parts[0]]?.[parts[1]]?.[parts[2]], `${what} → ${expression}`);
      throw new Error(`${what}: cannot resolve \${${expression}} from the synthesized stack`);
    });
  };
  const providers = ((stack.provider ?? {}) as Record<string, Record<string, unknown>[]>).azurerm ?? [];
  const vaults = Object.entries(resources.azurerm_key_vault ?? {});
  if (vaults.length === 0) return [];
  const subscriptionId = resolve(providers[0]?.subscription_id, "azurerm provider subscription_id");
  return vaults.map(([id, vault]) => {
    const rgRef = /^\$\{azurerm_resource_group\.([^.]+)\.name\}$/.exec(String(vault.resource_group_name));
    return {
      name: resolve(vault.name, `azurerm_key_vault.${id}.name`),
      resourceGroup: resolve(vault.resource_group_name, `azurerm_key_vault.${id}.resource_group_name`),
      location: resolve(vault.location, `azurerm_key_vault.${id}.location`),
      subscriptionId,
      address: `azurerm_key_vault.${id}`,
      resourceGroupAddress: rgRef ? `azurerm_resource_group.${rgRef[1]}` : undefined,
    };
  });
}

/**
 * Decides, and carries out, what a deploy needs so that creating the stack's Key Vault cannot fail on a soft-deleted
 * or displaced vault of the same name. The state machine of help/operator-runbook.md, "Key Vault recovery".
 */
export function recoverVault(target: VaultTarget, run: CommandRunner, options: RecoveryOptions): RecoveryOutcome {
  const actions: string[] = [];
  const warnings: string[] = [];
  const sub = ["--subscription", target.subscriptionId];
  const base = { vault: target.name, resourceGroup: target.resourceGroup, actions, warnings };
  const outcome = (decision: Decision, recoverSoftDeleted: boolean, message: string, exitCode: 0 | 1 | 2 = 0): RecoveryOutcome => ({ ...base, decision, recoverSoftDeleted, message, exitCode });

  const az = (args: string[], allowNotFound = false): CommandResult | undefined => {
    const command = `az ${args.join(" ")}`;
    for (let attempt = 1; ; attempt++) {
      const result = run("az", [...args, "--only-show-errors"]);
      if (result.code === 0) return result;
      const text = `${result.stderr}\n${result.stdout}`;
      if (allowNotFound && NOT_FOUND.test(text) && !AUTH.test(text)) return undefined;
      if (AUTH.test(text)) throw new AzureError("auth", command, text);
      if (TRANSIENT.test(text) && attempt < options.maxAttempts) {
        const delay = options.retryBaseMs * 2 ** (attempt - 1);
        warnings.push(`transient error in \`${command}\` (attempt ${attempt}), retrying in ${delay} ms`);
        options.sleep(delay);
        continue;
      }
      throw new AzureError("other", command, text);
    }
  };
  const json = <T>(result: CommandResult | undefined): T | undefined => (result && result.stdout.trim() ? (JSON.parse(result.stdout) as T) : undefined);
  const groupExists = (group: string) => az(["group", "exists", "--name", group, ...sub])!.stdout.trim() === "true";
  const createGroup = (group: string, location: string) => {
    az(["group", "create", "--name", group, "--location", location, ...sub, "-o", "json"]);
    actions.push(`created resource group ${group}`);
  };
  const importIntoState = (address: string | undefined, id: string) => {
    if (!address) return;
    const list = run("terraform", ["state", "list"]);
    if (list.code === 0 && list.stdout.split("\n").includes(address)) return;
    const imported = run("terraform", ["import", "-input=false", "-lock-timeout=10m", address, id]);
    if (imported.code !== 0) throw new AzureError("other", `terraform import ${address}`, imported.stderr || imported.stdout);
    actions.push(`imported ${address}`);
  };
  const groupId = (group: string) => `/subscriptions/${target.subscriptionId}/resourceGroups/${group}`;
  const vaultId = (group: string) => `${groupId(group)}/providers/Microsoft.KeyVault/vaults/${target.name}`;
  const recoverCommand = `az keyvault recover --name ${target.name} --subscription ${target.subscriptionId}`;
  const moveCommand = (from: string) => `az resource move --destination-group ${target.resourceGroup} --ids ${vaultId(from)} --subscription ${target.subscriptionId}`;
  /** The target group must exist before a vault moves into it; if the stack manages it, Terraform must know it. */
  const ensureTargetGroup = () => {
    if (groupExists(target.resourceGroup)) return;
    createGroup(target.resourceGroup, target.location);
    importIntoState(target.resourceGroupAddress, groupId(target.resourceGroup));
  };

  try {
    // 1. An active vault of that name in this subscription?
    const active = json<{ resourceGroup: string }>(az(["keyvault", "show", "--name", target.name, ...sub, "-o", "json"], true));
    if (active) {
      if (active.resourceGroup.toLowerCase() === target.resourceGroup.toLowerCase()) {
        importIntoState(target.address, vaultId(target.resourceGroup));
        return outcome("active-in-target", false, "The vault is active in the target resource group: nothing to recover.");
      }
      if (!options.allowMove) {
        return outcome("moves-disabled", false, `The vault is active in resource group ${active.resourceGroup}, not ${target.resourceGroup}, and moves are disabled. Move it yourself, then rerun:\n  ${moveCommand(active.resourceGroup)}`, 1);
      }
      ensureTargetGroup();
      az(["resource", "move", "--destination-group", target.resourceGroup, "--ids", vaultId(active.resourceGroup), ...sub]);
      actions.push(`moved the vault from ${active.resourceGroup} to ${target.resourceGroup}`);
      importIntoState(target.address, vaultId(target.resourceGroup));
      return outcome("move-active", false, `The vault was active in ${active.resourceGroup}; moved into ${target.resourceGroup}.`);
    }

    // 2. A soft-deleted vault of that name in this subscription?
    let deleted: { properties: { vaultId: string; location: string; purgeProtectionEnabled?: boolean } } | undefined;
    try {
      const list = json<{ name: string; properties: { vaultId: string; location: string; purgeProtectionEnabled?: boolean } }[]>(
        az(["keyvault", "list-deleted", "--resource-type", "vault", ...sub, "-o", "json"]),
      );
      deleted = (list ?? []).find((v) => v.name.toLowerCase() === target.name.toLowerCase());
    } catch (error) {
      if (error instanceof AzureError && error.kind === "auth") {
        warnings.push("no permission to list deleted vaults: assuming one may exist and letting the provider recover it (Key Vault Contributor on the subscription lifts this)");
        return outcome("recovery-first-fallback", true, "Could not list deleted vaults; recovery-first: the provider recovers a soft-deleted vault of this name if there is one.");
      }
      throw error;
    }

    if (!deleted) {
      // 3. Free here — but vault names are global: held by another subscription or tenant?
      const check = json<{ nameAvailable: boolean; reason?: string }>(
        az(["rest", "--method", "post", "--url", `https://management.azure.com/subscriptions/${target.subscriptionId}/providers/Microsoft.KeyVault/checkNameAvailability?api-version=2023-07-01`, "--body", JSON.stringify({ name: target.name, type: "Microsoft.KeyVault/vaults" }), "-o", "json"]),
      );
      if (check && !check.nameAvailable) {
        return outcome("name-taken-elsewhere", false, `The name ${target.name} is held by a vault in another subscription or tenant (${check.reason ?? "AlreadyExists"}), active or soft-deleted. Choose another name: change the naming inputs (organization, workload) of this environment.`, 1);
      }
      return outcome("fresh-create", false, "No vault of this name exists anywhere: Terraform creates it.");
    }

    const originalGroup = /\/resourceGroups\/([^/]+)\//i.exec(deleted.properties.vaultId)?.[1] ?? "";
    if (options.allowPurge && deleted.properties.purgeProtectionEnabled === false) {
      az(["keyvault", "purge", "--name", target.name, ...sub]);
      actions.push("purged the soft-deleted vault (purge explicitly allowed, purge protection off)");
      return outcome("purge-then-create", false, "The soft-deleted vault was purged; Terraform creates a new one.");
    }
    if (options.allowPurge) warnings.push("purge is allowed but the vault has purge protection: recovering instead");

    if (originalGroup.toLowerCase() === target.resourceGroup.toLowerCase()) {
      if (groupExists(target.resourceGroup)) return outcome("recover", true, "A soft-deleted vault of this name belongs to the target group: the provider recovers it.");
      // A vault recovers into the group it was deleted from, which must exist first.
      if (target.resourceGroupAddress) {
        actions.push(`left the group to Terraform (${target.resourceGroupAddress} is created before the vault)`);
      } else {
        createGroup(target.resourceGroup, target.location);
      }
      return outcome("recreate-group-then-recover", true, `The vault's resource group ${target.resourceGroup} was deleted; it is recreated, then the provider recovers the vault.`);
    }

    // Soft-deleted in another group: recover there, then move.
    if (!options.allowMove) {
      return outcome("moves-disabled", false, `A soft-deleted vault of this name belongs to resource group ${originalGroup}, not ${target.resourceGroup}, and moves are disabled. Run, then rerun the deploy:\n  ${recoverCommand}\n  ${moveCommand(originalGroup)}`, 1);
    }
    const originalGone = !groupExists(originalGroup);
    if (originalGone) createGroup(originalGroup, deleted.properties.location);
    az(["keyvault", "recover", "--name", target.name, ...sub, "-o", "json"]);
    actions.push(`recovered the vault into ${originalGroup}`);
    ensureTargetGroup();
    az(["resource", "move", "--destination-group", target.resourceGroup, "--ids", vaultId(originalGroup), ...sub]);
    actions.push(`moved the vault from ${originalGroup} to ${target.resourceGroup}`);
    importIntoState(target.address, vaultId(target.resourceGroup));
    if (originalGone) {
      const left = json<unknown[]>(az(["resource", "list", "--resource-group", originalGroup, ...sub, "-o", "json"])) ?? [];
      if (left.length === 0) {
        az(["group", "delete", "--name", originalGroup, "--yes", ...sub]);
        actions.push(`removed the then-empty resource group ${originalGroup}`);
      } else {
        warnings.push(`resource group ${originalGroup} is not empty; left in place`);
      }
      return outcome("recreate-group-recover-move", false, `The vault's former group ${originalGroup} was gone: recreated, vault recovered and moved into ${target.resourceGroup}, former group removed.`);
    }
    return outcome("recover-then-move", false, `The soft-deleted vault belonged to ${originalGroup}: recovered there and moved into ${target.resourceGroup}.`);
  } catch (error) {
    if (error instanceof AzureError) return outcome("azure-error", false, error.message, 2);
    throw error;
  }
}
