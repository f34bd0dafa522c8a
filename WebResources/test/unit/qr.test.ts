import { describe, expect, it } from "vitest";
import { qrModules, qrPath } from "../../src/qr";

describe("the QR code", () => {
  it("encodes a deep link into a square of modules with the three finder patterns", () => {
    const modules = qrModules("openid-vc://?request_uri=https://verifiedid.did.msidentity.com/v1.0/tenants/t/verifiableCredentials/issuanceRequests/9b2e");

    const size = modules.length;
    expect(size).toBeGreaterThanOrEqual(21);
    expect((size - 17) % 4).toBe(0);
    expect(modules.every((row) => row.length === size)).toBe(true);
    for (const [top, left] of [[0, 0], [0, size - 7], [size - 7, 0]]) {
      expect(modules[top][left] && modules[top + 6][left + 6] && modules[top + 3][left + 3]).toBe(true);
      expect(modules[top + 1][left + 1]).toBe(false);
    }
  });

  it("is the same code for the same link, and another for another", () => {
    expect(qrModules("openid-vc://a")).toEqual(qrModules("openid-vc://a"));
    expect(qrModules("openid-vc://a")).not.toEqual(qrModules("openid-vc://b"));
  });

  it("draws one path of numbers only, with a quiet zone around it", () => {
    const modules = qrModules("<script>alert(1)</script>");

    const { d, size } = qrPath(modules);

    expect(size).toBe(modules.length + 8);
    expect(d).toMatch(/^(M\d+ \d+h1v1h-1z)+$/);
    expect(d.startsWith("M4 4")).toBe(true);
  });
});
