/**
 * The panel's text. English ships in the solution as the RESX web resource okos_/idv/strings.1033.resx, generated from
 * this table by the build so the two never differ; other languages are more .resx files with the same keys.
 */
export const english = {
  title: "Identity verification",
  statusNotStarted: "Not started",
  statusPending: "Pending",
  statusVerified: "Verified",
  statusFailed: "Failed",
  statusExpired: "Expired",
  level: "Assurance level",
  confidence: "Checks passed",
  credential: "Credential DID",
  binding: "Identity bound",
  bindingDocumentMatch: "On 1Kosmos document evidence",
  bindingContactEmail: "Via the contact's own email",
  bindingAdministratorRebind: "By a Verification Administrator",
  copy: "Copy",
  copied: "Copied",
  copyDid: "Copy credential DID",
  copyLink: "Copy capture link",
  copyRefused: "The browser did not allow copying: select the text and copy it yourself.",
  earlierAttempts: "Earlier attempts",
  verifiedAt: "Verified",
  lastStepUp: "Last step-up",
  never: "Never",
  captureLink: "Capture link",
  linkExpires: "Link expires",
  sendByEmail: "Send by email",
  start: "Start verification",
  stepUp: "Request step-up",
  startDisabledPending: "A verification is already in progress.",
  startDisabledVerified: "The contact is already verified.",
  statusUnavailable: "Could not load",
  unavailableSummary: "The identity status could not be read, so nothing is shown rather than something wrong. Check the connection, then select Try again.",
  staleNotice: "Could not refresh: this is the state read",
  disabledUnavailable: "Unavailable until the status can be read again.",
  networkError: "Dataverse could not be reached (the network or the service is down).",
  noticeStarted: "Verification started: send the capture link to the contact.",
  noticeReused: "A verification was already in progress: it is reused, no new session was opened.",
  noticeStepUpStarted: "Step-up requested: the contact gets the request to approve.",
  noticeAlreadyFresh: "No step-up needed: the last one is still within the policy's time.",
  noticeIssued: "Credential offered: the contact scans the code with Microsoft Authenticator.",
  noticeIssueReused: "The offer already open is shown again: no new one was made.",
  issueDisabledPending: "An offer is waiting for the contact to scan it.",
  issueAgainQuestion: "The contact already holds this credential. Issue it again?",
  issueAgain: "Issue again",
  cancel: "Cancel",
  cancelVerification: "Cancel verification",
  cancelQuestion: "Cancel this verification? Its link stops counting, and a result for it is never used. Start a new one when ready.",
  keepIt: "Keep it",
  cancelReason: "Cancelled from the form",
  noticeCancelled: "Cancelled: start a new verification when the contact is ready.",
  noticeNothingToCancel: "It had already ended: nothing was cancelled.",
  details: "Details",
  reasonLiveness: "The selfie did not pass the liveness check: ask the person to try again in good light, without glasses or a mask.",
  reasonDocument: "The document is not one 1Kosmos accepts: ask for a passport, a driving licence or a national ID card.",
  reasonTimeout: "The person did not finish in time.",
  noWayToReach: "This contact has no usable email address and no mobile phone, so no verification was started for them: add one, or start one here and give the person the link yourself.",
  emailSubject: "Please verify your identity",
  emailIntro: "To finish, please verify your identity: open the link below on your phone, then scan your ID document and take a selfie. It takes about two minutes.",
  stepUpDisabledNotVerified: "Verify the contact's identity first.",
  stepUpDisabledPending: "A step-up is already in progress.",
  disabledNoContact: "This record has no contact to verify.",
  disabledNoPermission: "You don't have permission: ask for the Verification Agent role.",
  stepUpReason: "Requested from the form",
  history: "Attempts",
  current: "current",
  journeyIdentityProofing: "Document and selfie",
  journeyLiveIdStepUp: "LiveID step-up",
  journeyVerifiedIdIssuance: "Verified ID credential",
  journeyVerifiedIdFaceCheck: "Face Check",
  noAttempts: "No verification yet.",
  errorPrefix: "Something went wrong:",
  retry: "Try again",
  notVerifiedNotice: "This contact's identity is not verified.",
  pendingNotice: "An identity verification is in progress.",
  issueVerifiedId: "Issue to Microsoft Authenticator",
  issueDisabledNotIal2: "Needs a Verified IAL2 identity first.",
  faceCheck: "Step up with Face Check",
  faceCheckDisabledNotIssued: "Issue the Verified ID credential first.",
  faceCheckDisabledNoPhoto: "Face Check is unavailable: the credential carries no photo.",
  faceCheckDisabledPending: "A Face Check is already in progress.",
  walletIssuance: "Scan with Microsoft Authenticator to add the verified identity",
  walletFaceCheck: "Scan with Microsoft Authenticator to step up with Face Check",
  walletLink: "Open on this phone",
  walletPin: "PIN to tell the person",
  verifiedIdIssued: "Verified ID",
  inAuthenticator: "In Microsoft Authenticator",
  faceMatch: "face match",
  captureQr: "Scan with the person's phone camera to open the capture there",
  captureOnThisDevice: "Open on this device",
  selfSummaryNotStarted: "Verify your identity with a government ID and a selfie. It takes about two minutes.",
  selfSummaryPending: "Take the photos of your ID and your selfie: scan the code with your phone, or continue on this device. This page updates by itself.",
  selfSummaryPreparing: "Your verification is being prepared. This page updates by itself in a moment.",
  selfSummaryVerified: "Your identity is verified.",
  selfSummaryFailed: "We could not verify your identity. You can try again.",
  selfSummaryExpired: "Your verification expired before it was finished. You can start again.",
} as const;

export type StringKey = keyof typeof english;

export type Strings = (key: StringKey) => string;

/**
 * The words the person reads on the company's self-service site: the same keys, spoken to them about themself. Keys not
 * here read as on the panel.
 */
export const selfService: Partial<Record<StringKey, string>> = {
  title: "Your identity verification",
  start: "Verify my identity",
  startDisabledPending: "Your verification is in progress: finish it with the code or the link above.",
  startDisabledVerified: "You are verified.",
  noticeStarted: "Your verification has started: scan the code with your phone, or continue on this device.",
  noticeReused: "Your verification is still open: scan the code with your phone, or continue on this device.",
  noticeIssued: "Scan the code with Microsoft Authenticator to add your verified identity.",
  noticeIssueReused: "Your offer is still open: scan the code with Microsoft Authenticator.",
  issueVerifiedId: "Add to Microsoft Authenticator",
  issueDisabledNotIal2: "Verify your identity first.",
  issueAgainQuestion: "Your verified identity is already in Microsoft Authenticator. Add it again?",
  issueAgain: "Add it again",
  captureQr: "Scan with your phone's camera to take the photos there",
  captureOnThisDevice: "Continue on this device",
  walletIssuance: "Scan with Microsoft Authenticator to add your verified identity",
  walletLink: "Open Microsoft Authenticator on this phone",
  disabledNoContact: "Sign in to verify your identity.",
  disabledNoPermission: "This site does not let you verify your identity yet: contact the company.",
  linkExpires: "Link works until",
  verifiedAt: "Verified",
  level: "Assurance level",
};

/** The self-service site's words over the panel's. */
export function selfServiceStrings(base: Strings): Strings {
  return (key) => selfService[key] ?? base(key);
}

/** Strings from the platform's resource web resource when it has them, English otherwise. */
export function resourceStrings(lookup?: (key: string) => string | undefined): Strings {
  return (key) => {
    const found = lookup?.(key);
    return found && found.length > 0 ? found : english[key];
  };
}

/** "3 min ago", "in 2 h": relative times in the user's locale. */
export function relative(from: Date, now: Date, locale: string): string {
  const seconds = Math.round((from.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === "second") {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }
  return format.format(0, "second");
}

export function exact(at: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(at);
}

export function percent(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(value);
}
