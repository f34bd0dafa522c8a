import { AttemptRow, StatusResponse, journeyOf, statusOf, Status } from "./contract";
import { StringKey, Strings, exact, percent, relative } from "./strings";

export type Tone = "neutral" | "informative" | "success" | "danger" | "warning";

export interface Action {
  enabled: boolean;
  /** Why it is disabled, shown next to the button and as its description. */
  reason?: string;
}

export interface When {
  relative: string;
  exact: string;
}

export interface HistoryItem {
  id: string;
  journey: string;
  status: string;
  tone: Tone;
  started: When;
  ended?: When;
  /** Why it failed, in words; the code it came with stays available as details. */
  reason?: { text: string; code?: string };
  /** Face Check's match, as a percentage. */
  score?: string;
  current: boolean;
}

/** An open Microsoft Entra Verified ID request: the deep link the panel shows as a QR code, and the PIN when there is one. */
export interface WalletOffer {
  link: string;
  journey: "VerifiedIdIssuance" | "VerifiedIdFaceCheck";
  pin?: string;
}

export interface PanelModel {
  /** Unavailable: the status could not be read and none was read before; nothing else is shown as fact. */
  status: Status | "Unavailable";
  /** When a refresh failed after an earlier read: the time of the state still shown. */
  stale?: When;
  badge: { text: string; tone: Tone };
  summary: string;
  level?: string;
  confidence?: string;
  did?: { short: string; full: string };
  /** How the contact's BlockID identity was bound, in words; undefined when none is bound. */
  binding?: string;
  verifiedAt?: When;
  lastStepUp?: When;
  /** Only while pending, and only when the platform returned the secured column to this user. */
  captureLink?: string;
  /** Cancelling the open capture or approval, when there is one (okos_CancelVerification). */
  cancel?: Action & { verificationId: string };
  /** When the open capture or approval link stops working (okos_expiresat). */
  linkExpires?: When;
  /** Send by email is offered: false only when the form knows the contact has no usable email address. */
  canEmail: boolean;
  /** Said when nothing was started because the contact cannot be reached. */
  unreachable?: string;
  start: Action;
  stepUp: Action;
  /** Only when Microsoft Entra Verified ID is set up. */
  issue?: Action & { confirm?: string };
  faceCheck?: Action;
  /** The person holds our Verified ID credential. */
  verifiedIdIssued: boolean;
  wallet?: WalletOffer;
  history: HistoryItem[];
  /** Whether to keep asking: something is still pending. */
  polling: boolean;
}

export interface Context {
  hasContact: boolean;
  /** False once an API answered that the user lacks the privilege. */
  mayStart: boolean;
  now: Date;
  locale: string;
  strings: Strings;
  /** The PIN of the issuance request this panel just made, kept in memory only while that request is open. */
  pin?: { verificationId: string; value: string };
  /** The status could not be read: never before (status undefined), or on the last refresh (the time shown is the last read). */
  unreadable?: { lastRead?: Date };
  /** How the contact can be reached, when the form can tell (a contact's own form); undefined otherwise. */
  reach?: { email: boolean; phone: boolean };
}

/** Known failure codes, in people's words (1Kosmos' IDV codes, Microsoft Entra's, ours); others keep their own message. */
const reasonWords: Record<string, StringKey> = {
  IDV0012: "reasonLiveness",
  IDV0006: "reasonDocument",
  EXPIRED: "reasonTimeout",
};

/** "CODE: message" becomes words with the code kept for details; text without a code stays as it is. */
export function reasonOf(raw: string, t: Strings): { text: string; code?: string } {
  const match = /^([A-Za-z][A-Za-z0-9_]*):\s*(.*)$/s.exec(raw.trim());
  if (!match) {
    return { text: raw };
  }
  const [, code, message] = match;
  const words = reasonWords[code];
  const text = words ? t(words) : message.length > 0 ? message[0].toUpperCase() + message.slice(1) : code;
  return { text, code: raw.trim() };
}

const tones: Record<Status, Tone> = { NotStarted: "neutral", Pending: "informative", Verified: "success", Failed: "danger", Expired: "warning" };

/** Everything the panel shows, decided from the API's answers alone: no DOM, no Xrm. */
export function buildModel(status: StatusResponse | undefined, attempts: AttemptRow[], context: Context): PanelModel {
  const { strings: t, now, locale } = context;
  const current = status?.Status ?? "NotStarted";
  const when = (iso: string | null | undefined): When | undefined => {
    if (!iso) {
      return undefined;
    }
    const at = new Date(iso);
    return { relative: relative(at, now, locale), exact: exact(at, locale) };
  };
  const isWallet = (row: AttemptRow) => journeyOf[row.okos_journey] === "VerifiedIdIssuance" || journeyOf[row.okos_journey] === "VerifiedIdFaceCheck";
  const pending = attempts.find((row) => statusOf[row.okos_status] === "Pending");
  const pendingCapture = attempts.find((row) => statusOf[row.okos_status] === "Pending" && !isWallet(row));
  const pendingWallet = attempts.find((row) => statusOf[row.okos_status] === "Pending" && isWallet(row));
  const did = status?.CredentialDid ?? "";
  const unavailable = context.unreadable !== undefined && status === undefined;
  const blocked = !context.hasContact ? t("disabledNoContact")
    : context.unreadable ? t("disabledUnavailable")
    : !context.mayStart ? t("disabledNoPermission") : undefined;
  // A contact verified below IAL2 can reach it only through a new document and selfie proofing: that start stays open.
  const start: Action = blocked ? { enabled: false, reason: blocked }
    : current === "Pending" || pendingCapture ? { enabled: false, reason: t("startDisabledPending") }
    : current === "Verified" && status?.IalLevel !== "IAL1" ? { enabled: false, reason: t("startDisabledVerified") }
    : { enabled: true };
  const stepUp: Action = blocked ? { enabled: false, reason: blocked }
    : current !== "Verified" ? { enabled: false, reason: t("stepUpDisabledNotVerified") }
    : pendingCapture || status?.PendingJourney === "LiveIdStepUp" || status?.PendingJourney === "IdentityProofing" ? { enabled: false, reason: t("stepUpDisabledPending") }
    : { enabled: true };
  const walletBusy = pendingWallet !== undefined;
  const issuancePending = walletBusy && journeyOf[pendingWallet.okos_journey] === "VerifiedIdIssuance";
  const issue: (Action & { confirm?: string }) | undefined = !status?.VerifiedIdAvailable ? undefined
    : blocked ? { enabled: false, reason: blocked }
    : current !== "Verified" || status.IalLevel !== "IAL2" ? { enabled: false, reason: t("issueDisabledNotIal2") }
    : issuancePending ? { enabled: false, reason: t("issueDisabledPending") }
    : status.VerifiedIdIssued ? { enabled: true, confirm: t("issueAgainQuestion") }
    : { enabled: true };
  const faceCheck: Action | undefined = !status?.VerifiedIdAvailable ? undefined
    : blocked ? { enabled: false, reason: blocked }
    : !status.VerifiedIdIssued ? { enabled: false, reason: t("faceCheckDisabledNotIssued") }
    : !status.FaceCheckReady ? { enabled: false, reason: t("faceCheckDisabledNoPhoto") }
    : walletBusy && journeyOf[pendingWallet.okos_journey] === "VerifiedIdFaceCheck" ? { enabled: false, reason: t("faceCheckDisabledPending") }
    : { enabled: true };
  const walletLink = pendingWallet?.okos_captureurl;
  if (unavailable) {
    return {
      status: "Unavailable",
      badge: { text: t("statusUnavailable"), tone: "warning" },
      summary: t("unavailableSummary"),
      start, stepUp, issue: undefined, faceCheck: undefined,
      verifiedIdIssued: false,
      canEmail: false,
      history: [],
      polling: false,
    };
  }
  return {
    status: current,
    stale: context.unreadable?.lastRead ? when(context.unreadable.lastRead.toISOString()) : undefined,
    badge: { text: t(`status${current}`), tone: tones[current] },
    summary: status?.Summary ?? "",
    level: status?.IalLevel || undefined,
    confidence: status?.MatchConfidence != null && current === "Verified" ? percent(status.MatchConfidence, locale) : undefined,
    did: did ? { short: did.length > 24 ? `${did.slice(0, 14)}…${did.slice(-6)}` : did, full: did } : undefined,
    binding: status?.BindingEvidence ? t(`binding${status.BindingEvidence}`) : undefined,
    verifiedAt: when(status?.VerifiedAt),
    lastStepUp: when(status?.LastStepUpAt),
    captureLink: pendingCapture?.okos_captureurl || undefined,
    linkExpires: when(pendingCapture?.okos_expiresat),
    cancel: pendingCapture ? { ...(blocked ? { enabled: false, reason: blocked } : { enabled: true }), verificationId: pendingCapture.okos_verificationid } : undefined,
    canEmail: context.reach?.email !== false,
    unreachable: current === "NotStarted" && context.reach && !context.reach.email && !context.reach.phone ? t("noWayToReach") : undefined,
    start,
    stepUp,
    issue,
    faceCheck,
    verifiedIdIssued: Boolean(status?.VerifiedIdIssued),
    wallet: pendingWallet && walletLink ? {
      link: walletLink,
      journey: journeyOf[pendingWallet.okos_journey] as WalletOffer["journey"],
      pin: context.pin && context.pin.verificationId === pendingWallet.okos_verificationid ? context.pin.value : undefined,
    } : undefined,
    history: attempts.map((row, index) => {
      const rowStatus = statusOf[row.okos_status] ?? "Pending";
      const journey = journeyOf[row.okos_journey] ?? "IdentityProofing";
      return {
        id: row.okos_verificationid,
        journey: t(`journey${journey}`),
        status: t(`status${rowStatus}`),
        tone: tones[rowStatus],
        started: when(row.createdon)!,
        ended: when(row.okos_verifiedat ?? row.okos_laststepupat),
        reason: row.okos_failurereason ? reasonOf(row.okos_failurereason, t) : undefined,
        score: journey === "VerifiedIdFaceCheck" && row.okos_matchconfidence != null ? `${percent(row.okos_matchconfidence, locale)} ${t("faceMatch")}` : undefined,
        current: index === 0,
      };
    }),
    polling: current === "Pending" || Boolean(status?.PendingJourney) || pending !== undefined,
  };
}
