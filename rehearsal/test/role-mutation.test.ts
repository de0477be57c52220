import { join } from "path";
import { build, rehearseFixture } from "./run-rehearsal";

/**
 * Mutations of a generated role: with any one of the actions a stack's calls need removed, the rehearsal fails and
 * names the identity, the action, the stack and phase, and the call. One action of each kind ARM checks: a resource's
 * own action, a linked access check, a long-running operation's status URL, and what the provider calls when it
 * starts. The fixture stack is small (a group, a VNet, an NSG and its subnet association), with the project's provider
 * settings; it runs the real terraform and the pinned azurerm (about a minute per case, the cases in parallel).
 */
const FIXTURE = join(__dirname, "fixture");
const rehearse = (mutation?: string) => rehearseFixture(FIXTURE, mutation ? ["--drop-action", mutation] : []);

beforeAll(build);

test.concurrent("the fixture passes with the generated role as is", async () => {
  const run = await rehearse();
  expect({ status: run.status, tail: run.output.split("\n").slice(-8).join("\n") }).toMatchObject({ status: 0 });
  expect(run.report.stacks[0].phases.map((p) => `${p.phase} ${p.ok}`)).toEqual(["init true", "plan true", "apply true", "second-plan true", "plan-identity true", "destroy true"]);
});

test.concurrent.each([
  ["a resource's own action", "Microsoft.Network/virtualNetworks/subnets/write", /deploy-test lacks Microsoft\.Network\/virtualNetworks\/subnets\/write: first at network-test\/apply, PUT \/subscriptions\/\{subscriptionId\}\/resourceGroups\/\{resourceGroupName\}\/providers\/Microsoft\.Network\/virtualNetworks\/\{name\}\/subnets\/\{name\}/],
  ["a linked access check", "Microsoft.Network/networkSecurityGroups/join/action", /deploy-test lacks Microsoft\.Network\/networkSecurityGroups\/join\/action \(linked access\): first at network-test\/apply, PUT .*\/subnets\/\{name\}/],
  ["a status URL", "Microsoft.Network/locations/operations/read", /deploy-test lacks Microsoft\.Network\/locations\/operations\/read: first at network-test\/apply, GET \/subscriptions\/\{subscriptionId\}\/providers\/Microsoft\.Network\/locations\/\{name\}\/operations\/\{name\}/],
  ["the provider's start", "Microsoft.Resources/subscriptions/providers/read", /deploy-test lacks Microsoft\.Resources\/subscriptions\/providers\/read: first at network-test\/plan, GET \/subscriptions\/\{subscriptionId\}\/providers/],
])("without %s (%s) the rehearsal fails, naming identity, action, stack, phase and call", async (_kind, action, named) => {
  const run = await rehearse(action);
  expect(run.status).toBe(1);
  expect(run.output).toMatch(named);
});
