import { IncomingMessage, ServerResponse } from "http";
import { ArmEmulator, ArmWorld } from "./arm";
import { CallLog, pathTemplate } from "./call-log";
import { DatabricksEmulator } from "./databricks/databricks-emulator";
import { DatabricksBootstrap } from "./databricks/databricks-world";
import { EntraEmulator } from "./entra";
import { EmulatorRequest, EmulatorResponse, json } from "./http";
import { KeyVaultDataPlane } from "./key-vault-data-plane";

/** Where a run's calls come from: its label in the report, and the runner's network (public or private). */
export interface RunContext {
  readonly label: string;
  readonly network: "public" | "private";
}

/**
 * The local Azure the providers talk to, routed on the request's host name: Microsoft Entra ID's token endpoints,
 * Azure Resource Manager and the Key Vault data plane. Any other host is refused and logged: a provider reaching for a
 * service the emulator does not know fails its run instead of getting a made-up answer.
 */
export class AzureEmulator {
  readonly log: CallLog;
  readonly entra = new EntraEmulator();
  readonly arm: ArmEmulator;
  private readonly keyVault: KeyVaultDataPlane;
  /** Azure Databricks' account and workspace APIs, once the bootstrap has stated who holds what there. */
  databricks?: DatabricksEmulator;

  /** @param callFile where every call is appended as it happens */
  constructor(world: ArmWorld, callFile?: string) {
    this.log = new CallLog(callFile);
    this.arm = new ArmEmulator(world, this.entra, this.log);
    this.keyVault = new KeyVaultDataPlane(this.arm);
  }

  /** Serves Azure Databricks from now on, with the bootstrap's rights. */
  enableDatabricks(bootstrap: DatabricksBootstrap): DatabricksEmulator {
    this.databricks = new DatabricksEmulator(bootstrap, this.entra, this.arm, this.log);
    return this.databricks;
  }

  /** The HTTP handler for one run's tunnel. */
  handler(run: RunContext): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const host = String(req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
        // Not `new URL(req.url, base)`: a path starting `//` (go-azure-helpers asks for `//metadata/endpoints`) would be
        // read as a host name.
        const raw = req.url ?? "/";
        const q = raw.indexOf("?");
        const request: EmulatorRequest = { method: String(req.method).toUpperCase(), host, rawPath: q >= 0 ? raw.slice(0, q) : raw, query: new URLSearchParams(q >= 0 ? raw.slice(q + 1) : ""), headers: req.headers, body: Buffer.concat(chunks) };
        let response: EmulatorResponse;
        try {
          response = this.route(request, run);
        } catch (error) {
          response = json(500, { error: { code: "RehearsalEmulatorError", message: (error as Error).stack ?? String(error) } });
        }
        const body = response.body === undefined ? "" : typeof response.body === "string" ? response.body : JSON.stringify(response.body);
        const headers: Record<string, string> = { "x-ms-request-id": "rehearsal", ...(response.headers ?? {}) };
        if (body && !headers["content-type"]) headers["content-type"] = typeof response.body === "string" ? "text/plain" : "application/json; charset=utf-8";
        res.writeHead(response.status, headers);
        res.end(req.method === "HEAD" ? undefined : body);
      });
    };
  }

  private route(req: EmulatorRequest, run: RunContext): EmulatorResponse {
    if (req.host === "login.microsoftonline.com") {
      const response = /\/oauth2\/(v2\.0\/)?token$/.test(req.rawPath) ? this.entra.handleToken(req) : json(404, { error: "not_found" });
      this.log.add({ run: run.label, identity: "-", host: req.host, method: req.method, path: req.rawPath, template: pathTemplate(req.host, req.rawPath), apiVersion: "", status: response.status });
      return response;
    }
    if (req.host === "management.azure.com") return this.arm.handle(req, run.label);
    if (req.host.endsWith(".vault.azure.net")) return this.keyVault.handle(req, run);
    if (this.databricks?.serves(req.host)) return this.databricks.handle(req, run);
    // A host the emulator does not serve: refused, and visible in the report as an error.
    const response = json(502, { error: { code: "RehearsalUnknownHost", message: `The rehearsal emulator does not serve ${req.host}.` } });
    this.log.add({ run: run.label, identity: "-", host: req.host, method: req.method, path: req.rawPath, template: pathTemplate(req.host, req.rawPath), apiVersion: req.query.get("api-version") ?? "", status: 502, error: `RehearsalUnknownHost: ${req.host}` });
    return response;
  }
}
