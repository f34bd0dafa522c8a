import { describe, expect, it } from "vitest";
import { AttemptRow, StatusResponse } from "../../src/contract";
import { buildModel, Context } from "../../src/model";
import { resourceStrings } from "../../src/strings";

const now = new Date("2026-11-27T12:00:00Z");
const context: Context = { hasContact: true, mayStart: true, now, locale: "en-US", strings: resourceStrings() };

function status(overrides: Partial<StatusResponse> = {}): StatusResponse {
  return {
    ContactId: "c1", Status: "NotStarted", IalLevel: "", MatchConfidence: null, CredentialDid: "", VerifiedAt: null,
    LastStepUpAt: null, StepUpFresh: false, PendingJourney: "", Summary: "", ...overrides,
  };
}

function attempt(overrides: Partial<AttemptRow> = {}): AttemptRow {
  return { okos_verificationid: "v1", okos_journey: 715900000, okos_status: 715900000, createdon: "2026-11-27T11:57:00Z", ...overrides };
}

describe("buildModel", () => {
  it("offers to start when nothing was ever started, and no step-up yet", () => {
    const model = buildModel(status(), [], context);

    expect(model.badge).toEqual({ text: "Not started", tone: "neutral" });
    expect(model.start).toEqual({ enabled: true });
    expect(model.stepUp).toEqual({ enabled: false, reason: "Verify the contact's identity first." });
    expect(model.polling).toBe(false);
    expect(model.history).toEqual([]);
  });

  it("says how the contact's BlockID identity was bound, and nothing when none is", () => {
    const byDocument = buildModel(status({ Status: "Verified", BindingEvidence: "DocumentMatch" }), [], context);
    const byEmail = buildModel(status({ Status: "Verified", BindingEvidence: "ContactEmail" }), [], context);
    const byAdministrator = buildModel(status({ Status: "Verified", BindingEvidence: "AdministratorRebind" }), [], context);
    const unbound = buildModel(status({ Status: "Verified", BindingEvidence: "" }), [], context);
    const olderServer = buildModel(status({ Status: "Verified" }), [], context);

    expect(byDocument.binding).toBe("On 1Kosmos document evidence");
    expect(byEmail.binding).toBe("Via the contact's own email");
    expect(byAdministrator.binding).toBe("By a Verification Administrator");
    expect(unbound.binding).toBeUndefined();
    expect(olderServer.binding).toBeUndefined();
  });

  it("shows a verified contact's level, confidence, shortened DID and times in the user's locale", () => {
    const did = "did:ethr:0x6a6f686e646f65313233343536373839";
    const model = buildModel(status({ Status: "Verified", IalLevel: "IAL2", MatchConfidence: 0.97, CredentialDid: did, VerifiedAt: "2026-11-27T09:00:00Z" }), [], context);

    expect(model.level).toBe("IAL2");
    expect(model.confidence).toBe("97%");
    expect(model.did).toEqual({ short: "did:ethr:0x6a6…373839", full: did });
    expect(model.verifiedAt?.relative).toBe("3 hours ago");
    expect(model.start).toEqual({ enabled: false, reason: "The contact is already verified." });
    expect(model.stepUp).toEqual({ enabled: true });
  });

  it("formats numbers and times for the user's locale", () => {
    const model = buildModel(status({ Status: "Verified", IalLevel: "IAL2", MatchConfidence: 0.5, VerifiedAt: "2026-11-27T11:58:00Z" }), [], { ...context, locale: "de-DE" });

    expect(model.confidence).toBe("50\u00a0%");
    expect(model.verifiedAt?.relative).toBe("vor 2 Minuten");
  });

  it("polls and offers the capture link only while pending, and only when the platform returned it", () => {
    const withLink = buildModel(status({ Status: "Pending" }), [attempt({ okos_captureurl: "https://acme.1kosmos.net/idv/abc" })], context);
    const masked = buildModel(status({ Status: "Pending" }), [attempt({ okos_captureurl: null })], context);
    const finished = buildModel(status({ Status: "Verified", IalLevel: "IAL2" }), [attempt({ okos_status: 715900001, okos_captureurl: "https://x" })], context);

    expect(withLink.captureLink).toBe("https://acme.1kosmos.net/idv/abc");
    expect(withLink.polling).toBe(true);
    expect(withLink.start).toEqual({ enabled: false, reason: "A verification is already in progress." });
    expect(masked.captureLink).toBeUndefined();
    expect(finished.captureLink).toBeUndefined();
    expect(finished.polling).toBe(false);
  });

  it("keeps polling while a step-up is pending on a verified contact, and blocks a second one", () => {
    const model = buildModel(status({ Status: "Verified", IalLevel: "IAL2", PendingJourney: "LiveIdStepUp" }), [], context);

    expect(model.polling).toBe(true);
    expect(model.stepUp).toEqual({ enabled: false, reason: "A step-up is already in progress." });
  });

  it("lists every attempt newest first with journey, status, reason, and the current one marked", () => {
    const model = buildModel(status({ Status: "Failed" }), [
      attempt({ okos_verificationid: "v2", okos_status: 715900002, okos_failurereason: "IDV0006: unsupported document" }),
      attempt({ okos_verificationid: "v1", okos_journey: 715900001, okos_status: 715900003, createdon: "2026-11-20T10:00:00Z" }),
    ], context);

    expect(model.history.map((item) => [item.id, item.journey, item.status, item.current, item.reason])).toEqual([
      ["v2", "Document and selfie", "Failed", true, { text: "The document is not one 1Kosmos accepts: ask for a passport, a driving licence or a national ID card.", code: "IDV0006: unsupported document" }],
      ["v1", "LiveID step-up", "Expired", false, undefined],
    ]);
  });

  it("disables both actions with the reason when there is no contact or no permission", () => {
    expect(buildModel(undefined, [], { ...context, hasContact: false }).start).toEqual({ enabled: false, reason: "This record has no contact to verify." });
    const denied = buildModel(status(), [], { ...context, mayStart: false });
    expect(denied.start.reason).toBe("You don't have permission: ask for the Verification Agent role.");
    expect(denied.stepUp.enabled).toBe(false);
  });

  it("uses the platform's strings when it has them", () => {
    const french = resourceStrings((key) => (key === "statusPending" ? "En attente" : undefined));

    expect(buildModel(status({ Status: "Pending" }), [], { ...context, strings: french }).badge.text).toBe("En attente");
  });

  describe("with Microsoft Entra Verified ID", () => {
    const verifiedId = { VerifiedIdAvailable: true, VerifiedIdIssued: false, FaceCheckReady: false };

    it("offers neither Verified ID action when it is not set up", () => {
      const model = buildModel(status({ Status: "Verified", IalLevel: "IAL2" }), [], context);

      expect(model.issue).toBeUndefined();
      expect(model.faceCheck).toBeUndefined();
    });

    it("offers the issuance after IAL2 only, and Face Check only with a photo credential", () => {
      const ial1 = buildModel(status({ Status: "Verified", IalLevel: "IAL1", ...verifiedId }), [], context);
      const ial2 = buildModel(status({ Status: "Verified", IalLevel: "IAL2", ...verifiedId }), [], context);
      const noPhoto = buildModel(status({ Status: "Verified", IalLevel: "IAL2", ...verifiedId, VerifiedIdIssued: true }), [], context);
      const ready = buildModel(status({ Status: "Verified", IalLevel: "IAL2", ...verifiedId, VerifiedIdIssued: true, FaceCheckReady: true }), [], context);

      expect(ial1.issue).toEqual({ enabled: false, reason: "Needs a Verified IAL2 identity first." });
      expect(ial2.issue).toEqual({ enabled: true });
      expect(ial2.faceCheck).toEqual({ enabled: false, reason: "Issue the Verified ID credential first." });
      expect(noPhoto.faceCheck).toEqual({ enabled: false, reason: "Face Check is unavailable: the credential carries no photo." });
      expect(ready.faceCheck).toEqual({ enabled: true });
      expect(ready.verifiedIdIssued).toBe(true);
    });

    it("shows an open request's deep link as a wallet offer, not as a capture link, with this panel's PIN", () => {
      const row = attempt({ okos_verificationid: "v9", okos_journey: 715900002, okos_captureurl: "openid-vc://?request_uri=https://x/r1" });

      const model = buildModel(status({ Status: "Verified", IalLevel: "IAL2", ...verifiedId }), [row], { ...context, pin: { verificationId: "v9", value: "4821" } });
      const otherPin = buildModel(status({ Status: "Verified", IalLevel: "IAL2", ...verifiedId }), [row], { ...context, pin: { verificationId: "v1", value: "4821" } });

      expect(model.wallet).toEqual({ link: "openid-vc://?request_uri=https://x/r1", journey: "VerifiedIdIssuance", pin: "4821" });
      expect(model.captureLink).toBeUndefined();
      expect(model.polling).toBe(true);
      expect(otherPin.wallet?.pin).toBeUndefined();
    });

    it("shows a Face Check's score as a percentage on its attempt, and blocks a second Face Check while one is open", () => {
      const model = buildModel(status({ Status: "Verified", IalLevel: "IAL2", ...verifiedId, VerifiedIdIssued: true, FaceCheckReady: true }), [
        attempt({ okos_verificationid: "v3", okos_journey: 715900003, okos_status: 715900000, okos_captureurl: "openid-vc://?request_uri=https://x/r3" }),
        attempt({ okos_verificationid: "v2", okos_journey: 715900003, okos_status: 715900001, okos_matchconfidence: 0.87 }),
      ], context);

      expect(model.history[1].score).toBe("87% face match");
      expect(model.faceCheck).toEqual({ enabled: false, reason: "A Face Check is already in progress." });
      expect(model.wallet?.journey).toBe("VerifiedIdFaceCheck");
    });
  });
});
