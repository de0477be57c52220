import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { NetworkSecurityRule } from "@cdktf/provider-azurerm/lib/network-security-rule";
import { MandatoryTagging, MandatoryTags } from "../lib/core/tags";
import { bareStack, resourcesOf, synth, TAGS } from "./helpers";

function stackWith(tags: MandatoryTags) {
  const stack = bareStack("tagged");
  MandatoryTagging.apply(stack, tags);
  return stack;
}

describe("MandatoryTagging", () => {
  test("tags every taggable resource, keeps its own tags, and the schema wins on conflicts", () => {
    const stack = stackWith(TAGS);
    new ResourceGroup(stack, "rg", { name: "rg-a", location: "westeurope", tags: { app: "x", owner: "someone-else" } });
    new NetworkSecurityRule(stack, "rule", { name: "r", networkSecurityGroupName: "n", resourceGroupName: "g", priority: 100, direction: "Inbound", access: "Deny", protocol: "*" });
    const json = synth(stack);
    expect(resourcesOf(json, "azurerm_resource_group")[0].tags).toEqual({ ...TAGS, app: "x" });
    expect(resourcesOf(json, "azurerm_network_security_rule")[0].tags).toBeUndefined();
  });

  test("a nested scope adds the domain tag to its own resources only", () => {
    const stack = stackWith(TAGS);
    const domain = new Construct(stack, "domain");
    MandatoryTagging.apply(domain, { ...TAGS, domain: "sales" });
    new ResourceGroup(domain, "rg", { name: "rg-domain", location: "westeurope" });
    new ResourceGroup(stack, "rg", { name: "rg-platform", location: "westeurope" });
    const groups = resourcesOf(synth(stack), "azurerm_resource_group");
    expect(groups.find((g) => g.name === "rg-domain")!.tags).toEqual({ ...TAGS, domain: "sales" });
    expect(groups.find((g) => g.name === "rg-platform")!.tags).toEqual(TAGS);
  });

  test.each([
    [{ dataClassification: "secret" }, /tagged: invalid tags\.dataClassification "secret": expected one of public, internal, confidential, restricted/],
    [{ owner: " " }, /tagged: invalid tags\.owner " ": expected a non-empty string/],
    [{ costCenter: "x".repeat(257) }, /invalid tags\.costCenter "x{20,}\.\.\.: expected a string of at most 256 characters/],
    [{ domain: "" }, /invalid tags\.domain "": expected a non-empty string when set/],
  ])("rejects bad mandatory tags %#", (override, message) => {
    expect(() => stackWith({ ...TAGS, ...(override as object) } as MandatoryTags)).toThrow(message);
  });

  test("a resource whose tags would exceed Azure's limits fails at synth", () => {
    const stack = stackWith(TAGS);
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`t${i}`, "v"]));
    new ResourceGroup(stack, "rg", { name: "rg-c", location: "westeurope", tags });
    expect(() => synth(stack)).toThrow(/tagged\/rg: invalid tags "53 tags": expected at most 50 tags per resource/);
  });

  test("tag names with characters Azure forbids fail", () => {
    const stack = stackWith(TAGS);
    new ResourceGroup(stack, "rg", { name: "rg-d", location: "westeurope", tags: { "a/b": "v" } });
    expect(() => synth(stack)).toThrow(/tagged\/rg: invalid tags name "a\/b": expected 1–128 characters without/);
  });
});
