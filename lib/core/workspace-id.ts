import { Token } from "cdktf";
import { IConstruct } from "constructs";
import { checkPattern, isDeferred } from "./validation";

/**
 * A Databricks workspace ID as the databricks provider takes it (a number), from the string azurerm gives
 * (`SecureWorkspace.workspaceId`) or a literal. A literal must be digits; a reference passes through as a token.
 */
export function databricksWorkspaceId(scope: IConstruct, prop: string, value: string): number {
  if (isDeferred(value)) return Token.asNumber(value);
  return Number(checkPattern(scope, prop, value, /^\d{1,20}$/, "a numeric Databricks workspace ID"));
}
