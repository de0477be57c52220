import { ArmEmulator } from "./arm";
import { pathTemplate } from "./call-log";
import { EmulatorRequest, EmulatorResponse, json } from "./http";
import type { RunContext } from "./emulator";

/**
 * The Key Vault data plane, as far as azurerm touches it:
 * - a request without a token gets 401 with the `WWW-Authenticate: Bearer authorization=…, resource=…` challenge, and
 *   the client then fetches a Key Vault token (https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses#authentication);
 * - a vault with public network access disabled answers a caller outside its private endpoints with 403
 *   ForbiddenByConnection (https://learn.microsoft.com/azure/key-vault/general/network-security and
 *   .../rest-error-codes#http-403-insufficient-permissions); a run on a public runner is such a caller;
 * - `GET /certificates/contacts` (read on every vault Read, rehearsal trial §2) answers 404 when no contacts are set,
 *   which azurerm accepts (key_vault_resource.go).
 */
export class KeyVaultDataPlane {
  constructor(private readonly arm: ArmEmulator) {}

  handle(req: EmulatorRequest, run: RunContext): EmulatorResponse {
    const name = req.host.replace(/\.vault\.azure\.net$/, "");
    const template = pathTemplate(req.host, req.rawPath);
    const record = (status: number, identity: string, error?: string) => this.arm.log.add({ run: run.label, identity, host: "{vault}.vault.azure.net", method: req.method, path: req.rawPath, template, apiVersion: req.query.get("api-version") ?? "", status, error });
    if (!req.headers.authorization) {
      record(401, "-");
      return { status: 401, headers: { "WWW-Authenticate": `Bearer authorization="https://login.microsoftonline.com/${this.arm.world.tenantId}", resource="https://vault.azure.net"` }, body: { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } } };
    }
    const identity = this.arm.entra.identityOf(req);
    const vault = this.arm.store.all().find((r) => /\/providers\/microsoft\.keyvault\/vaults\/[^/]+$/i.test(r.id) && r.id.toLowerCase().endsWith(`/${name}`));
    if (!vault) {
      record(404, identity.name, "vault not found");
      return json(404, { error: { code: "VaultNotFound", message: `The vault ${name} was not found.` } });
    }
    const publicAccess = String((vault.body.properties as { publicNetworkAccess?: string } | undefined)?.publicNetworkAccess ?? "Enabled");
    if (run.network === "public" && publicAccess.toLowerCase() === "disabled") {
      const message = "Public network access is disabled and request is not from a trusted service nor via an approved private link.";
      record(403, identity.name, `ForbiddenByConnection: ${message}`);
      return json(403, { error: { code: "Forbidden", message, innererror: { code: "ForbiddenByConnection" } } });
    }
    if (/^\/certificates\/contacts\/?$/i.test(req.rawPath) && req.method === "GET") {
      record(404, identity.name);
      return json(404, { error: { code: "ContactsNotFound", message: "Contacts not found" } });
    }
    record(501, identity.name, "unsupported Key Vault data-plane call");
    return json(501, { error: { code: "RehearsalUnsupported", message: `The rehearsal emulator has no Key Vault handler for ${req.method} ${template}.` } });
  }
}
