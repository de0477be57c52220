import { ArmError, EmulatorRequest, EmulatorResponse, json } from "./http";

/** One service principal the rehearsal signs in as: a client secret that is fake, an object ID the roles name. */
export interface Identity {
  /** A name for the report: `deploy-prod`, `readonly-prod`. */
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly objectId: string;
  readonly tenantId: string;
}

/**
 * Microsoft Entra ID's token endpoints, as the providers call them (rehearsal trial, §1 "Tokens"):
 * - azurerm (go-azure-sdk): `POST /{tenant}/oauth2/v2.0/token`, client credentials with `scope=<resource>/.default`;
 * - the Databricks SDK: `POST /{tenant}/oauth2/token` with `resource=`; its first try sends the credentials in a Basic
 *   header without `client_id` in the form, which Entra answers with 401 invalid_client (AADSTS7000218,
 *   https://learn.microsoft.com/entra/identity-platform/reference-error-codes), and it retries with the form.
 * The JWT is parsed but not verified by the providers (azurerm `internal/clients/auth.go` reads `oid`, `tid`, `appid`,
 * `scp` with claims.ParseClaims), so any signature works; `oid` is always sent, else azurerm asks Microsoft Graph.
 */
export class EntraEmulator {
  private readonly byClientId = new Map<string, Identity>();
  private readonly byObjectId = new Map<string, Identity>();

  add(identity: Identity): void {
    this.byClientId.set(identity.clientId.toLowerCase(), identity);
    this.byObjectId.set(identity.objectId.toLowerCase(), identity);
  }

  identities(): Identity[] {
    return [...this.byClientId.values()];
  }

  handleToken(req: EmulatorRequest): EmulatorResponse {
    const form = new URLSearchParams(req.body.toString("utf8"));
    const clientId = form.get("client_id");
    const secret = form.get("client_secret");
    if (!clientId || !secret) {
      return json(401, { error: "invalid_client", error_description: "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'." });
    }
    const identity = this.byClientId.get(clientId.toLowerCase());
    if (!identity) {
      return json(400, { error: "unauthorized_client", error_description: `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.` });
    }
    if (identity.clientSecret !== secret) {
      return json(401, { error: "invalid_client", error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.` });
    }
    const v2 = req.rawPath.includes("/oauth2/v2.0/token");
    const audience = v2 ? (form.get("scope") ?? "").replace(/\/\.default$/, "") : form.get("resource") ?? "";
    const now = Math.floor(Date.now() / 1000);
    const token = jwt({ aud: audience, iss: `https://sts.windows.net/${identity.tenantId}/`, iat: now, nbf: now, exp: now + 3600, appid: identity.clientId, oid: identity.objectId, sub: identity.objectId, tid: identity.tenantId, idtyp: "app", ver: v2 ? "2.0" : "1.0" });
    return v2
      ? json(200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token })
      : json(200, { token_type: "Bearer", expires_in: "3599", ext_expires_in: "3599", expires_on: String(now + 3599), not_before: String(now), resource: audience, access_token: token });
  }

  /** The identity behind a request's bearer token; a missing or foreign token is ARM's 401. */
  identityOf(req: EmulatorRequest): Identity {
    const header = String(req.headers.authorization ?? "");
    const match = /^Bearer\s+([^.]+)\.([^.]+)\./i.exec(header);
    if (!match) throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    let claims: { oid?: string };
    try {
      claims = JSON.parse(Buffer.from(match[2], "base64url").toString("utf8")) as { oid?: string };
    } catch {
      throw new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.");
    }
    const identity = claims.oid ? this.byObjectId.get(claims.oid.toLowerCase()) : undefined;
    if (!identity) throw new ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.");
    return identity;
  }
}

function jwt(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${enc({ alg: "RS256", typ: "JWT" })}.${enc(claims)}.${Buffer.from("rehearsal").toString("base64url")}`;
}
