import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import type { PrivateDns } from "../network/private-dns";
import { Naming, NamingProps } from "./naming";
import type { AzureRegion } from "./regions";
import { MandatoryTagging, MandatoryTags } from "./tags";
import { invalid } from "./validation";

export interface StackContextProps {
  /** The stack's naming (its region is the stack's location), or the props to create it with. */
  readonly naming: Naming | NamingProps;
  /** Mandatory tags for every resource of the stack (applied with MandatoryTagging). @default none applied here */
  readonly tags?: MandatoryTags;
  /**
   * The private DNS zones the stack's private endpoints register in.
   * @default those of the first MedallionPlatform in the stack; otherwise each construct creates its own
   */
  readonly privateDns?: PrivateDns;
  /**
   * Resource ID of the Log Analytics workspace diagnostics go to.
   * @default the first MedallionPlatform's in the stack; otherwise each construct creates its own
   */
  readonly logAnalyticsWorkspaceId?: string;
  /** Resource ID of the action group alerts notify. @default none: alerts without one draw guardrail warning MDL-MON-002 */
  readonly actionGroupId?: string;
}

/** The services a stack's constructs share, from its {@link StackContext}. */
export type SharedServices = Pick<StackContextProps, "privateDns" | "logAnalyticsWorkspaceId" | "actionGroupId">;

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
  private readonly services: { -readonly [K in keyof SharedServices]: SharedServices[K] };

  constructor(stack: TerraformStack, props: StackContextProps) {
    super(stack, StackContext.ID);
    this.naming = props.naming instanceof Naming ? props.naming : new Naming(stack, props.naming);
    this.tags = props.tags;
    this.services = { privateDns: props.privateDns, logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, actionGroupId: props.actionGroupId };
    if (props.tags) MandatoryTagging.apply(stack, props.tags);
  }

  get privateDns(): PrivateDns | undefined {
    return this.services.privateDns;
  }

  get logAnalyticsWorkspaceId(): string | undefined {
    return this.services.logAnalyticsWorkspaceId;
  }

  get actionGroupId(): string | undefined {
    return this.services.actionGroupId;
  }

  /**
   * Offers a construct's services to the constructs created after it in the stack (MedallionPlatform offers its DNS
   * zones and Log Analytics workspace). A service the context already has is kept: the first one stated wins.
   */
  offer(services: SharedServices): void {
    for (const key of Object.keys(services) as (keyof SharedServices)[]) {
      if (this.services[key] === undefined) (this.services as Record<string, unknown>)[key] = services[key];
    }
  }
}

/**
 * Props whose naming and location — and the shared services named in `S` — may come from the stack's
 * {@link StackContext}.
 */
export type Contextual<P extends { readonly naming: Naming; readonly location: AzureRegion }, S extends keyof SharedServices & keyof P = never> = Omit<P, "naming" | "location" | S> & {
  /** @default the stack's StackContext naming */
  readonly naming?: Naming;
  /** @default the naming's region */
  readonly location?: AzureRegion;
} & { readonly [K in S]?: P[K] };

/**
 * The props with naming, location and the shared services `services` filled in from the stack's context (an explicit
 * prop wins); a missing naming or required service fails naming the prop.
 */
export function withStackContext<P extends { readonly naming: Naming; readonly location: AzureRegion }>(
  scope: IConstruct,
  input: Contextual<P, keyof SharedServices & keyof P>,
  services: { readonly [K in keyof SharedServices]?: "required" | "optional" } = {},
): P {
  const context = StackContext.of(scope);
  const naming = input.naming ?? context?.naming ?? invalid(scope, "naming", undefined, "a Naming, or a StackContext on the stack (new StackContext(stack, { naming }))");
  const filled: Record<string, unknown> = { ...input, naming, location: input.location ?? (naming.region as AzureRegion) };
  for (const [key, need] of Object.entries(services) as [keyof SharedServices, string][]) {
    filled[key] = (input as Record<string, unknown>)[key] ?? context?.[key];
    if (filled[key] === undefined && need === "required") invalid(scope, key, undefined, `a value, or a StackContext on the stack that has one (new StackContext(stack, { ${key} }), or a MedallionPlatform before this construct)`);
  }
  return filled as unknown as P;
}
