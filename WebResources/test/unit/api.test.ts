import { describe, expect, it, vi } from "vitest";
import { ApiError, IdentityApi } from "../../src/api";

function webApi(execute: (request: any) => Promise<any>, retrieve: (...args: any[]) => Promise<{ entities: unknown[] }> = async () => ({ entities: [] })) {
  return { online: { execute }, retrieveMultipleRecords: retrieve } as unknown as Xrm.WebApi;
}

describe("the API client", () => {
  it("calls a custom API as an unbound action with typed parameters", async () => {
    const execute = vi.fn(async (_request: any) => ({ ok: true, status: 200, json: async () => ({ Status: "Pending" }) }));

    const result = await new IdentityApi(webApi(execute)).start("{C1}", { entityType: "opportunity", id: "{O1}", name: "Mortgage" });

    const request = execute.mock.calls[0][0];
    const metadata = request.getMetadata();
    expect(metadata.operationName).toBe("okos_StartVerification");
    expect(metadata.operationType).toBe(0);
    expect(metadata.boundParameter).toBeNull();
    expect(metadata.parameterTypes.Subject).toEqual({ typeName: "mscrm.contact", structuralProperty: 5 });
    expect(request.Subject).toEqual({ "@odata.type": "Microsoft.Dynamics.CRM.contact", contactid: "c1" });
    expect(request.Regarding).toEqual({ "@odata.type": "Microsoft.Dynamics.CRM.opportunity", opportunityid: "o1" });
    expect(result).toEqual({ Status: "Pending" });
  });

  it("reads the contact's attempts newest first, with the capture link column", async () => {
    const retrieve = vi.fn(async (..._args: any[]) => ({ entities: [{ okos_verificationid: "v1" }] as unknown[] }));

    await new IdentityApi(webApi(vi.fn(), retrieve)).attempts("{ABC}");

    const [table, options] = retrieve.mock.calls[0] as unknown as [string, string];
    expect(table).toBe("okos_verification");
    expect(options).toContain("$filter=_okos_contactid_value eq abc");
    expect(options).toContain("$orderby=createdon desc");
    expect(options).toContain("okos_captureurl");
  });

  it("turns the platform's error into its message, and knows a missing privilege", async () => {
    const denied = webApi(async () => {
      throw { errorCode: -2147220960, message: "Principal user is missing prvReadokos_verification privilege." };
    });
    const failed = webApi(async () => {
      throw { errorCode: -2147220891, message: "1Kosmos is not reachable." };
    });

    const privilege = await new IdentityApi(denied).status("c1").catch((error) => error);
    const other = await new IdentityApi(failed).status("c1").catch((error) => error);

    expect(privilege).toBeInstanceOf(ApiError);
    expect(privilege.forbidden).toBe(true);
    expect(other.forbidden).toBe(false);
    expect(other.message).toBe("1Kosmos is not reachable.");
  });

  it("issues a Verified ID credential, and asks for a Face Check step-up by its method", async () => {
    const execute = vi.fn(async (_request: any) => ({ ok: true, status: 200, json: async () => ({}) }));
    const api = new IdentityApi(webApi(execute));

    await api.issueVerifiedId("{C1}");
    await api.stepUp("c1", "Wire transfer", undefined, "VerifiedIdFaceCheck");
    await api.stepUp("c1", "Refund");

    const [issue, faceCheck, liveId] = execute.mock.calls.map((call) => call[0]);
    expect(issue.getMetadata().operationName).toBe("okos_IssueVerifiedIdCredential");
    expect(issue.Subject).toEqual({ "@odata.type": "Microsoft.Dynamics.CRM.contact", contactid: "c1" });
    expect(faceCheck.Method).toBe("VerifiedIdFaceCheck");
    expect(faceCheck.getMetadata().parameterTypes.Method).toEqual({ typeName: "Edm.String", structuralProperty: 1 });
    expect(liveId.Method).toBeUndefined();
  });
});
