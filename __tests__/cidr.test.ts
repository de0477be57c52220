import { Cidr, maxClusterNodes } from "../lib/network/cidr";

describe("Cidr", () => {
  test("parses and prints a block", () => {
    const block = Cidr.parse("10.20.0.0/22");
    expect(block.toString()).toBe("10.20.0.0/22");
    expect(block.size).toBe(1024);
    expect(block.usableAddresses).toBe(1019);
  });

  test.each(["10.0.0.0", "10.0.0.0/33", "300.0.0.0/16", "10.0.0/16", "fe80::/64", ""])("rejects %p", (text) => {
    expect(() => Cidr.parse(text)).toThrow(/is not an IPv4 CIDR block/);
  });

  test("rejects host bits", () => {
    expect(() => Cidr.parse("10.0.0.1/24")).toThrow(/has host bits set \(the network address is 10\.0\.0\.0\/24\)/);
  });

  test("containment and overlap", () => {
    const vnet = Cidr.parse("10.0.0.0/16");
    expect(vnet.contains(Cidr.parse("10.0.255.0/24"))).toBe(true);
    expect(vnet.contains(Cidr.parse("10.1.0.0/24"))).toBe(false);
    expect(Cidr.parse("10.0.0.0/24").overlaps(Cidr.parse("10.0.0.128/25"))).toBe(true);
    expect(Cidr.parse("10.0.0.0/25").overlaps(Cidr.parse("10.0.0.128/25"))).toBe(false);
  });

  test("carves aligned, non-overlapping subnets in order", () => {
    const parts = Cidr.parse("10.20.0.0/22").carve([24, 24, 25]).map(String);
    expect(parts).toEqual(["10.20.0.0/24", "10.20.1.0/24", "10.20.2.0/25"]);
    expect(Cidr.parse("10.0.0.0/24").carve([27, 26]).map(String)).toEqual(["10.0.0.0/27", "10.0.0.64/26"]);
  });

  test("carving more than fits fails", () => {
    expect(() => Cidr.parse("10.0.0.0/24").carve([25, 25, 26])).toThrow(/10\.0\.0\.0\/24 has no room left for a \/26/);
    expect(() => Cidr.parse("10.0.0.0/24").carve([23])).toThrow(/cannot carve a \/23/);
  });

  test("max cluster nodes = addresses less Azure's five reserved", () => {
    expect(maxClusterNodes("10.0.0.0/26")).toBe(59);
    expect(maxClusterNodes("10.0.0.0/24")).toBe(251);
  });
});
