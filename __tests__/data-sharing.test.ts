import { readFileSync } from "fs";
import { join } from "path";
import { sampleSynth } from "./sample-synth";

type Attrs = Record<string, unknown>;
interface StackJson {
  resource: Record<string, Record<string, Attrs>>;
  output?: Record<string, { value: string; sensitive: boolean }>;
}
const stack = (name: string) => JSON.parse(readFileSync(join(sampleSynth(), "stacks", name, "cdk.tf.json"), "utf8")) as StackJson;
const sales = stack("domain-sales-prod");
const recipients = Object.entries(sales.resource.databricks_recipient ?? {});
const external = Object.entries(sales.resource.databricks_share ?? {}).filter(([, s]) => (s["//"] as { sharing?: unknown }).sharing !== undefined);

describe("Delta Sharing from the sample's sales domain (prod)", () => {
  test("one share of the orders data product, named per domain and environment, with the domain's record for the guardrails", () => {
    expect(external.map(([, s]) => s.name)).toEqual(["sales_orders_partners_prod"]);
    const [, share] = external[0];
    expect(share.object).toEqual([{ data_object_type: "SCHEMA", name: expect.stringMatching(/^\$\{databricks_schema\.domain_catalog_schema-orders_\w+\.catalog_name\}\.\$\{databricks_schema\.domain_catalog_schema-orders_\w+\.name\}$/) }]);
    expect((share["//"] as { sharing: unknown }).sharing).toEqual({ domain: "sales", dataClassification: "confidential", catalog: "sales_prod", allowance: null });
  });

  test("recipients: Databricks-to-Databricks by sharing identifier; the open one fenced by IP and expiring at the end of its last day", () => {
    const byName = Object.fromEntries(recipients.map(([, r]) => [r.name, r]));
    expect(byName.sales_fabrikam_prod).toMatchObject({ authentication_type: "DATABRICKS", data_recipient_global_metastore_id: "azure:westeurope:7f0e4d9a-3c1b-4a52-9d8e-2b6f1a0c5e37" });
    expect(byName.sales_fabrikam_prod).not.toHaveProperty("ip_access_list");
    expect(byName.sales_northwind_prod).toMatchObject({ authentication_type: "TOKEN", ip_access_list: { allowed_ip_addresses: ["203.0.113.0/24"] }, expiration_time: Date.parse("2027-06-30T23:59:59Z") });
  });

  test("one authoritative grants block per share: SELECT for its recipients, nothing else", () => {
    const [shareId] = external[0];
    const grants = Object.values(sales.resource.databricks_grants).filter((g) => g.share === `\${databricks_share.${shareId}.name}`);
    expect(grants).toHaveLength(1);
    expect(grants[0].grant).toEqual(
      recipients.map(([id]) => ({ principal: `\${databricks_recipient.${id}.name}`, privileges: ["SELECT"] })).sort((a, b) => a.principal.localeCompare(b.principal)),
    );
  });

  test("the open recipient's activation link is only in a sensitive output; the Databricks recipient has none", () => {
    const links = Object.entries(sales.output ?? {}).filter(([, o]) => String(o.value).includes("activation_url"));
    expect(links).toHaveLength(1);
    expect(links[0][1].sensitive).toBe(true);
    expect(links[0][1].value).toMatch(/^\$\{databricks_recipient\.domain_sharing_recipient-northwind_\w+\.tokens\[0\]\.activation_url\}$/);
  });

  test("other companies are served from the primary region only; no other domain or environment shares", () => {
    for (const name of ["domain-sales-prod-dr", "domain-sales-dev", "domain-fin-prod", "domain-mkt-prod"]) {
      expect([name, Object.keys(stack(name).resource.databricks_recipient ?? {})]).toEqual([name, []]);
    }
  });
});
