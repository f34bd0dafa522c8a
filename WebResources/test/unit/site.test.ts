import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../src/api";
import { PanelController } from "../../src/panel";
import { SelfServiceRow, SiteFetch, SiteIdentityApi, request, siteToken } from "../../src/site-api";
import { bootstrapLook } from "../../src/site-main";
import { resourceStrings, selfServiceStrings } from "../../src/strings";

const contact = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const rowId = "9b2c1c5e-0b7a-4a52-9a53-1d2f3e4a5b6c";
const strings = selfServiceStrings(resourceStrings());

type Call = { method: string; path: string; headers: Record<string, string>; body?: unknown };

/** The site's Web API as a list of answers in order; every call it got is kept. */
function site(answers: Array<{ status: number; body?: unknown; headers?: Record<string, string> }>) {
  const calls: Call[] = [];
  const fetcher: SiteFetch = vi.fn(async (path: string, init?: RequestInit) => {
    calls.push({ method: init?.method ?? "GET", path, headers: (init?.headers ?? {}) as Record<string, string>, body: init?.body ? JSON.parse(init.body as string) : undefined });
    const answer = answers.shift() ?? { status: 500 };
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.body ?? {}), { status: answer.status, headers: answer.headers });
  });
  return { calls, api: new SiteIdentityApi(fetcher, async () => "token-1", strings) };
}

const row = (more: Partial<SelfServiceRow> = {}): SelfServiceRow => ({ okos_selfserviceid: rowId, ...more });

describe("the site's identity source", () => {
  it("creates the contact's row on the first visit, bound to the contact, with the anti-forgery token, then reads it back", async () => {
    const { calls, api } = site([
      { status: 200, body: { value: [] } },
      { status: 204, headers: { entityid: rowId } },
      { status: 200, body: row() },
    ]);

    const status = await api.status(`{${contact.toUpperCase()}}`);

    expect(status.Status).toBe("NotStarted");
    expect(status.Summary).toBe(strings("selfSummaryNotStarted"));
    expect(calls.map((call) => `${call.method} ${call.path.split("?")[0]}`)).toEqual(["GET /_api/okos_selfservices", "POST /_api/okos_selfservices", `GET /_api/okos_selfservices(${rowId})`]);
    expect(calls[0].path).toContain(`_okos_contactid_value eq ${contact}`);
    expect(calls[1].body).toEqual({ "okos_contactid@odata.bind": `/contacts(${contact})`, okos_request: request.refresh });
    expect(calls[1].headers.__RequestVerificationToken).toBe("token-1");
    expect(calls[0].headers.__RequestVerificationToken).toBeUndefined();
  });

  it("asks on the row it found (PATCH okos_request) and maps the answer into the panel's status and open attempts", async () => {
    const { calls, api } = site([
      { status: 200, body: { value: [row()] } },
      { status: 204 },
      { status: 200, body: row({ okos_status: 715900000, okos_pendingjourney: 715900000, okos_captureurl: "https://acme.1kosmos.net/idv/s1", okos_linkexpiresat: "2026-12-07T14:00:00Z", okos_verifiedidavailable: true }) },
    ]);

    const started = await api.start(contact);
    const attempts = await api.attempts(contact);

    expect(calls[1]).toMatchObject({ method: "PATCH", path: `/_api/okos_selfservices(${rowId})`, body: { okos_request: request.startProofing } });
    expect(started.Status).toBe("Pending");
    expect(started.CaptureUrl).toBe("https://acme.1kosmos.net/idv/s1");
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ okos_journey: 715900000, okos_status: 715900000, okos_captureurl: "https://acme.1kosmos.net/idv/s1", okos_expiresat: "2026-12-07T14:00:00Z" });
  });

  it("says the verification is being prepared while it is pending without a link (1Kosmos has not opened the session yet)", async () => {
    const { api } = site([
      { status: 200, body: { value: [row()] } },
      { status: 204 },
      { status: 200, body: row({ okos_status: 715900000, okos_pendingjourney: 715900000 }) },
    ]);

    const status = await api.status(contact);

    expect(status.Status).toBe("Pending");
    expect(status.Summary).toBe(strings("selfSummaryPreparing"));
  });

  it("reports the site's refusal in its own words, a 403 as a missing permission", async () => {
    const { api } = site([{ status: 403, body: { error: { code: "90040102", message: "You don't have permission to create this okos_selfservice row." } } }]);

    const failure = (await api.status(contact).catch((error: unknown) => error)) as ApiError;

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.message).toBe("You don't have permission to create this okos_selfservice row.");
    expect(failure.forbidden).toBe(true);
  });

  it("never offers a step-up or a cancel: those are the company's", async () => {
    const { api } = site([]);
    await expect(api.stepUp()).rejects.toBeInstanceOf(ApiError);
    await expect(api.cancel()).rejects.toBeInstanceOf(ApiError);
  });

  it("reads the anti-forgery token from the site's token page when the page has no shell", async () => {
    const fetcher: SiteFetch = vi.fn(async () => new Response('<input name="__RequestVerificationToken" type="hidden" value="abc123" />'));
    expect(await siteToken(fetcher)()).toBe("abc123");
    const empty: SiteFetch = vi.fn(async () => new Response("<html>sign in</html>"));
    await expect(siteToken(empty)()).rejects.toBeInstanceOf(ApiError);
  });
});

describe("the panel for the person on the site", () => {
  beforeEach(() => document.body.replaceChildren());

  it("shows the person's capture as a QR code and a link for this device, and none of the agent's facts or actions", async () => {
    const root = document.createElement("div");
    document.body.append(root);
    const { api } = site([
      { status: 200, body: { value: [row()] } },
      { status: 204 },
      { status: 200, body: row({ okos_status: 715900000, okos_pendingjourney: 715900000, okos_captureurl: "https://acme.1kosmos.net/idv/s1" }) },
    ]);
    const controller = new PanelController(root, api, { audience: "person", contactId: () => contact, regarding: () => undefined, sendLink: vi.fn(), locale: "en-US", drawn: bootstrapLook }, strings, () => new Date("2026-12-07T13:00:00Z"), () => 0);

    await controller.refresh();

    const buttons = [...root.querySelectorAll("button")].map((node) => node.textContent);
    expect(buttons).toEqual(["Verify my identity"]);
    expect(root.querySelector("svg.okos-qr")).not.toBeNull();
    const link = [...root.querySelectorAll("a")].find((node) => node.textContent === "Continue on this device")!;
    expect(link.href).toBe("https://acme.1kosmos.net/idv/s1");
    expect(root.textContent).not.toContain("Send by email");
    expect(root.textContent).not.toContain("Last step-up");
    expect(root.querySelector(".okos-history")).toBeNull();
    expect(root.querySelector("button")!.classList.contains("btn")).toBe(true);
    expect(root.querySelector("[role=status]")!.classList.contains("badge")).toBe(true);
  });
});
