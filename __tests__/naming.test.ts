import { Testing, TerraformStack } from "cdktf";
import { Naming, NamingProps } from "../lib/core/naming";
import { regionInfo, SUPPORTED_REGIONS } from "../lib/core/regions";
import { ValidationError } from "../lib/core/validation";

const base: NamingProps = { organization: "contoso", workload: "lake", environment: "dev", region: "westeurope" };

function naming(props: Partial<NamingProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "names");
  return { stack, naming: new Naming(stack, { ...base, ...props }) };
}

describe("Naming", () => {
  test("builds CAF-style names with the region short code", () => {
    const { stack, naming: n } = naming();
    expect(n.resourceGroup(stack, "platform")).toBe("rg-lake-platform-dev-weu");
    expect(n.virtualNetwork(stack, "core")).toBe("vnet-lake-core-dev-weu");
    expect(n.databricksWorkspace(stack, "core")).toBe("dbw-lake-core-dev-weu");
    expect(n.managedResourceGroup(stack, "core")).toBe("rg-lake-core-managed-dev-weu");
    expect(n.privateEndpoint(stack, "core", "databricks_ui_api")).toBe("pep-lake-core-databricks-ui-api-dev-weu");
  });

  test("globally unique names end in a suffix derived only from the naming inputs", () => {
    const a = naming();
    const b = naming();
    const storage = a.naming.storageAccount(a.stack, "core");
    expect(storage).toMatch(/^stlakecoredevweu[0-9a-f]{5}$/);
    expect(b.naming.storageAccount(b.stack, "core")).toBe(storage);
    const other = naming({ organization: "fabrikam" });
    expect(other.naming.storageAccount(other.stack, "core")).not.toBe(storage);
    expect(a.naming.keyVault(a.stack)).toBe(`kv-lake-dev-weu-${a.naming.suffix}`);
  });

  test("every supported region has a unique short code", () => {
    const codes = SUPPORTED_REGIONS.map((r) => regionInfo(r)!.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test.each([
    [{ region: "moon-west" }, /naming\.region "moon-west": expected one of the supported regions/],
    [{ workload: "Lake" }, /naming\.workload "Lake": expected 2–10 characters of \[a-z0-9\]/],
    [{ workload: "lake-house" }, /naming\.workload "lake-house"/],
    [{ environment: "production" }, /naming\.environment "production": expected 2–6 characters/],
    [{ organization: "Contoso Ltd" }, /naming\.organization "Contoso Ltd": expected 2–40 characters/],
  ])("rejects bad naming input %p", (props, message) => {
    expect(() => naming(props)).toThrow(ValidationError);
    expect(() => naming(props)).toThrow(message);
    expect(() => naming(props)).toThrow(/^names: /);
  });

  test("a storage account name that would overflow fails instead of being truncated", () => {
    const { stack, naming: n } = naming({ workload: "lakehouse1", environment: "prod01" });
    expect(() => n.storageAccount(stack, "analytics")).toThrow(
      /names: invalid storage account name "stlakehouse1analyticsprod01weu[0-9a-f]{5}": expected 3–24 characters of \[a-z0-9\].*never truncated/,
    );
  });

  test("a Key Vault name over 24 characters fails", () => {
    const { stack, naming: n } = naming({ workload: "lakehouse1" });
    expect(() => n.keyVault(stack, "secrets")).toThrow(/Key Vault name "kv-lakehouse1-secrets-dev-weu-[0-9a-f]{5}": expected 3–24 characters/);
  });

  test("a bad purpose is rejected", () => {
    const { stack, naming: n } = naming();
    expect(() => n.resourceGroup(stack, "Core")).toThrow(/name purpose "Core": expected 1–12 characters of \[a-z0-9\]/);
    expect(() => n.resourceGroup(stack, "core-2")).toThrow(/name purpose "core-2"/);
  });

  test("one name is never given to two constructs", () => {
    const { stack, naming: n } = naming();
    const other = new TerraformStack(stack.node.scope!, "other");
    n.storageAccount(stack, "core");
    expect(n.storageAccount(stack, "core")).toMatch(/^stlakecore/);
    expect(() => n.storageAccount(other, "core")).toThrow(/other: invalid storage account name "stlakecoredevweu[0-9a-f]{5}": expected a name not already given to names/);
  });

  test("Unity Catalog identifiers allow only [a-z0-9_]", () => {
    const { stack, naming: n } = naming();
    expect(n.unityCatalog(stack, "lake", "dev", "bronze")).toBe("lake_dev_bronze");
    expect(() => n.unityCatalog(stack, "lake", "Gold-Reports")).toThrow(/unity catalog name part "Gold-Reports": expected characters of \[a-z0-9_\]/);
  });

  test("globalName enforces the service's maximum length", () => {
    const { stack, naming: n } = naming();
    expect(n.globalName(stack, "adf", "ingest", 63)).toMatch(/^adf-lake-ingest-dev-weu-[0-9a-f]{5}$/);
    expect(() => n.globalName(stack, "adf", "ingest", 20)).toThrow(/adf name "adf-lake-ingest-dev-weu-[0-9a-f]{5}": expected 3–20 characters/);
  });
});
