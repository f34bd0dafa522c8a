import { beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, IdentityApi } from "../../src/api";
import { AttemptRow, StatusResponse } from "../../src/contract";
import { FormHost, PanelController } from "../../src/panel";
import { resourceStrings } from "../../src/strings";

const verified: StatusResponse = {
  ContactId: "c1", Status: "Verified", IalLevel: "IAL2", MatchConfidence: 0.97, CredentialDid: "did:blockid:jane", VerifiedAt: "2026-11-27T09:00:00Z",
  LastStepUpAt: null, StepUpFresh: false, PendingJourney: "", Summary: "Jane Doe is verified at IAL2.",
};
const notStarted: StatusResponse = { ...verified, Status: "NotStarted", IalLevel: "", MatchConfidence: null, CredentialDid: "", VerifiedAt: null, Summary: "Jane Doe has never been verified." };
const pendingRow: AttemptRow = { okos_verificationid: "v1", okos_journey: 715900000, okos_status: 715900000, createdon: "2026-11-27T11:59:00Z", okos_captureurl: "https://acme.1kosmos.net/idv/s1" };

function fakeApi(overrides: Partial<Record<keyof IdentityApi, unknown>> = {}): IdentityApi {
  return {
    status: vi.fn(async () => notStarted),
    attempts: vi.fn(async () => [] as AttemptRow[]),
    start: vi.fn(async () => ({})),
    stepUp: vi.fn(async () => ({})),
    issueVerifiedId: vi.fn(async () => ({})),
    ...overrides,
  } as unknown as IdentityApi;
}

const host: FormHost = { contactId: () => "c1", regarding: () => undefined, sendLink: vi.fn(), locale: "en-US" };

function panel(api: IdentityApi, formHost: FormHost = host) {
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const controller = new PanelController(root, api, formHost, resourceStrings(), () => new Date("2026-11-27T12:00:00Z"), () => 0);
  const button = (text: string) => [...root.querySelectorAll("button")].find((node) => node.textContent === text) as HTMLButtonElement | undefined;
  return { root, controller, button };
}

describe("the panel", () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it("renders a verified contact with an accessible status and the start button disabled with its reason", async () => {
    const { root, controller, button } = panel(fakeApi({ status: vi.fn(async () => verified) }));

    await controller.refresh();

    const badge = root.querySelector("[role=status]")!;
    expect(badge.textContent).toBe("Verified");
    expect(badge.getAttribute("aria-live")).toBe("polite");
    expect(root.textContent).toContain("IAL2");
    expect(root.textContent).toContain("97%");
    const start = button("Start verification")!;
    expect(start.disabled).toBe(true);
    expect(document.getElementById(start.getAttribute("aria-describedby")!)!.textContent).toBe("The contact is already verified.");
    expect(button("Request step-up")!.disabled).toBe(false);
  });

  it("shows the capture link's copy and send buttons only when the platform returned the link", async () => {
    const pending = { ...notStarted, Status: "Pending" as const };
    const allowed = panel(fakeApi({ status: vi.fn(async () => pending), attempts: vi.fn(async () => [pendingRow]) }));
    await allowed.controller.refresh();
    const masked = panel(fakeApi({ status: vi.fn(async () => pending), attempts: vi.fn(async () => [{ ...pendingRow, okos_captureurl: null }]) }));
    await masked.controller.refresh();

    expect(allowed.button("Send by email")).toBeDefined();
    expect(masked.button("Send by email")).toBeUndefined();
    expect(masked.root.textContent).not.toContain("1kosmos.net");
    expect(masked.root.innerHTML).not.toContain("1kosmos.net");
  });

  it("sends the link through the form's email, never by itself", async () => {
    const sendLink = vi.fn();
    const { controller, button } = panel(fakeApi({ status: vi.fn(async () => ({ ...notStarted, Status: "Pending" as const })), attempts: vi.fn(async () => [pendingRow]) }), { ...host, sendLink });
    await controller.refresh();

    button("Send by email")!.click();

    expect(sendLink).toHaveBeenCalledWith("https://acme.1kosmos.net/idv/s1");
  });

  it("starts a verification, then shows the new state and polls while it is pending", async () => {
    let started = false;
    const api = fakeApi({
      status: vi.fn(async () => (started ? { ...notStarted, Status: "Pending" as const } : notStarted)),
      attempts: vi.fn(async () => (started ? [pendingRow] : [])),
      start: vi.fn(async () => {
        started = true;
        return {};
      }),
    });
    const { root, controller, button } = panel(api);
    await controller.open();

    button("Start verification")!.click();
    await vi.waitFor(() => expect(root.querySelector("[role=status]")!.textContent).toBe("Pending"));

    expect(api.start).toHaveBeenCalledWith("c1", undefined);
    expect(controller.polling).toBe(true);
    controller.close();
    expect(controller.polling).toBe(false);
  });

  it("shows the API's message in an alert with a retry, and disables actions after a privilege error", async () => {
    const api = fakeApi({ start: vi.fn(async () => { throw new ApiError("Principal user is missing prvCreateokos_verification privilege.", true); }) });
    const { root, controller, button } = panel(api);
    await controller.refresh();

    button("Start verification")!.click();
    await vi.waitFor(() => expect(root.querySelector("[role=alert]")).not.toBeNull());

    expect(root.querySelector("[role=alert]")!.textContent).toContain("Principal user is missing prvCreateokos_verification privilege.");
    expect(button("Try again")).toBeDefined();
    expect(button("Start verification")!.disabled).toBe(true);
    expect(root.textContent).toContain("ask for the Verification Agent role");
  });

  it("says there is nothing to verify on a record without a contact, and calls nothing", async () => {
    const api = fakeApi();
    const { root, controller, button } = panel(api, { ...host, contactId: () => undefined });

    await controller.refresh();

    expect(api.status).not.toHaveBeenCalled();
    expect(button("Start verification")!.disabled).toBe(true);
    expect(root.textContent).toContain("This record has no contact to verify.");
  });

  it("renders text from the API as text, never as markup", async () => {
    const hostile = { ...verified, Summary: "<img src=x onerror=alert(1)>" };
    const { root, controller } = panel(fakeApi({ status: vi.fn(async () => hostile) }));

    await controller.refresh();

    expect(root.querySelector("img")).toBeNull();
    expect(root.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("keeps keyboard focus on the same button across refreshes", async () => {
    const { root, controller, button } = panel(fakeApi({ status: vi.fn(async () => verified) }));
    await controller.refresh();
    button("Request step-up")!.focus();

    await controller.refresh();

    expect((document.activeElement as HTMLElement).textContent).toBe("Request step-up");
    expect(root.contains(document.activeElement)).toBe(true);
  });

  it("issues to Microsoft Authenticator, then shows the QR code, the link and the PIN once", async () => {
    let issued = false;
    const offer: AttemptRow = { okos_verificationid: "v7", okos_journey: 715900002, okos_status: 715900000, createdon: "2026-11-27T11:59:00Z", okos_captureurl: "openid-vc://?request_uri=https://x/r7" };
    const api = fakeApi({
      status: vi.fn(async () => ({ ...verified, VerifiedIdAvailable: true })),
      attempts: vi.fn(async () => (issued ? [offer] : [])),
      issueVerifiedId: vi.fn(async () => {
        issued = true;
        return { VerificationId: "v7", DeepLink: offer.okos_captureurl, ExpiresAt: null, Reused: false, Pin: "4821" };
      }),
    });
    const { root, controller, button } = panel(api);
    await controller.open();

    button("Issue to Microsoft Authenticator")!.click();
    await vi.waitFor(() => expect(root.querySelector("svg.okos-qr")).not.toBeNull());

    expect(api.issueVerifiedId).toHaveBeenCalledWith("c1");
    expect(root.querySelector("svg.okos-qr path")!.getAttribute("d")).toMatch(/^M4 4/);
    expect(root.querySelector<HTMLAnchorElement>(".okos-wallet a")!.href).toBe("openid-vc://?request_uri=https://x/r7");
    expect(root.querySelector(".okos-pin-value")!.textContent).toBe("4821");
    expect(button("Step up with Face Check")!.disabled).toBe(true);
    controller.close();
  });

  it("asks for a Face Check step-up when the credential carries a photo", async () => {
    const api = fakeApi({ status: vi.fn(async () => ({ ...verified, VerifiedIdAvailable: true, VerifiedIdIssued: true, FaceCheckReady: true })) });
    const { controller, button } = panel(api);
    await controller.open();

    button("Step up with Face Check")!.click();

    await vi.waitFor(() => expect(api.stepUp).toHaveBeenCalledWith("c1", "Requested from the form", undefined, "VerifiedIdFaceCheck"));
    controller.close();
  });

  it("never links a deep link that is not a wallet or web address", async () => {
    const api = fakeApi({
      status: vi.fn(async () => ({ ...verified, VerifiedIdAvailable: true })),
      attempts: vi.fn(async () => [{ okos_verificationid: "v8", okos_journey: 715900002, okos_status: 715900000, createdon: "2026-11-27T11:59:00Z", okos_captureurl: "javascript:alert(1)" }]),
    });
    const { root, controller } = panel(api);
    await controller.open();

    expect(root.querySelector("svg.okos-qr")).not.toBeNull();
    expect(root.querySelector(".okos-wallet a")).toBeNull();
    controller.close();
  });
});

/** Issue #22, findings 1–4: the panel tells the truth and every action answers. */
describe("the panel tells the truth", () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it("names 1Kosmos' share of passed checks as checks passed, never as a face match", async () => {
    const { root, controller } = panel(fakeApi({ status: vi.fn(async () => verified) }));

    await controller.refresh();

    expect(root.textContent).toContain("Checks passed97%");
    expect(root.textContent).not.toMatch(/face match/i);
  });

  it("when the status cannot be read at first, shows no state as fact, disables every action and says what to do", async () => {
    const { root, controller, button } = panel(fakeApi({ status: vi.fn(async () => { throw new ApiError("Failed to fetch", false); }) }));

    await controller.refresh();

    expect(root.querySelector("[role=status]")!.textContent).toBe("Could not load");
    expect(root.textContent).not.toContain("Not started");
    expect(root.textContent).not.toContain("No verification yet");
    expect(root.textContent).not.toContain("Never");
    expect(root.querySelector("[role=alert]")!.textContent).toContain("Dataverse could not be reached");
    expect(root.querySelector("[role=alert]")!.textContent).not.toContain("Failed to fetch");
    expect(button("Start verification")!.disabled).toBe(true);
    expect(button("Request step-up")!.disabled).toBe(true);
    expect(button("Try again")!.disabled).toBe(false);
  });

  it("when a refresh fails after a read, keeps the last state with its time and disables the actions", async () => {
    let calls = 0;
    const { root, controller, button } = panel(fakeApi({
      status: vi.fn(async () => {
        if (++calls > 1) {
          throw new ApiError("The service is unavailable (500).", false);
        }
        return verified;
      }),
    }));
    await controller.refresh();

    const pending = await controller.refresh();

    expect(pending).toBe(true);
    expect(root.querySelector("[role=status]")!.textContent).toBe("Verified");
    expect(root.querySelector(".okos-stale")!.textContent).toMatch(/^Could not refresh: this is the state read/);
    expect(button("Request step-up")!.disabled).toBe(true);
    expect(root.textContent).toContain("Unavailable until the status can be read again.");
  });

  it("offers a new proofing to a contact verified at IAL1, the one way to reach IAL2", async () => {
    const { controller, button } = panel(fakeApi({ status: vi.fn(async () => ({ ...verified, IalLevel: "IAL1" as const })) }));

    await controller.refresh();

    expect(button("Start verification")!.disabled).toBe(false);
  });

  it("says so when a step-up is not needed because the last one is still fresh", async () => {
    const api = fakeApi({ status: vi.fn(async () => verified), stepUp: vi.fn(async () => ({ AlreadyFresh: true, Reused: false })) });
    const { root, controller, button } = panel(api);
    await controller.refresh();

    button("Request step-up")!.click();

    await vi.waitFor(() => expect(root.querySelector(".okos-notice")?.textContent).toBe("No step-up needed: the last one is still within the policy's time."));
  });

  it("says a start reused the verification in progress instead of staying silent", async () => {
    const api = fakeApi({ start: vi.fn(async () => ({ Reused: true })) });
    const { root, controller, button } = panel(api);
    await controller.refresh();

    button("Start verification")!.click();

    await vi.waitFor(() => expect(root.querySelector(".okos-notice")?.textContent).toBe("A verification was already in progress: it is reused, no new session was opened."));
  });

  it("drops an action's notice once what it opened is taken up, though the status stays the same", async () => {
    const walletRow: AttemptRow = { okos_verificationid: "w1", okos_journey: 715900002, okos_status: 715900000, createdon: "2026-11-27T11:59:00Z", okos_captureurl: "openid-vc://?request_uri=x" };
    const issued = { ...verified, VerifiedIdAvailable: true };
    const attempts = vi.fn(async () => [] as AttemptRow[]);
    const api = fakeApi({ status: vi.fn(async () => issued), attempts, issueVerifiedId: vi.fn(async () => ({ Reused: false, Pin: "" })) });
    const { root, controller, button } = panel(api);
    await controller.refresh();
    attempts.mockResolvedValue([walletRow]);

    button("Issue to Microsoft Authenticator")!.click();
    await vi.waitFor(() => expect(root.querySelector(".okos-notice")?.textContent).toBe("Credential offered: the contact scans the code with Microsoft Authenticator."));
    await controller.refresh();
    expect(root.querySelector(".okos-notice")).not.toBeNull();
    attempts.mockResolvedValue([{ ...walletRow, okos_status: 715900001 }]);
    await controller.refresh();

    expect(root.querySelector(".okos-notice")).toBeNull();
  });

  it("disables Request step-up while a step-up capture is open", async () => {
    const { controller, button } = panel(fakeApi({ status: vi.fn(async () => ({ ...verified, PendingJourney: "IdentityProofing" as const })), attempts: vi.fn(async () => [pendingRow]) }));

    await controller.refresh();

    expect(button("Request step-up")!.disabled).toBe(true);
  });

  it("asks before issuing a credential the contact already holds, and issues nothing on Cancel", async () => {
    const issued = { ...verified, VerifiedIdAvailable: true, VerifiedIdIssued: true, FaceCheckReady: true };
    const api = fakeApi({ status: vi.fn(async () => issued), issueVerifiedId: vi.fn(async () => ({ VerificationId: "v9", DeepLink: "", ExpiresAt: null, Reused: false, Pin: "" })) });
    const { root, controller, button } = panel(api);
    await controller.refresh();

    button("Issue to Microsoft Authenticator")!.click();
    expect(root.querySelector(".okos-confirm")!.textContent).toContain("The contact already holds this credential. Issue it again?");
    button("Cancel")!.click();
    expect(root.querySelector(".okos-confirm")).toBeNull();
    expect(api.issueVerifiedId).not.toHaveBeenCalled();

    button("Issue to Microsoft Authenticator")!.click();
    button("Issue again")!.click();
    await vi.waitFor(() => expect(api.issueVerifiedId).toHaveBeenCalledTimes(1));
  });

  it("disables Issue while an offer waits for the contact", async () => {
    const offer: AttemptRow = { ...pendingRow, okos_verificationid: "v8", okos_journey: 715900002, okos_captureurl: "openid-vc://?request_uri=https://x" };
    const { controller, button } = panel(fakeApi({ status: vi.fn(async () => ({ ...verified, VerifiedIdAvailable: true })), attempts: vi.fn(async () => [offer]) }));

    await controller.refresh();

    expect(button("Issue to Microsoft Authenticator")!.disabled).toBe(true);
  });
});

/** Issue #22, finding 5: nothing stale on the form. */
describe("the panel keeps the form current", () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it("tells the form each time its state changes, so the form's notification follows it", async () => {
    let status: StatusResponse = { ...notStarted, Status: "Pending" };
    const changes: string[] = [];
    const { controller } = panel(fakeApi({ status: vi.fn(async () => status), attempts: vi.fn(async () => [pendingRow]) }), { ...host, statusChanged: (shown) => changes.push(shown) });

    await controller.refresh();
    await controller.refresh();
    status = verified;
    await controller.refresh();

    expect(changes).toEqual(["Pending", "Verified"]);
  });

  it("shows when the open capture link stops working", async () => {
    const { root, controller } = panel(fakeApi({ status: vi.fn(async () => ({ ...notStarted, Status: "Pending" as const })), attempts: vi.fn(async () => [{ ...pendingRow, okos_expiresat: "2026-11-27T12:52:00Z" }]) }));

    await controller.refresh();

    expect(root.textContent).toContain("Link expiresin 52 minutes");
  });
});

/** Issue #22, finding 6: people's words, and no way offered that cannot work. */
describe("the panel's words", () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it("says a failure in words and keeps its code in the details", async () => {
    const failed: AttemptRow = { ...pendingRow, okos_status: 715900002, okos_captureurl: null, okos_failurereason: "IDV0012: Selfie liveness check failed" };
    const { root, controller } = panel(fakeApi({ status: vi.fn(async () => ({ ...notStarted, Status: "Failed" as const })), attempts: vi.fn(async () => [failed]) }));

    await controller.refresh();

    expect(root.querySelector(".okos-reason")!.textContent).toBe("The selfie did not pass the liveness check: ask the person to try again in good light, without glasses or a mask.");
    expect(root.querySelector(".okos-reason-details code")!.textContent).toBe("IDV0012: Selfie liveness check failed");
  });

  it("keeps a message it has no words for, without its code in front", async () => {
    const failed: AttemptRow = { ...pendingRow, okos_status: 715900002, okos_failurereason: "NO_BINDING_EVIDENCE: 1Kosmos holds no proof tying this BlockID user to the contact." };
    const { root, controller } = panel(fakeApi({ status: vi.fn(async () => ({ ...notStarted, Status: "Failed" as const })), attempts: vi.fn(async () => [failed]) }));

    await controller.refresh();

    expect(root.querySelector(".okos-reason")!.textContent).toBe("1Kosmos holds no proof tying this BlockID user to the contact.");
  });

  it("offers Send by email only when the contact has a usable address, and says when nobody can be reached", async () => {
    const pending = { ...notStarted, Status: "Pending" as const };
    const noEmail = panel(fakeApi({ status: vi.fn(async () => pending), attempts: vi.fn(async () => [pendingRow]) }), { ...host, reach: () => ({ email: false, phone: true }) });
    await noEmail.controller.refresh();
    const nobody = panel(fakeApi(), { ...host, reach: () => ({ email: false, phone: false }) });
    await nobody.controller.refresh();

    expect(noEmail.button("Send by email")).toBeUndefined();
    expect(noEmail.button("Copy")).toBeDefined();
    expect(nobody.root.textContent).toContain("This contact has no usable email address and no mobile phone, so no verification was started for them");
  });
});

/** Issue #22, finding 7: accessible to everyone. */
describe("the panel's accessibility", () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it("keeps one live region across polls, updated in place, and is not busy once drawn", async () => {
    const { root, controller } = panel(fakeApi({ status: vi.fn(async () => verified) }));
    root.setAttribute("aria-busy", "true");

    await controller.refresh();
    const live = root.querySelector("[role=status]");
    await controller.refresh();

    expect(root.querySelector("[role=status]")).toBe(live);
    expect(root.getAttribute("aria-busy")).toBe("false");
  });

  it("names each Copy button for what it copies, and says Copied once it did", async () => {
    Object.defineProperty(navigator, "clipboard", { value: { writeText: vi.fn(async () => undefined) }, configurable: true });
    const { root, controller } = panel(fakeApi({ status: vi.fn(async () => ({ ...verified, Status: "Pending" as const })), attempts: vi.fn(async () => [pendingRow]) }));
    await controller.refresh();
    const names = () => [...root.querySelectorAll("button")].map((node) => node.getAttribute("aria-label")).filter((name) => name);

    expect(names()).toEqual(["Copy credential DID", "Copy capture link"]);
    (root.querySelector("[data-focus-key=copy-link]") as HTMLButtonElement).click();

    await vi.waitFor(() => expect((root.querySelector("[data-focus-key=copy-link]") as HTMLButtonElement).textContent).toBe("Copied"));
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith("https://acme.1kosmos.net/idv/s1");
    expect(names()).toEqual(["Copy credential DID", "Copied: capture link"]);
  });

  it("folds earlier attempts away, keeping the current one in view", async () => {
    const older: AttemptRow = { ...pendingRow, okos_verificationid: "v0", okos_status: 715900003, createdon: "2026-11-20T10:00:00Z", okos_captureurl: null };
    const { root, controller } = panel(fakeApi({ status: vi.fn(async () => ({ ...verified, Status: "Pending" as const })), attempts: vi.fn(async () => [pendingRow, older]) }));

    await controller.refresh();

    const earlier = root.querySelector("details.okos-earlier") as HTMLDetailsElement;
    expect(earlier.open).toBe(false);
    expect(earlier.querySelector("summary")!.textContent).toBe("Earlier attempts (1)");
    expect(root.querySelector(".okos-current")!.closest("details")).toBeNull();
  });
});

describe("cancelling an open verification", () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it("asks first, keeps it on Keep it, and cancels the open attempt on confirmation, saying so", async () => {
    const cancel = vi.fn(async () => ({ Cancelled: true, Status: "Failed" }));
    const api = fakeApi({ status: vi.fn(async () => ({ ...notStarted, Status: "Pending" as const })), attempts: vi.fn(async () => [pendingRow]) });
    (api as unknown as { cancel: typeof cancel }).cancel = cancel;
    const { root, controller, button } = panel(api);
    await controller.refresh();

    button("Cancel verification")!.click();
    expect(root.querySelector(".okos-confirm")!.textContent).toContain("Cancel this verification?");
    button("Keep it")!.click();
    expect(cancel).not.toHaveBeenCalled();
    button("Cancel verification")!.click();
    [...root.querySelectorAll(".okos-confirm button")].find((node) => node.textContent === "Cancel verification")!.dispatchEvent(new MouseEvent("click"));

    await vi.waitFor(() => expect(cancel).toHaveBeenCalledWith("c1", "v1", "Cancelled from the form"));
    await vi.waitFor(() => expect(root.querySelector(".okos-notice")?.textContent).toBe("Cancelled: start a new verification when the contact is ready."));
  });

  it("offers no cancel when nothing is open", async () => {
    const { controller, button } = panel(fakeApi({ status: vi.fn(async () => verified) }));

    await controller.refresh();

    expect(button("Cancel verification")).toBeUndefined();
  });
});
