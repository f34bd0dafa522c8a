/** The custom APIs' public contract as the panel reads it (README: Custom APIs). Names never change once released. */

export type Status = "NotStarted" | "Pending" | "Verified" | "Failed" | "Expired";

export type Journey = "IdentityProofing" | "LiveIdStepUp" | "VerifiedIdIssuance" | "VerifiedIdFaceCheck";

export interface StatusResponse {
  ContactId: string;
  Status: Status;
  IalLevel: "" | "IAL1" | "IAL2";
  MatchConfidence: number | null;
  CredentialDid: string;
  VerifiedAt: string | null;
  LastStepUpAt: string | null;
  StepUpFresh: boolean;
  PendingJourney: "" | Journey;
  Summary: string;
  /** Microsoft Entra Verified ID is set up on the connection (older servers do not send these). */
  VerifiedIdAvailable?: boolean;
  VerifiedIdIssued?: boolean;
  FaceCheckReady?: boolean;
  /** What the contact's bound BlockID identity rests on; empty when none is bound (older servers do not send it). */
  BindingEvidence?: "" | BindingEvidence;
}

export type BindingEvidence = "DocumentMatch" | "ContactEmail" | "AdministratorRebind";

export interface IssueResponse {
  VerificationId: string;
  /** The Microsoft Authenticator deep link: a bearer link, empty for users whose field security hides it. */
  DeepLink: string;
  ExpiresAt: string | null;
  Reused: boolean;
  /** The PIN the person types, when the connection asks for one: shown once, never stored. */
  Pin: string;
}

export interface CancelResponse {
  /** False when the attempt had already ended: nothing was changed. */
  Cancelled: boolean;
  Status: Status;
}

export interface StartResponse {
  VerificationId: string;
  SessionId: string;
  Status: Status;
  CaptureUrl: string;
  ExpiresAt: string | null;
  Reused: boolean;
  AlreadyFresh?: boolean;
  Journey?: Journey;
}

/** One okos_verification row as the Web API returns it to this user (field security already applied). */
export interface AttemptRow {
  okos_verificationid: string;
  okos_journey: number;
  okos_status: number;
  createdon: string;
  okos_verifiedat?: string | null;
  okos_laststepupat?: string | null;
  okos_expiresat?: string | null;
  okos_failurereason?: string | null;
  okos_captureurl?: string | null;
  okos_matchconfidence?: number | null;
}

/** Option values of the solution's choices (publisher prefix 71590). */
export const statusOf: Record<number, Status> = { 715900000: "Pending", 715900001: "Verified", 715900002: "Failed", 715900003: "Expired" };

export const journeyOf: Record<number, Journey> = {
  715900000: "IdentityProofing",
  715900001: "LiveIdStepUp",
  715900002: "VerifiedIdIssuance",
  715900003: "VerifiedIdFaceCheck",
};

export const ialOf: Record<number, "IAL1" | "IAL2"> = { 715900000: "IAL1", 715900001: "IAL2" };

/** What the Power Pages site asks when it saves a contact's okos_selfservice row (okos_selfservicerequest). */
export type SelfServiceRequest = "Refresh" | "StartProofing" | "AddToAuthenticator";

export const selfServiceRequestOf: Record<number, SelfServiceRequest> = { 715900000: "Refresh", 715900001: "StartProofing", 715900002: "AddToAuthenticator" };

/** The option value a map above gives a name. */
export function valueOf<T extends string>(map: Record<number, T>, name: T): number {
  return Number(Object.keys(map).find((value) => map[Number(value)] === name));
}

export const attemptColumns = [
  "okos_verificationid", "okos_journey", "okos_status", "createdon", "okos_verifiedat", "okos_laststepupat",
  "okos_expiresat", "okos_failurereason", "okos_captureurl", "okos_matchconfidence",
];
