import * as ipaddr from "ipaddr.js";
import { IConstruct } from "constructs";
import { invalid } from "../core/validation";

/** Addresses Azure reserves in every subnet (network, gateway, two DNS, broadcast). */
export const AZURE_RESERVED_ADDRESSES = 5;

/** An IPv4 CIDR block, parsed once. Parsing is done by ipaddr.js; the integer math here is only on its output. */
export class Cidr {
  /** Parses `a.b.c.d/n`; throws on anything else (including host bits set, e.g. `10.0.0.1/24`). */
  static parse(text: string): Cidr {
    if (typeof text !== "string" || !ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
      throw new Error(`"${text}" is not an IPv4 CIDR block (a.b.c.d/n)`);
    }
    const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
    const network = ipaddr.IPv4.networkAddressFromCIDR(text);
    if (network.toString() !== address.toString()) {
      throw new Error(`"${text}" has host bits set (the network address is ${network.toString()}/${prefix})`);
    }
    return new Cidr(toInt(network), prefix);
  }

  private constructor(
    /** The network address as an unsigned 32-bit integer. */
    readonly start: number,
    readonly prefix: number,
  ) {}

  /** Total addresses in the block. */
  get size(): number {
    return 2 ** (32 - this.prefix);
  }

  /** Last address as an unsigned 32-bit integer. */
  get end(): number {
    return this.start + this.size - 1;
  }

  /** Addresses usable by hosts in an Azure subnet of this size. */
  get usableAddresses(): number {
    return Math.max(0, this.size - AZURE_RESERVED_ADDRESSES);
  }

  /** Whether an IPv4 address (a.b.c.d) lies in the block; false for anything that is not one. */
  containsAddress(address: string): boolean {
    if (typeof address !== "string" || !ipaddr.IPv4.isValidFourPartDecimal(address)) return false;
    const value = toInt(ipaddr.IPv4.parse(address));
    return value >= this.start && value <= this.end;
  }

  contains(other: Cidr): boolean {
    return other.start >= this.start && other.end <= this.end;
  }

  overlaps(other: Cidr): boolean {
    return this.start <= other.end && other.start <= this.end;
  }

  toString(): string {
    return `${fromInt(this.start)}/${this.prefix}`;
  }

  /**
   * Carves consecutive subnets of the given prefix lengths out of this block, each aligned to its own
   * size, in the order given. Throws when they do not fit.
   */
  carve(prefixes: readonly number[]): Cidr[] {
    const result: Cidr[] = [];
    let cursor = this.start;
    for (const prefix of prefixes) {
      if (!Number.isInteger(prefix) || prefix < this.prefix || prefix > 32) {
        throw new Error(`cannot carve a /${prefix} out of ${this.toString()}`);
      }
      const size = 2 ** (32 - prefix);
      const aligned = Math.ceil(cursor / size) * size;
      const block = new Cidr(aligned, prefix);
      if (!this.contains(block)) {
        throw new Error(`${this.toString()} has no room left for a /${prefix} after ${result.map(String).join(", ") || "nothing"}`);
      }
      result.push(block);
      cursor = block.end + 1;
    }
    return result;
  }
}

/**
 * Checks the address spaces of one environment together (workspace, web-auth, transit, hub…): each a CIDR block, and
 * no two overlapping — peered or routed networks with overlapping ranges cannot reach each other. Each entry is
 * `[prop, cidr]`, with the prop as the user wrote it; errors name both props.
 */
export function checkAddressPlan(scope: IConstruct, entries: readonly (readonly [string, string])[]): void {
  const parsed = entries.map(([prop, text]) => {
    try {
      return [prop, Cidr.parse(text)] as const;
    } catch (e) {
      return invalid(scope, prop, text, `an IPv4 CIDR block with no host bits set (${(e as Error).message})`);
    }
  });
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (parsed[i][1].overlaps(parsed[j][1])) invalid(scope, parsed[j][0], parsed[j][1].toString(), `a range that does not overlap ${parsed[i][0]} (${parsed[i][1].toString()}): the environment's networks are peered or routed together`);
    }
  }
}

/** Max cluster nodes a Databricks subnet can hold: one address per node, less Azure's reserved five. */
export function maxClusterNodes(subnet: string | Cidr): number {
  return (typeof subnet === "string" ? Cidr.parse(subnet) : subnet).usableAddresses;
}

function toInt(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((acc, byte) => acc * 256 + byte, 0);
}

function fromInt(value: number): string {
  return ipaddr.fromByteArray([24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256)).toString();
}
