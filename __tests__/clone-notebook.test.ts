import { spawnSync } from "child_process";
import { CLONE_NOTEBOOK } from "../lib/disaster-recovery/delta-clone-sync";

/**
 * The disaster recovery clone notebook's own logic, run by python3 on a table-name fixture (outside Databricks the
 * notebook only defines its functions): views are skipped, every identifier is quoted with its backticks doubled.
 */
function run(harness: string): unknown {
  const result = spawnSync("python3", ["-c", `${CLONE_NOTEBOOK}\nimport json\n${harness}`], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe("the clone notebook (databricks review m6)", () => {
  test("tables are cloned, views and materialized views skipped, names quoted so none can end its quoting", () => {
    const out = run(
      `statements, skipped = clone_statements("lake_bronze_prod_primary", "lake_bronze_prod", "crm", [("orders", "MANAGED"), ("x\` DEEP CLONE other.t; --", "EXTERNAL"), ("v_orders", "VIEW"), ("mv_daily", "MATERIALIZED_VIEW")])\nprint(json.dumps({"statements": statements, "skipped": skipped}))`,
    );
    expect(out).toEqual({
      statements: [
        ["orders", "CREATE OR REPLACE TABLE `lake_bronze_prod`.`crm`.`orders` DEEP CLONE `lake_bronze_prod_primary`.`crm`.`orders`"],
        ["x` DEEP CLONE other.t; --", "CREATE OR REPLACE TABLE `lake_bronze_prod`.`crm`.`x`` DEEP CLONE other.t; --` DEEP CLONE `lake_bronze_prod_primary`.`crm`.`x`` DEEP CLONE other.t; --`"],
      ],
      skipped: ["v_orders", "mv_daily"],
    });
  });

  test("outside Databricks it runs nothing (no dbutils): loading it defines the functions only", () => {
    expect(run(`print(json.dumps([quote("a\`b"), "failed" in globals()]))`)).toEqual(["`a``b`", false]);
  });
});
