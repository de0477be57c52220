import { IncomingMessage, ServerResponse } from "http";
import { AzureEmulator } from "../rehearsal/emulator/emulator";
import { DatabricksRight } from "../lib/ci/databricks-authorization";

// The Databricks side of the rehearsal's emulator, called as the provider calls it: a token from the Entra emulator,
// then the account or workspace API. Each case is a rule the real service enforces and the rehearsal must too.
const TENANT = "00000000-0000-4000-8000-0000000000aa";
const SUB = "11111111-1111-4111-8111-111111111111";
const ACCOUNT = "acc00000-0000-4000-8000-000000000001";
const METASTORE = "meta0000-0000-4000-8000-000000000001";
const WORKSPACE_ARM = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Databricks/workspaces/w`;
const HOST = "adb-1234567890123456.4.azuredatabricks.net";

function setup(rights: Record<"deploy" | "plan", DatabricksRight[]>) {
  const emulator = new AzureEmulator({ tenantId: TENANT, subscriptions: [{ id: SUB, displayName: "s" }], locations: ["westeurope"] });
  const ids = { deploy: { clientId: "d0000000-0000-4000-8000-000000000001", objectId: "d0000000-0000-4000-8000-0000000000b1" }, plan: { clientId: "p0000000-0000-4000-8000-000000000001", objectId: "p0000000-0000-4000-8000-0000000000b1" } };
  for (const [name, id] of Object.entries(ids)) emulator.entra.add({ name, ...id, clientSecret: "s", tenantId: TENANT });
  emulator.arm.seed(WORKSPACE_ARM, { type: "Microsoft.Databricks/workspaces", location: "westeurope", properties: { workspaceId: "1234567890123456", workspaceUrl: HOST } });
  emulator.enableDatabricks({
    accountId: ACCOUNT,
    metastores: [{ id: METASTORE, region: "westeurope" }],
    identities: new Map(Object.entries(ids).map(([name, id]) => [id.clientId, { name, environment: "dev", rights: new Set(rights[name as "deploy" | "plan"]) }])),
    environmentOfResource: (arm) => (arm.includes(SUB) ? "dev" : undefined),
  });
  const call = async (who: "deploy" | "plan", method: string, host: string, path: string, body?: unknown, network: "public" | "private" = "private") => {
    const token = await send(emulator, "POST", "login.microsoftonline.com", `/${TENANT}/oauth2/token`, `grant_type=client_credentials&client_id=${ids[who].clientId}&client_secret=s&resource=2ff814a6-3304-4ab8-85cb-cd0e6f879c1d`, {}, network);
    const accessToken = (JSON.parse(token.body) as { access_token: string }).access_token;
    const response = await send(emulator, method, host, path, body === undefined ? "" : JSON.stringify(body), { authorization: `Bearer ${accessToken}` }, network);
    return { status: response.status, body: response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {} };
  };
  return { emulator, call };
}

/** One request through the emulator's HTTP handler, as the per-run proxy delivers it. */
function send(emulator: AzureEmulator, method: string, host: string, path: string, body: string, headers: Record<string, string>, network: "public" | "private"): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const handler = emulator.handler({ label: "test", network });
    const listeners: Record<string, ((arg?: Buffer) => void)[]> = {};
    const req = { method, url: path, headers: { host, ...headers }, on: (event: string, fn: (arg?: Buffer) => void) => ((listeners[event] ??= []).push(fn), req) } as unknown as IncomingMessage;
    let status = 0;
    const res = { writeHead: (s: number) => (status = s), end: (text?: string) => resolve({ status, body: text ?? "" }) } as unknown as ServerResponse;
    handler(req, res);
    for (const fn of listeners.data ?? []) fn(Buffer.from(body));
    for (const fn of listeners.end ?? []) fn();
  });
}

const DEPLOYER: DatabricksRight[] = ["account-admin", "workspace-admin", "workspace-user", "owner", "CREATE_CATALOG", "CREATE_EXTERNAL_LOCATION", "CREATE_STORAGE_CREDENTIAL", "CREATE_SHARE", "CREATE_RECIPIENT"];
const ACCOUNT_API = "accounts.azuredatabricks.net";

async function assigned(call: ReturnType<typeof setup>["call"]) {
  expect((await call("deploy", "POST", ACCOUNT_API, `/api/2.0/accounts/${ACCOUNT}/workspaces/1234567890123456/metastores/${METASTORE}`, { metastore_assignment: { metastore_id: METASTORE } })).status).toBe(200);
}

describe("the rehearsal's Databricks emulator enforces who may do what", () => {
  test("the account API answers account admins only", async () => {
    const { call } = setup({ deploy: DEPLOYER, plan: ["workspace-user"] });
    expect((await call("deploy", "POST", ACCOUNT_API, `/api/2.0/accounts/${ACCOUNT}/scim/v2/Groups`, { displayName: "g" })).status).toBe(201);
    const refused = await call("plan", "GET", ACCOUNT_API, `/api/2.0/accounts/${ACCOUNT}/scim/v2/Groups?filter=displayName%20eq%20%22g%22`);
    expect(refused).toMatchObject({ status: 403, body: { error_code: "PERMISSION_DENIED" } });
  });

  test("a grant on the system catalog needs a metastore admin; the deployer's ownership of everything else is not enough", async () => {
    const without = setup({ deploy: DEPLOYER, plan: ["workspace-user"] });
    await assigned(without.call);
    expect((await without.call("deploy", "POST", ACCOUNT_API, `/api/2.0/accounts/${ACCOUNT}/scim/v2/Groups`, { displayName: "auditors" })).status).toBe(201);
    const grant = { changes: [{ principal: "auditors", add: ["USE_CATALOG"] }] };
    expect(await without.call("deploy", "PATCH", HOST, "/api/2.1/unity-catalog/permissions/catalog/system", grant)).toMatchObject({ status: 403, body: { error_code: "PERMISSION_DENIED" } });
    const admin = setup({ deploy: [...DEPLOYER, "metastore-admin"], plan: ["workspace-user"] });
    await assigned(admin.call);
    await admin.call("deploy", "POST", ACCOUNT_API, `/api/2.0/accounts/${ACCOUNT}/scim/v2/Groups`, { displayName: "auditors" });
    expect((await admin.call("deploy", "PATCH", HOST, "/api/2.1/unity-catalog/permissions/catalog/system", grant)).status).toBe(200);
    // A principal the account does not know is refused as Unity Catalog refuses it.
    expect(await admin.call("deploy", "PATCH", HOST, "/api/2.1/unity-catalog/permissions/catalog/system", { changes: [{ principal: "nobody", add: ["USE_CATALOG"] }] })).toMatchObject({ status: 400, body: { message: "Could not find principal with name nobody" } });
  });

  test("the workspace answers only from its private network, and only its users; admin APIs only its admins", async () => {
    const { call } = setup({ deploy: DEPLOYER, plan: ["workspace-user"] });
    expect((await call("deploy", "GET", HOST, "/api/2.0/workspace-conf?keys=enableTokensConfig", undefined, "public")).status).toBe(403);
    expect((await call("deploy", "GET", HOST, "/api/2.0/workspace-conf?keys=enableTokensConfig")).status).toBe(200);
    expect((await call("plan", "GET", HOST, "/api/2.0/workspace-conf?keys=enableTokensConfig")).status).toBe(403);
    // The plan identity may list the workspace's groups (display name and ID only): governance's data source.
    const users = await call("plan", "GET", HOST, "/api/2.0/preview/scim/v2/Groups?filter=displayName%20eq%20%22users%22");
    expect(users.status).toBe(200);
    expect((users.body.Resources as { displayName: string; entitlements?: unknown }[])[0]).toEqual({ id: expect.any(String), displayName: "users" });
  });

  test("grants are read in full only by the owner: another identity sees only its own", async () => {
    const { call } = setup({ deploy: DEPLOYER, plan: ["workspace-user"] });
    await assigned(call);
    await call("deploy", "POST", ACCOUNT_API, `/api/2.0/accounts/${ACCOUNT}/scim/v2/Groups`, { displayName: "readers" });
    expect((await call("deploy", "POST", HOST, "/api/2.1/unity-catalog/catalogs", { name: "c" })).status).toBe(200);
    await call("deploy", "PATCH", HOST, "/api/2.1/unity-catalog/permissions/catalog/c", { changes: [{ principal: "readers", add: ["USE_CATALOG"] }] });
    expect((await call("deploy", "GET", HOST, "/api/2.1/unity-catalog/permissions/catalog/c")).body).toEqual({ privilege_assignments: [{ principal: "readers", privileges: ["USE_CATALOG"] }] });
    expect((await call("plan", "GET", HOST, "/api/2.1/unity-catalog/permissions/catalog/c")).body).toEqual({ privilege_assignments: [] });
    expect((await call("plan", "POST", HOST, "/api/2.1/unity-catalog/catalogs", { name: "d" })).status).toBe(403);
  });

  test("a job's run_as service principal needs the creator's servicePrincipal.user and a workspace assignment", async () => {
    const { call } = setup({ deploy: DEPLOYER, plan: ["workspace-user"] });
    const sp = await call("deploy", "POST", ACCOUNT_API, `/api/2.0/accounts/${ACCOUNT}/scim/v2/ServicePrincipals`, { displayName: "sync", active: true });
    const appId = String(sp.body.applicationId);
    const job = { name: "j", run_as: { service_principal_name: appId }, tasks: [] };
    expect((await call("deploy", "POST", HOST, "/api/2.2/jobs/create", job)).status).toBe(403);
    const ruleSet = `accounts/${ACCOUNT}/servicePrincipals/${appId}/ruleSets/default`;
    expect((await call("deploy", "PUT", ACCOUNT_API, `/api/2.0/preview/accounts/${ACCOUNT}/access-control/rule-sets`, { name: ruleSet, rule_set: { name: ruleSet, etag: "", grant_rules: [{ role: "roles/servicePrincipal.user", principals: ["servicePrincipals/d0000000-0000-4000-8000-000000000001"] }] } })).status).toBe(200);
    expect((await call("deploy", "POST", HOST, "/api/2.2/jobs/create", job)).status).toBe(400);
    expect((await call("deploy", "PUT", ACCOUNT_API, `/api/2.0/accounts/${ACCOUNT}/workspaces/1234567890123456/permissionassignments/principals/${String(sp.body.id)}`, { permissions: ["USER"] })).status).toBe(200);
    expect((await call("deploy", "POST", HOST, "/api/2.2/jobs/create", job)).status).toBe(200);
  });
});
