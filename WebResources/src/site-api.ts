import { ApiError, IdentitySource } from "./api";
import { AttemptRow, CancelResponse, IssueResponse, StartResponse, Status, StatusResponse, ialOf, journeyOf, selfServiceRequestOf, statusOf, valueOf } from "./contract";
import { Strings } from "./strings";

/** The self-service row as the site's Web API returns it (Webapi/okos_selfservice/fields). */
export interface SelfServiceRow {
  okos_selfserviceid: string;
  okos_status?: number | null;
  okos_iallevel?: number | null;
  okos_pendingjourney?: number | null;
  okos_verifiedat?: string | null;
  okos_captureurl?: string | null;
  okos_linkexpiresat?: string | null;
  okos_walletlink?: string | null;
  okos_verifiedidavailable?: boolean | null;
  okos_verifiedidissued?: boolean | null;
}

/** The requests the section makes, by their option values. */
export const request = {
  refresh: valueOf(selfServiceRequestOf, "Refresh"),
  startProofing: valueOf(selfServiceRequestOf, "StartProofing"),
  addToAuthenticator: valueOf(selfServiceRequestOf, "AddToAuthenticator"),
} as const;

const pending = valueOf(statusOf, "Pending");

export const selfServiceColumns = [
  "okos_selfserviceid", "okos_status", "okos_iallevel", "okos_pendingjourney", "okos_verifiedat", "okos_captureurl",
  "okos_linkexpiresat", "okos_walletlink", "okos_verifiedidavailable", "okos_verifiedidissued",
];

/** A fetch the site's page makes: same origin, its cookie, nothing else. */
export type SiteFetch = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * The product as a Power Pages site reaches it: the site's Web API (/_api) on the contact's own okos_selfservice row, which
 * the site's table permission scopes to the signed-in contact. Saving the row asks (okos_request); reading it back tells
 * where the contact stands, as OneKosmos wrote it in the same save. Every write carries the site's anti-forgery token
 * (Microsoft's "Portals Web API" page: the __RequestVerificationToken header).
 */
export class SiteIdentityApi implements IdentitySource {
  private rowId: string | undefined;
  private latest: Promise<SelfServiceRow> | undefined;

  constructor(private readonly fetcher: SiteFetch, private readonly token: () => Promise<string>, private readonly t: Strings) {}

  status(contactId: string): Promise<StatusResponse> {
    this.latest = this.save(contactId, request.refresh);
    return this.latest.then((row) => this.statusOf(contactId, row));
  }

  /** The open capture and Authenticator offer, as the rows the panel's model reads them from; the site keeps no history. */
  async attempts(contactId: string): Promise<AttemptRow[]> {
    const row = await (this.latest ?? this.save(contactId, request.refresh));
    const open: AttemptRow[] = [];
    if (row.okos_captureurl) {
      open.push({ okos_verificationid: `${row.okos_selfserviceid}:capture`, okos_journey: valueOf(journeyOf, "IdentityProofing"), okos_status: pending, createdon: new Date(0).toISOString(), okos_captureurl: row.okos_captureurl, okos_expiresat: row.okos_linkexpiresat ?? null });
    }
    if (row.okos_walletlink) {
      open.push({ okos_verificationid: `${row.okos_selfserviceid}:wallet`, okos_journey: valueOf(journeyOf, "VerifiedIdIssuance"), okos_status: pending, createdon: new Date(0).toISOString(), okos_captureurl: row.okos_walletlink });
    }
    return open;
  }

  async start(contactId: string): Promise<StartResponse> {
    this.latest = this.save(contactId, request.startProofing);
    const row = await this.latest;
    return { VerificationId: "", SessionId: "", Status: this.statusOf(contactId, row).Status, CaptureUrl: row.okos_captureurl ?? "", ExpiresAt: row.okos_linkexpiresat ?? null, Reused: false };
  }

  async issueVerifiedId(contactId: string): Promise<IssueResponse> {
    this.latest = this.save(contactId, request.addToAuthenticator);
    const row = await this.latest;
    return { VerificationId: "", DeepLink: row.okos_walletlink ?? "", ExpiresAt: null, Reused: false, Pin: "" };
  }

  stepUp(): Promise<StartResponse> {
    return Promise.reject(new ApiError("Step-ups are asked by the company, not started on the site.", true));
  }

  cancel(): Promise<CancelResponse> {
    return Promise.reject(new ApiError("A verification is cancelled by the company, not on the site.", true));
  }

  private statusOf(contactId: string, row: SelfServiceRow): StatusResponse {
    const status: Status = row.okos_status != null ? statusOf[row.okos_status] ?? "NotStarted" : "NotStarted";
    const pending = row.okos_pendingjourney != null ? journeyOf[row.okos_pendingjourney] : undefined;
    return {
      ContactId: contactId,
      Status: status,
      IalLevel: row.okos_iallevel != null ? ialOf[row.okos_iallevel] ?? "" : "",
      MatchConfidence: null,
      CredentialDid: "",
      VerifiedAt: row.okos_verifiedat ?? null,
      LastStepUpAt: null,
      StepUpFresh: false,
      PendingJourney: pending ?? "",
      // Pending with no link yet: 1Kosmos has not opened the session (it is retried); there is no code to scan yet.
      Summary: this.t(status === "Pending" && !row.okos_captureurl && !row.okos_walletlink ? "selfSummaryPreparing" : `selfSummary${status}`),
      VerifiedIdAvailable: Boolean(row.okos_verifiedidavailable),
      VerifiedIdIssued: Boolean(row.okos_verifiedidissued),
      FaceCheckReady: false,
    };
  }

  /** Saves the contact's row with the request (creating it on the first visit), then reads it back. */
  private async save(contactId: string, asked: number): Promise<SelfServiceRow> {
    const id = clean(contactId);
    if (!this.rowId) {
      const found = await this.call<{ value: SelfServiceRow[] }>("GET", `/_api/okos_selfservices?$select=okos_selfserviceid&$filter=_okos_contactid_value eq ${id}`);
      this.rowId = found.value[0]?.okos_selfserviceid;
    }
    if (this.rowId) {
      await this.call("PATCH", `/_api/okos_selfservices(${this.rowId})`, { okos_request: asked });
    } else {
      const created = await this.call<Response>("POST", "/_api/okos_selfservices", { "okos_contactid@odata.bind": `/contacts(${id})`, okos_request: asked }, true);
      this.rowId = created.headers.get("entityid") ?? /\(([0-9a-f-]{36})\)/i.exec(created.headers.get("OData-EntityId") ?? "")?.[1] ?? undefined;
      if (!this.rowId) {
        throw new ApiError("The site created your verification but did not say where it is: reload the page.", false);
      }
    }
    return this.call<SelfServiceRow>("GET", `/_api/okos_selfservices(${this.rowId})?$select=${selfServiceColumns.join(",")}`);
  }

  private async call<T>(method: string, path: string, body?: unknown, raw = false): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (method !== "GET") {
      headers["Content-Type"] = "application/json";
      headers["__RequestVerificationToken"] = await this.token();
    }
    const response = await this.fetcher(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
    if (!response.ok) {
      const text = await response.text();
      let message = `The site answered ${response.status}.`;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // Not JSON (a sign-in page, a proxy's error): the status says enough.
      }
      throw new ApiError(message, response.status === 403);
    }
    if (raw) {
      return response as T;
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}

function clean(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

/**
 * The site's anti-forgery token: Power Pages' own shell.getTokenDeferred() when the page has it (Microsoft's Web API
 * wrapper sample uses it), else the token page it reads, /_layout/tokenhtml.
 */
export function siteToken(fetcher: SiteFetch): () => Promise<string> {
  return async () => {
    const shell = (window as unknown as { shell?: { getTokenDeferred(): PromiseLike<string> } }).shell;
    if (shell?.getTokenDeferred) {
      return await shell.getTokenDeferred();
    }
    const response = await fetcher("/_layout/tokenhtml", { credentials: "same-origin" });
    const value = /value="([^"]+)"/.exec(await response.text())?.[1];
    if (!value) {
      throw new ApiError("The site did not give this page its anti-forgery token: reload the page.", false);
    }
    return value;
  };
}
