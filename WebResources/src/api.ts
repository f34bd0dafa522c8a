import { AttemptRow, CancelResponse, IssueResponse, StartResponse, StatusResponse, attemptColumns } from "./contract";

/** What a failed call says: the platform's message for the user, and whether it was a missing privilege. */
export class ApiError extends Error {
  constructor(message: string, readonly forbidden: boolean) {
    super(message);
  }
}

/** The platform error code for a missing privilege (0x80040220). */
const privilegeDenied = -2147220960;

type Parameter = { typeName: string; structuralProperty: number };

const parameterTypes: Record<string, Parameter> = {
  Subject: { typeName: "mscrm.contact", structuralProperty: 5 },
  Regarding: { typeName: "mscrm.crmbaseentity", structuralProperty: 5 },
  Journey: { typeName: "Edm.String", structuralProperty: 1 },
  Reason: { typeName: "Edm.String", structuralProperty: 1 },
  Method: { typeName: "Edm.String", structuralProperty: 1 },
  VerificationId: { typeName: "Edm.Guid", structuralProperty: 1 },
};

/** How a step-up is done: LiveID in the BlockID app, or Face Check on the Verified ID credential. */
export type StepUpMethod = "LiveId" | "VerifiedIdFaceCheck";

/** Where the panel reads a contact's standing and asks for actions: the custom APIs on a form, the site's table on Power Pages. */
export interface IdentitySource {
  status(contactId: string): Promise<StatusResponse>;
  attempts(contactId: string): Promise<AttemptRow[]>;
  start(contactId: string, regarding?: Xrm.LookupValue): Promise<StartResponse>;
  stepUp(contactId: string, reason: string, regarding?: Xrm.LookupValue, method?: StepUpMethod): Promise<StartResponse>;
  cancel(contactId: string, verificationId: string, reason: string): Promise<CancelResponse>;
  issueVerifiedId(contactId: string): Promise<IssueResponse>;
}

/** The custom APIs and the attempt history, through Xrm.WebApi so the platform's security applies. */
export class IdentityApi implements IdentitySource {
  constructor(private readonly webApi: Xrm.WebApi) {}

  status(contactId: string): Promise<StatusResponse> {
    return this.action<StatusResponse>("okos_GetVerificationStatus", { Subject: reference(contactId) });
  }

  start(contactId: string, regarding?: Xrm.LookupValue): Promise<StartResponse> {
    return this.action<StartResponse>("okos_StartVerification", { Subject: reference(contactId), ...regardingOf(regarding) });
  }

  stepUp(contactId: string, reason: string, regarding?: Xrm.LookupValue, method: StepUpMethod = "LiveId"): Promise<StartResponse> {
    return this.action<StartResponse>("okos_RequestStepUp", { Subject: reference(contactId), Reason: reason, ...regardingOf(regarding), ...(method === "LiveId" ? {} : { Method: method }) });
  }

  /** Ends the contact's pending attempt for good (okos_CancelVerification). */
  cancel(contactId: string, verificationId: string, reason: string): Promise<CancelResponse> {
    return this.action<CancelResponse>("okos_CancelVerification", { Subject: reference(contactId), VerificationId: clean(verificationId), Reason: reason });
  }

  issueVerifiedId(contactId: string): Promise<IssueResponse> {
    return this.action<IssueResponse>("okos_IssueVerifiedIdCredential", { Subject: reference(contactId) });
  }

  /** Every attempt of the contact, newest first; the capture link comes back only to users allowed to read it. */
  async attempts(contactId: string): Promise<AttemptRow[]> {
    try {
      const result = await this.webApi.retrieveMultipleRecords("okos_verification",
        `?$select=${attemptColumns.join(",")}&$filter=_okos_contactid_value eq ${clean(contactId)}&$orderby=createdon desc&$top=50`);
      return result.entities as AttemptRow[];
    } catch (error) {
      throw failure(error);
    }
  }

  private async action<T>(name: string, parameters: Record<string, unknown>): Promise<T> {
    const request = {
      ...parameters,
      getMetadata: () => ({
        boundParameter: null,
        operationType: 0,
        operationName: name,
        parameterTypes: Object.fromEntries(Object.keys(parameters).map((key) => [key, parameterTypes[key]])),
      }),
    };
    try {
      const response = await this.webApi.online.execute(request);
      if (!response.ok) {
        throw new ApiError(`${name} answered ${response.status}`, response.status === 403);
      }
      return (await response.json()) as T;
    } catch (error) {
      throw failure(error);
    }
  }
}

function clean(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

function reference(contactId: string): Record<string, string> {
  return { "@odata.type": "Microsoft.Dynamics.CRM.contact", contactid: clean(contactId) };
}

function regardingOf(regarding?: Xrm.LookupValue): Record<string, unknown> {
  return regarding
    ? { Regarding: { "@odata.type": `Microsoft.Dynamics.CRM.${regarding.entityType}`, [`${regarding.entityType}id`]: clean(regarding.id) } }
    : {};
}

/** Xrm rejects with { errorCode, message }; anything else is reported by its message. */
function failure(error: unknown): ApiError {
  if (error instanceof ApiError) {
    return error;
  }
  const details = error as { errorCode?: number; message?: string };
  return new ApiError(details?.message ?? String(error), details?.errorCode === privilegeDenied);
}
