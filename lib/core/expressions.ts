import { createHash } from "crypto";
import { DefaultTokenResolver, StringConcat, Tokenization } from "cdktf";
import { IConstruct } from "constructs";

/** The Terraform expression a value stands for (`${var.x}`, `${azurerm_y.z.id}`, or the literal), so equal references compare equal. */
export function expressionOf(scope: IConstruct, value: unknown): string {
  return JSON.stringify(Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) }));
}

/** A short, stable construct ID from a readable prefix and the identity of what it stands for. */
export function stableId(prefix: string, identity: string): string {
  return `${prefix.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${createHash("sha256").update(identity).digest("hex").slice(0, 12)}`;
}
