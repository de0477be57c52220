import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import type { Naming } from "./naming";
import type { AzureRegion } from "./regions";
import { MandatoryTagging, MandatoryTags } from "./tags";
import { invalid } from "./validation";

export interface StackContextProps {
  /** The stack's naming (its region is the stack's location). */
  readonly naming: Naming;
  /** Mandatory tags for every resource of the stack (applied with MandatoryTagging). @default none applied here */
  readonly tags?: MandatoryTags;
}

/**
 * What every construct of a stack shares — naming, region and location, mandatory tags — stated once per stack, as
 * aws-cdk-lib constructs find their Stack: constructs below look it up from their scope ({@link StackContext.of}),
 * and an explicit prop still wins. It adds no resource: the synthesized JSON is the same as with explicit props.
 */
export class StackContext extends Construct {
  /** The construct ID under the stack: one context per stack. */
  static readonly ID = "medallion-context";

  /** The context of the stack `scope` is in, if it has one. */
  static of(scope: IConstruct): StackContext | undefined {
    return TerraformStack.of(scope).node.tryFindChild(StackContext.ID) as StackContext | undefined;
  }

  readonly naming: Naming;
  readonly tags?: MandatoryTags;

  constructor(stack: TerraformStack, props: StackContextProps) {
    super(stack, StackContext.ID);
    this.naming = props.naming;
    this.tags = props.tags;
    if (props.tags) MandatoryTagging.apply(stack, props.tags);
  }
}

/** Props whose naming and location may come from the stack's {@link StackContext}. */
export type Contextual<P extends { readonly naming: Naming; readonly location: AzureRegion }> = Omit<P, "naming" | "location"> & {
  /** @default the stack's StackContext naming */
  readonly naming?: Naming;
  /** @default the naming's region */
  readonly location?: AzureRegion;
};

/** The props with naming and location filled in from the stack's context; a missing one fails naming the prop. */
export function withStackContext<P extends { readonly naming: Naming; readonly location: AzureRegion }>(scope: IConstruct, input: Contextual<P>): P {
  const naming = input.naming ?? StackContext.of(scope)?.naming ?? invalid(scope, "naming", undefined, "a Naming, or a StackContext on the stack (new StackContext(stack, { naming }))");
  return { ...input, naming, location: input.location ?? (naming.region as AzureRegion) } as unknown as P;
}
