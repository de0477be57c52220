import { spawnSync } from "child_process";
import { join } from "path";
import { federatedSubjects } from "../lib/ci/oidc-subjects";
import { sampleSynth } from "./sample-synth";

describe("OIDC subjects (CI review B1)", () => {
  test("every environment's deploy and plan identities, and the first environment's pull-request identity, in both forms", () => {
    const subjects = federatedSubjects({ owner: "contoso", name: "lake", ownerId: "1234", repositoryId: "98765" }, ["dev", "prod"]);
    expect(subjects.map((s) => `${s.environment} ${s.identity} ${s.githubEnvironment}`)).toEqual(["dev deploy dev", "dev plan dev-plan", "dev pr dev-pr", "prod deploy prod", "prod plan prod-plan"]);
    expect(subjects.find((s) => s.githubEnvironment === "prod-plan")).toMatchObject({ classic: "repo:contoso/lake:environment:prod-plan", immutable: "repo:contoso@1234/lake@98765:environment:prod-plan" });
  });

  test("without the IDs: placeholders; a name or ID GitHub could not have is refused", () => {
    expect(federatedSubjects({ owner: "contoso", name: "lake" }, ["dev"])[0].immutable).toBe("repo:contoso@<owner_id>/lake@<repo_id>:environment:dev");
    expect(() => federatedSubjects({ owner: "con:toso", name: "lake", ownerId: "12a" }, ["dev"])).toThrow(/owner "con:toso": expected a GitHub owner name; owner ID "12a": expected a decimal number/);
  });

  test("medallion-workflow subjects prints the table from the synthesized app", () => {
    const result = spawnSync(process.execPath, ["-r", "sucrase/register/ts", join(__dirname, "..", "lib", "cli", "medallion-workflow.ts"), "subjects", "--repository", "contoso/lake", "--outdir", sampleSynth()], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("| dev | pr | dev-pr | `repo:contoso/lake:environment:dev-pr` | `repo:contoso@<owner_id>/lake@<repo_id>:environment:dev-pr` |");
    expect(result.stdout.trim().split("\n")).toHaveLength(2 + 5);
  });
});
