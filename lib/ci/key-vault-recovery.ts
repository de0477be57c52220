// Runs in CI from dist/ without node_modules: Node built-ins only.
import { AzFailure, classifyAzFailure, isTransient } from "./az-failures";

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
  | "azure-error"
  | "terraform-error";

export interface RecoveryOutcome {
  readonly decision: Decision;
  /** The value written as TF_VAR_key_vault_recover_soft_deleted. */
  readonly recoverSoftDeleted: boolean;
  readonly vault?: string;
  readonly resourceGroup?: string;
  /** What was done, in order. */
  readonly actions: string[];
  /** With `checkOnly`: the changes the recovery needs and did not make (they wait for the approved recover job). */
  readonly pending: string[];
  readonly warnings: string[];
  /** For the operator: why, and what to do when it failed. */
  readonly message: string;
  readonly exitCode: 0 | 1 | 2;
  /** The failed call and how its answer was classified (`azure-error`, `terraform-error`). */
  readonly failure?: { readonly command: string; readonly kind: string; readonly code?: string };
}

export interface RecoveryOptions {
  /** Moving a vault between resource groups is allowed. @default true */
  readonly allowMove: boolean;
  /** Purging a soft-deleted vault is allowed (only ever when its purge protection is off). @default false */
  readonly allowPurge: boolean;
  /** Attempts of a call that failed transiently (throttled, 5xx, connection): the first try and the retries. */
  readonly maxAttempts: number;
  readonly sleep: (ms: number) => void;
  /** Backoff before retry n is `retryBaseMs * 2^(n-1)`, or longer when ARM asks for longer, capped at `maxRetryWaitMs`. */
  readonly retryBaseMs: number;
  readonly maxRetryWaitMs: number;
  /**
   * Decide only: every change (import, group create or delete, move, recover, purge) is listed in `pending` instead of
   * made, so an identity that may only read can run it before the approval. @default false
   */
  readonly checkOnly?: boolean;
}

/** A call that failed in a way the recovery does not handle: ends the run with `azure-error` or `terraform-error`. */
class CallFailed extends Error {
  constructor(
    readonly tool: "az" | "terraform",
    readonly command: string,
    readonly failure: AzFailure,
  ) {
    super(`${failure.kind === "unknown" ? "unrecognised failure" : `${failure.kind} failure`} in \`${command}\`: ${failure.summary}`);
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
  // The vaults use the default provider (no alias); an aliased one (e.g. the hub's) is another subscription.
  const subscriptionId = resolve(providers.find((p) => p.alias === undefined)?.subscription_id, "azurerm provider subscription_id");
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

/** `terraform state list` with no state at all (terraform internal/command/state_list.go, errStateNotFound; exit 1). */
const NO_STATE = /No state file was found!/;

interface ActiveVault {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}
interface DeletedVault {
  readonly name: string;
  readonly properties: { readonly vaultId: string; readonly location: string; readonly purgeProtectionEnabled?: boolean | null };
}

/**
 * Decides, and carries out, what a deploy needs so that creating the stack's Key Vault cannot fail on a soft-deleted
 * or displaced vault of the same name, or on state that lost the vault or its resource group. The state machine of
 * help/operator-runbook.md, "Key Vault recovery". Every question to Azure is one whose answer is data (a list, a
 * boolean, a name check), so no decision hinges on the wording of an error; a failed call is classified, transient
 * ones are retried, and anything else ends the run as an error — never as "not found".
 */
export function recoverVault(target: VaultTarget, run: CommandRunner, options: RecoveryOptions): RecoveryOutcome {
  const actions: string[] = [];
  const warnings: string[] = [];
  const pending: string[] = [];
  const sub = ["--subscription", target.subscriptionId];
  const base = { vault: target.name, resourceGroup: target.resourceGroup, actions, warnings, pending };
  /** A change: made, or (checkOnly) listed for the approved job. */
  const change = (description: string, make: () => void) => {
    if (options.checkOnly) pending.push(description);
    else {
      make();
      actions.push(description);
    }
  };
  const outcome = (decision: Decision, recoverSoftDeleted: boolean, message: string, exitCode: 0 | 1 | 2 = 0): RecoveryOutcome => ({ ...base, decision, recoverSoftDeleted, message, exitCode });

  const az = (args: string[]): string => {
    const command = `az ${args.join(" ")}`;
    for (let attempt = 1; ; attempt++) {
      const result = run("az", [...args, "--only-show-errors"]);
      if (result.code === 0) return result.stdout;
      const failure = classifyAzFailure(result.code, result.stdout, result.stderr);
      if (!isTransient(failure) || attempt >= options.maxAttempts) throw new CallFailed("az", command, failure);
      const delay = Math.min(options.maxRetryWaitMs, Math.max(options.retryBaseMs * 2 ** (attempt - 1), (failure.retryAfterSeconds ?? 0) * 1000));
      warnings.push(`${failure.kind} answer to \`${command}\` (attempt ${attempt} of ${options.maxAttempts}), retrying in ${delay} ms`);
      options.sleep(delay);
    }
  };
  const json = <T>(args: string[]): T => {
    const stdout = az([...args, "-o", "json"]);
    try {
      return JSON.parse(stdout) as T;
    } catch {
      throw new CallFailed("az", `az ${args.join(" ")}`, { kind: "unknown", summary: `not JSON: ${stdout.slice(0, 80)}` });
    }
  };
  const terraform = (args: string[]): CommandResult => {
    const result = run("terraform", args);
    if (result.code !== 0 && !(args[0] === "state" && NO_STATE.test(result.stderr))) {
      throw new CallFailed("terraform", `terraform ${args.join(" ")}`, { kind: "unknown", summary: (result.stderr || result.stdout).trim().split("\n")[0] ?? "" });
    }
    return result;
  };

  let stateAddresses: Set<string> | undefined;
  const importIntoState = (address: string, id: string) => {
    stateAddresses ??= new Set(terraform(["state", "list"]).stdout.split("\n").map((l) => l.trim()).filter(Boolean));
    if (stateAddresses.has(address)) return;
    change(`imported ${address}`, () => terraform(["import", "-input=false", "-lock-timeout=10m", address, id]));
    stateAddresses.add(address);
  };
  const groupId = (group: string) => `/subscriptions/${target.subscriptionId}/resourceGroups/${group}`;
  const vaultId = (group: string) => `${groupId(group)}/providers/Microsoft.KeyVault/vaults/${target.name}`;
  const groupExists = (group: string) => {
    const answer = az(["group", "exists", "--name", group, ...sub]).trim();
    if (answer !== "true" && answer !== "false") throw new CallFailed("az", `az group exists --name ${group}`, { kind: "unknown", summary: `answered ${JSON.stringify(answer)}, not true or false` });
    return answer === "true";
  };
  const createGroup = (group: string, location: string) => change(`created resource group ${group}`, () => json(["group", "create", "--name", group, "--location", location, ...sub]));
  /** With lost state, Terraform would try to create the group the stack manages and fail: adopt it when it exists. */
  const adoptManagedGroup = () => {
    if (target.resourceGroupAddress && groupExists(target.resourceGroup)) importIntoState(target.resourceGroupAddress, groupId(target.resourceGroup));
  };
  /** The vault is in the target group now: the group, then the vault, must be in state. */
  const adoptVault = () => {
    adoptManagedGroup();
    importIntoState(target.address, vaultId(target.resourceGroup));
  };
  /** The target group must exist before a vault moves into it. */
  const ensureTargetGroup = () => {
    if (!groupExists(target.resourceGroup)) createGroup(target.resourceGroup, target.location);
  };
  const move = (from: string) => change(`moved the vault from ${from} to ${target.resourceGroup}`, () => az(["resource", "move", "--destination-group", target.resourceGroup, "--ids", vaultId(from), ...sub]));
  const recoverCommand = `az keyvault recover --name ${target.name} --subscription ${target.subscriptionId}`;
  const moveCommand = (from: string) => `az resource move --destination-group ${target.resourceGroup} --ids ${vaultId(from)} --subscription ${target.subscriptionId}`;
  const sameName = (name: string) => name.toLowerCase() === target.name.toLowerCase();

  try {
    // 1. An active vault of that name in this subscription? A list query: none is `[]`, not an error (`az keyvault show`
    //    without -g answers "The Vault '<name>' not found within subscription.", a client-side text).
    const active = json<ActiveVault[]>(["resource", "list", "--resource-type", "Microsoft.KeyVault/vaults", "--name", target.name, ...sub]).find(
      (v) => sameName(v.name) && v.type.toLowerCase() === "microsoft.keyvault/vaults",
    );
    if (active) {
      const activeGroup = /\/resourceGroups\/([^/]+)\//i.exec(active.id)?.[1] ?? "";
      if (activeGroup.toLowerCase() === target.resourceGroup.toLowerCase()) {
        adoptVault();
        return outcome("active-in-target", false, "The vault is active in the target resource group: nothing to recover.");
      }
      if (!options.allowMove) {
        return outcome("moves-disabled", false, `The vault is active in resource group ${activeGroup}, not ${target.resourceGroup}, and moves are disabled. Move it yourself, then rerun:\n  ${moveCommand(activeGroup)}`, 1);
      }
      ensureTargetGroup();
      move(activeGroup);
      adoptVault();
      return outcome("move-active", false, `The vault was active in ${activeGroup}; moved into ${target.resourceGroup}.`);
    }

    // 2. A soft-deleted vault of that name in this subscription? Only a permission error (not an authentication one)
    //    falls back to letting the provider recover whatever may be there.
    let deleted: DeletedVault | undefined;
    try {
      deleted = json<DeletedVault[]>(["keyvault", "list-deleted", "--resource-type", "vault", ...sub]).find((v) => sameName(v.name));
    } catch (error) {
      if (!(error instanceof CallFailed && error.failure.kind === "permission")) throw error;
      warnings.push(`no permission to list deleted vaults (${error.failure.code ?? error.failure.summary}): assuming one may exist and letting the provider recover it (Key Vault Contributor on the subscription lifts this)`);
      adoptManagedGroup();
      return outcome("recovery-first-fallback", true, "Could not list deleted vaults; recovery-first: the provider recovers a soft-deleted vault of this name if there is one.");
    }

    if (!deleted) {
      // 3. Free here — but vault names are global: held by another subscription or tenant, active or soft-deleted?
      const check = json<{ nameAvailable?: unknown; reason?: string; message?: string }>([
        "rest", "--method", "post",
        "--url", `https://management.azure.com/subscriptions/${target.subscriptionId}/providers/Microsoft.KeyVault/checkNameAvailability?api-version=2023-07-01`,
        "--body", JSON.stringify({ name: target.name, type: "Microsoft.KeyVault/vaults" }),
      ]);
      if (typeof check.nameAvailable !== "boolean") throw new CallFailed("az", "az rest … checkNameAvailability", { kind: "unknown", summary: "the answer has no boolean nameAvailable" });
      if (!check.nameAvailable) {
        return outcome("name-taken-elsewhere", false, `The name ${target.name} is held by a vault in another subscription or tenant (${check.reason ?? "no reason given"}${check.message ? `: ${check.message}` : ""}), active or soft-deleted. Choose another name: change the naming inputs (organization, workload) of this environment.`, 1);
      }
      adoptManagedGroup();
      return outcome("fresh-create", false, "No vault of this name exists anywhere: Terraform creates it.");
    }

    const originalGroup = /\/resourceGroups\/([^/]+)\//i.exec(deleted.properties.vaultId)?.[1] ?? "";
    // Only an explicit `false`: an absent or null flag is not proof that purging is harmless.
    if (options.allowPurge && deleted.properties.purgeProtectionEnabled === false) {
      change("purged the soft-deleted vault (purge explicitly allowed, purge protection off)", () => az(["keyvault", "purge", "--name", target.name, ...sub]));
      adoptManagedGroup();
      return outcome("purge-then-create", false, "The soft-deleted vault was purged; Terraform creates a new one.");
    }
    if (options.allowPurge) warnings.push("purge is allowed but the vault has purge protection (or does not say it has none): recovering instead");

    if (originalGroup.toLowerCase() === target.resourceGroup.toLowerCase()) {
      if (groupExists(target.resourceGroup)) {
        adoptManagedGroup();
        return outcome("recover", true, "A soft-deleted vault of this name belongs to the target group: the provider recovers it.");
      }
      // A vault recovers into the group it was deleted from, which must exist first.
      if (target.resourceGroupAddress) actions.push(`left the group to Terraform (${target.resourceGroupAddress} is created before the vault)`);
      else createGroup(target.resourceGroup, target.location);
      return outcome("recreate-group-then-recover", true, `The vault's resource group ${target.resourceGroup} was deleted; it is recreated, then the provider recovers the vault.`);
    }

    // Soft-deleted in another group: recover there, then move.
    if (!options.allowMove) {
      return outcome("moves-disabled", false, `A soft-deleted vault of this name belongs to resource group ${originalGroup}, not ${target.resourceGroup}, and moves are disabled. Run, then rerun the deploy:\n  ${recoverCommand}\n  ${moveCommand(originalGroup)}`, 1);
    }
    const originalGone = !groupExists(originalGroup);
    if (originalGone) createGroup(originalGroup, deleted.properties.location);
    change(`recovered the vault into ${originalGroup}`, () => json(["keyvault", "recover", "--name", target.name, ...sub]));
    ensureTargetGroup();
    move(originalGroup);
    adoptVault();
    if (originalGone && options.checkOnly) {
      pending.push(`removed the then-empty resource group ${originalGroup}`);
      return outcome("recreate-group-recover-move", false, `The vault's former group ${originalGroup} is gone: the recover job recreates it, recovers the vault, moves it into ${target.resourceGroup} and removes the former group.`);
    }
    if (originalGone) {
      const left = json<unknown[]>(["resource", "list", "--resource-group", originalGroup, ...sub]);
      if (left.length === 0) {
        change(`removed the then-empty resource group ${originalGroup}`, () => az(["group", "delete", "--name", originalGroup, "--yes", ...sub]));
      } else {
        warnings.push(`resource group ${originalGroup} is not empty; left in place`);
      }
      return outcome("recreate-group-recover-move", false, `The vault's former group ${originalGroup} was gone: recreated, vault recovered and moved into ${target.resourceGroup}, former group removed.`);
    }
    return outcome("recover-then-move", false, `The soft-deleted vault belonged to ${originalGroup}: recovered there and moved into ${target.resourceGroup}.`);
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error;
    const failure = { command: error.command, kind: error.failure.kind, code: error.failure.code };
    const hint = error.failure.kind === "authentication" ? " The login expired or failed: rerun the job (GitHub OIDC tokens are short-lived), or check the federated credential." : error.failure.kind === "permission" ? " The deployment principal lacks a permission (see help/operator-runbook.md, bootstrap)." : "";
    return { ...outcome(error.tool === "az" ? "azure-error" : "terraform-error", false, `${error.message}.${hint}`, 2), failure };
  }
}
