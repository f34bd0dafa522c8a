import { ApiError, IdentitySource } from "./api";
import { AttemptRow, StatusResponse, statusOf } from "./contract";
import { Action, PanelModel, WalletOffer, When, buildModel } from "./model";
import { qrModules, qrPath } from "./qr";
import { Poller } from "./polling";
import { Strings } from "./strings";

/** What the panel needs from the form it sits on. */
export interface FormHost {
  /** The contact the record stands for; undefined when it names none. */
  contactId(): string | undefined;
  /** The business record that asks (an opportunity), passed as Regarding. */
  regarding(): Xrm.LookupValue | undefined;
  /** Opens a new email to the contact: a subject, one line of instructions, the link. */
  sendLink(link: string): void;
  /** How the contact can be reached, when the form can tell; undefined when it cannot. */
  reach?(): { email: boolean; phone: boolean } | undefined;
  /** The user's locale, for dates and numbers. */
  locale: string;
  /** The panel's state changed: the form's own notification follows it. */
  statusChanged?(status: PanelModel["status"]): void;
  /** Who reads the panel: an agent on a form (the default), or the person themself on the company's site. */
  audience?: Audience;
  /** Called after every render: where a host puts its own look (the site's Bootstrap classes) on the panel. */
  drawn?(root: HTMLElement): void;
}

/**
 * An agent sees everything their security lets them read and every action; the person sees their own standing, their own
 * capture as a QR code or a link for this device, and only the actions that are theirs to take (start, add to Authenticator).
 */
export type Audience = "agent" | "person";

export interface Handlers {
  start(): void;
  stepUp(): void;
  issue(): void;
  /** Issue again after the person was asked (the contact already holds the credential); cancel forgets the question. */
  confirmIssue(confirmed: boolean): void;
  /** Asks first, then cancels the open attempt; false forgets the question. */
  cancel(): void;
  confirmCancel(confirmed: boolean): void;
  faceCheck(): void;
  copy(text: string, key: string): void;
  sendLink(link: string): void;
  retry(): void;
  earlierToggled?(open: boolean): void;
}

/** Keeps one panel up to date: reads, renders, polls while pending, and runs the two actions. */
export class PanelController {
  private status: StatusResponse | undefined;
  private attempts: AttemptRow[] = [];
  private mayStart = true;
  private error: string | undefined;
  /** The status could not be read on the last refresh; lastRead is when it last could. */
  private unreadable: { lastRead?: Date } | undefined;
  private lastRead: Date | undefined;
  /** What the last action did, said in the panel so no click goes without an answer. */
  private notice: string | undefined;
  /** The state the notice was said about (status and what is open): once it moves on, the notice is old news and goes. */
  private noticeStatus: string | undefined;
  private confirmingIssue = false;
  private confirmingCancel = false;
  private shownStatus: PanelModel["status"] | undefined;
  private copied: string | undefined;
  private earlierOpen = false;
  private pin: { verificationId: string; value: string } | undefined;
  private readonly poller: Poller;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: IdentitySource,
    private readonly host: FormHost,
    private readonly strings: Strings,
    private readonly now: () => Date = () => new Date(),
    schedule?: ConstructorParameters<typeof Poller>[1],
  ) {
    this.poller = new Poller(() => this.refresh(), schedule);
    this.wait = schedule ?? ((run, ms) => setTimeout(run, ms));
  }

  private readonly wait: NonNullable<ConstructorParameters<typeof Poller>[1]>;

  /** Reads the status and the attempts and renders them; resolves whether something is still pending. */
  async refresh(): Promise<boolean> {
    const contact = this.host.contactId();
    if (!contact) {
      this.status = undefined;
      this.attempts = [];
      this.error = undefined;
      return this.draw().polling;
    }
    try {
      [this.status, this.attempts] = await Promise.all([this.api.status(contact), this.api.attempts(contact)]);
      this.error = undefined;
      this.unreadable = undefined;
      this.lastRead = this.now();
      if (this.notice && this.state() !== this.noticeStatus) {
        this.notice = undefined;
      }
    } catch (error) {
      this.fail(error);
      // The last state read stays on screen, marked with its time; with none, nothing is shown as fact.
      this.unreadable = { lastRead: this.lastRead };
      this.draw();
      return true;
    }
    return this.draw().polling;
  }

  /** Where things stand, for the notice: the status and the attempts still open (an offer taken up closes one). */
  private state(): string {
    return `${this.status?.Status}|${this.attempts.filter((row) => statusOf[row.okos_status] === "Pending").map((row) => row.okos_verificationid).join(",")}`;
  }

  /** First render, then polling while pending. */
  async open(): Promise<void> {
    if (await this.refresh()) {
      this.poller.start();
    }
  }

  close(): void {
    this.poller.stop();
  }

  get polling(): boolean {
    return this.poller.running;
  }

  /** Runs an action; <c>said</c> turns its answer into the notice the person reads. */
  private async run<T>(action: (contact: string) => Promise<T>, said: (answer: T) => string): Promise<void> {
    const contact = this.host.contactId();
    if (!contact) {
      return;
    }
    this.confirmingIssue = false;
    this.notice = undefined;
    let notice: string;
    try {
      notice = said(await action(contact));
      this.error = undefined;
    } catch (error) {
      this.fail(error);
      this.draw();
      return;
    }
    const pending = await this.refresh();
    this.notice = notice;
    this.noticeStatus = this.state();
    this.draw();
    if (pending) {
      this.poller.start();
    }
  }

  /** Copies, then says so on the button for two seconds; where the clipboard is refused, says how to copy instead. */
  private async copy(text: string, key: string): Promise<void> {
    try {
      if (!navigator.clipboard) {
        throw new Error("no clipboard");
      }
      await navigator.clipboard.writeText(text);
      this.copied = key;
      this.draw();
      this.wait(() => {
        if (this.copied === key) {
          this.copied = undefined;
          this.draw();
        }
      }, 2000);
    } catch {
      this.notice = this.strings("copyRefused");
      this.noticeStatus = this.state();
      this.draw();
    }
  }

  private fail(error: unknown): void {
    const failure = error instanceof ApiError ? error : new ApiError(String(error), false);
    if (failure.forbidden) {
      this.mayStart = false;
    }
    // A browser's own words for a lost connection ("Failed to fetch") say nothing to a person.
    this.error = /failed to fetch|networkerror|network request failed|load failed/i.test(failure.message) ? this.strings("networkError") : failure.message;
  }

  private draw(): PanelModel {
    const model = buildModel(this.status, this.attempts, {
      hasContact: this.host.contactId() !== undefined,
      mayStart: this.mayStart,
      now: this.now(),
      locale: this.host.locale,
      strings: this.strings,
      pin: this.pin,
      unreadable: this.unreadable,
      reach: this.host.reach?.(),
    });
    const t = this.strings;
    const stepUpSaid = (answer: { AlreadyFresh?: boolean; Reused: boolean }) =>
      t(answer.AlreadyFresh ? "noticeAlreadyFresh" : answer.Reused ? "noticeReused" : "noticeStepUpStarted");
    const issue = () => void this.run(async (contact) => {
      const issued = await this.api.issueVerifiedId(contact);
      if (issued.Pin) {
        this.pin = { verificationId: issued.VerificationId, value: issued.Pin };
      }
      return issued;
    }, (issued) => t(issued.Reused ? "noticeIssueReused" : "noticeIssued"));
    render(this.root, model, t, {
      start: () => void this.run((contact) => this.api.start(contact, this.host.regarding()), (started) => t(started.Reused ? "noticeReused" : "noticeStarted")),
      stepUp: () => void this.run((contact) => this.api.stepUp(contact, t("stepUpReason"), this.host.regarding()), stepUpSaid),
      issue: () => {
        if (model.issue?.confirm) {
          this.confirmingIssue = true;
          this.draw();
        } else {
          issue();
        }
      },
      confirmIssue: (confirmed) => {
        this.confirmingIssue = false;
        if (confirmed) {
          issue();
        } else {
          this.draw();
        }
      },
      faceCheck: () => void this.run((contact) => this.api.stepUp(contact, t("stepUpReason"), this.host.regarding(), "VerifiedIdFaceCheck"), stepUpSaid),
      cancel: () => {
        this.confirmingCancel = true;
        this.draw();
      },
      confirmCancel: (confirmed) => {
        this.confirmingCancel = false;
        const open = model.cancel;
        if (confirmed && open) {
          void this.run((contact) => this.api.cancel(contact, open.verificationId, t("cancelReason")), (answer) => t(answer.Cancelled ? "noticeCancelled" : "noticeNothingToCancel"));
        } else {
          this.draw();
        }
      },
      copy: (text, key) => void this.copy(text, key),
      earlierToggled: (open) => {
        this.earlierOpen = open;
      },
      sendLink: (link) => this.host.sendLink(link),
      retry: () => void this.open(),
    }, this.error, { notice: this.notice, confirmingIssue: this.confirmingIssue, confirmingCancel: this.confirmingCancel, copied: this.copied, earlierOpen: this.earlierOpen }, this.host.audience);
    this.host.drawn?.(this.root);
    if (model.status !== this.shownStatus) {
      this.shownStatus = model.status;
      this.host.statusChanged?.(model.status);
    }
    return model;
  }
}

/** Draws the model into root with DOM calls only: no markup is built from data, so nothing in it can run. */
/** What the panel says beside the model: the last action's answer, a question it is asking, what was just copied. */
export interface Moment {
  notice?: string;
  confirmingIssue?: boolean;
  /** The copy button whose text just went to the clipboard: it says Copied for a moment. */
  copied?: string;
  /** The earlier attempts are unfolded (kept across polls). */
  earlierOpen?: boolean;
  confirmingCancel?: boolean;
}

/**
 * Draws the model into root with DOM calls only: no markup is built from data, so nothing in it can run. The header with the
 * status badge (the live region) is made once and updated in place, so a screen reader hears a change, not every poll.
 */
export function render(root: HTMLElement, model: PanelModel, t: Strings, handlers: Handlers, error?: string, moment: Moment = {}, audience: Audience = "agent"): void {
  const agent = audience === "agent";
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  root.setAttribute("role", "region");
  root.setAttribute("aria-label", t("title"));
  root.setAttribute("aria-busy", "false");
  root.className = "okos-panel";

  let header = root.querySelector<HTMLElement>(":scope > .okos-header");
  if (!header) {
    header = element("div", "okos-header");
    header.append(element("h2", "okos-title", t("title")));
    const live = element("span", "okos-badge");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    header.append(live);
  }
  const badge = header.querySelector<HTMLElement>("[role=status]")!;
  if (badge.textContent !== model.badge.text) {
    badge.textContent = model.badge.text;
  }
  badge.className = `okos-badge okos-${model.badge.tone}`;
  root.replaceChildren(header);

  if (error) {
    const banner = element("div", "okos-error");
    banner.setAttribute("role", "alert");
    banner.append(element("span", "", `${t("errorPrefix")} ${error}`));
    banner.append(button(t("retry"), { enabled: true }, handlers.retry, "retry"));
    root.append(banner);
  }

  if (model.stale) {
    const stale = element("p", "okos-stale", `${t("staleNotice")} `);
    stale.append(time(model.stale)!, ".");
    root.append(stale);
  }

  if (model.summary) {
    root.append(element("p", "okos-summary", model.summary));
  }

  if (model.unreachable) {
    root.append(element("p", "okos-notice", model.unreachable));
  }

  if (moment.notice && !error) {
    const notice = element("p", "okos-notice", moment.notice);
    notice.setAttribute("aria-live", "polite");
    root.append(notice);
  }

  const facts = element("dl", "okos-facts");
  fact(facts, t("level"), model.level);
  if (agent) {
    agentFacts(facts, model, t, handlers, moment);
  }
  fact(facts, t("verifiedAt"), time(model.verifiedAt));
  if (agent) {
    agentLinkFacts(facts, model, t, handlers, moment);
  }
  fact(facts, t("linkExpires"), time(model.linkExpires));

  if (model.verifiedIdIssued) {
    fact(facts, t("verifiedIdIssued"), t("inAuthenticator"));
  }
  root.append(facts);

  if (!agent && model.captureLink) {
    root.append(qrOffer(model.captureLink, t("captureQr"), t("captureOnThisDevice")));
  }

  if (agent && moment.confirmingCancel && model.cancel) {
    const question = element("div", "okos-confirm");
    question.setAttribute("role", "group");
    question.setAttribute("aria-label", t("cancelQuestion"));
    question.append(
      element("p", "", t("cancelQuestion")),
      button(t("cancelVerification"), { enabled: true }, () => handlers.confirmCancel(true), "cancel-confirm"),
      button(t("keepIt"), { enabled: true }, () => handlers.confirmCancel(false), "cancel-keep"),
    );
    root.append(question);
  }

  if (model.wallet) {
    root.append(walletOffer(model.wallet, t));
  }

  const actions = element("div", "okos-actions");
  actions.append(actionButton(t("start"), model.start, handlers.start, "start"));
  if (agent) {
    actions.append(actionButton(t("stepUp"), model.stepUp, handlers.stepUp, "step-up"));
  }
  if (model.issue) {
    actions.append(actionButton(t("issueVerifiedId"), model.issue, handlers.issue, "issue"));
  }
  if (agent && model.cancel) {
    actions.append(actionButton(t("cancelVerification"), model.cancel, handlers.cancel, "cancel"));
  }
  if (moment.confirmingIssue && model.issue?.confirm) {
    const question = element("div", "okos-confirm");
    question.setAttribute("role", "group");
    question.setAttribute("aria-label", model.issue.confirm);
    question.append(
      element("p", "", model.issue.confirm),
      button(t("issueAgain"), { enabled: true }, () => handlers.confirmIssue(true), "issue-again"),
      button(t("cancel"), { enabled: true }, () => handlers.confirmIssue(false), "issue-cancel"),
    );
    actions.append(question);
  }
  if (agent && model.faceCheck) {
    actions.append(actionButton(t("faceCheck"), model.faceCheck, handlers.faceCheck, "face-check"));
  }
  root.append(actions);

  if (model.status === "Unavailable" || !agent) {
    if (focused) {
      root.querySelector<HTMLElement>(`[data-focus-key="${focused}"]`)?.focus();
    }
    return;
  }

  const history = element("section", "okos-history");
  history.setAttribute("aria-label", t("history"));
  history.append(element("h3", "okos-subtitle", t("history")));
  if (model.history.length === 0) {
    history.append(element("p", "okos-empty", t("noAttempts")));
  } else {
    const [current, ...older] = model.history;
    history.append(attempts([current], t));
    if (older.length > 0) {
      // Earlier attempts fold away, so the panel fits a form section; a person opens them when they need them.
      const earlier = element("details", "okos-earlier");
      earlier.open = moment.earlierOpen ?? false;
      earlier.addEventListener("toggle", () => handlers.earlierToggled?.(earlier.open));
      const summary = element("summary", "", `${t("earlierAttempts")} (${older.length})`);
      summary.dataset.focusKey = "earlier";
      earlier.append(summary, attempts(older, t));
      history.append(earlier);
    }
  }
  root.append(history);

  if (focused) {
    root.querySelector<HTMLElement>(`[data-focus-key="${focused}"]`)?.focus();
  }
}

/** What only an agent reads: the checks passed, the credential's DID, the binding, the last step-up and the capture link to pass on. */
function agentFacts(facts: HTMLElement, model: PanelModel, t: Strings, handlers: Handlers, moment: Moment): void {
  fact(facts, t("confidence"), model.confidence);
  if (model.did) {
    const did = element("span", "okos-did", model.did.short);
    did.title = model.did.full;
    const value = element("span");
    value.append(did, copyButton(t, moment, "copy-did", t("copyDid"), () => handlers.copy(model.did!.full, "copy-did")));
    fact(facts, t("credential"), value);
  }
  fact(facts, t("binding"), model.binding);
}

/** The last step-up, and the open capture link with the ways an agent passes it on (copy, send by email). */
function agentLinkFacts(facts: HTMLElement, model: PanelModel, t: Strings, handlers: Handlers, moment: Moment): void {
  if (model.status !== "Unavailable") {
    fact(facts, t("lastStepUp"), time(model.lastStepUp) ?? t("never"));
  }
  if (model.captureLink) {
    const value = element("span");
    value.append(copyButton(t, moment, "copy-link", t("copyLink"), () => handlers.copy(model.captureLink!, "copy-link")));
    if (model.canEmail) {
      value.append(button(t("sendByEmail"), { enabled: true }, () => handlers.sendLink(model.captureLink!), "send-link", "okos-link"));
    }
    fact(facts, t("captureLink"), value);
  }
}

/** The open Verified ID request as a QR code drawn from its deep link, the link itself, and the PIN when there is one. */
function walletOffer(offer: WalletOffer, t: Strings): HTMLElement {
  const section = qrOffer(offer.link, t(offer.journey === "VerifiedIdIssuance" ? "walletIssuance" : "walletFaceCheck"), t("walletLink"));
  if (offer.pin) {
    const pin = element("p", "okos-pin");
    pin.append(element("span", "", `${t("walletPin")}: `), element("strong", "okos-pin-value", offer.pin));
    section.append(pin);
  }
  return section;
}

/** A link as a QR code to scan with a phone, with the link itself for a person already on that phone. */
function qrOffer(target: string, caption: string, linkText: string): HTMLElement {
  const section = element("section", "okos-wallet");
  section.setAttribute("aria-label", caption);
  section.append(element("p", "okos-wallet-caption", caption));
  const { d, size } = qrPath(qrModules(target));
  const svgNs = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNs, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("class", "okos-qr");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", caption);
  const background = document.createElementNS(svgNs, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  const modules = document.createElementNS(svgNs, "path");
  modules.setAttribute("d", d);
  modules.setAttribute("fill", "#000");
  svg.append(background, modules);
  section.append(svg);
  if (/^(openid-vc|openid|https?):/i.test(target)) {
    const link = element("a", "okos-link", linkText);
    link.href = target;
    link.rel = "noreferrer";
    link.target = "_blank";
    section.append(link);
  }
  return section;
}

function attempts(items: PanelModel["history"], t: Strings): HTMLElement {
  const list = element("ol", "okos-attempts");
  for (const item of items) {
    const entry = element("li", item.current ? "okos-attempt okos-current" : "okos-attempt");
    const line = element("div", "okos-attempt-line");
    line.append(element("span", "okos-journey", item.journey), element("span", `okos-badge okos-${item.tone}`, item.status));
    if (item.score) {
      line.append(element("span", "okos-score", item.score));
    }
    if (item.current) {
      line.append(element("span", "okos-tag", t("current")));
    }
    entry.append(line, time(item.started, "okos-when")!);
    if (item.reason) {
      entry.append(element("div", "okos-reason", item.reason.text));
      if (item.reason.code && item.reason.code !== item.reason.text) {
        const details = element("details", "okos-reason-details");
        details.append(element("summary", "", t("details")), element("code", "", item.reason.code));
        entry.append(details);
      }
    }
    list.append(entry);
  }
  return list;
}

/** "Copy", named for what it copies (two on one panel must not share a name), saying "Copied" once it did. */
function copyButton(t: Strings, moment: Moment, key: string, name: string, onClick: () => void): HTMLButtonElement {
  const copied = moment.copied === key;
  const node = button(copied ? t("copied") : t("copy"), { enabled: true }, onClick, key, "okos-link");
  node.setAttribute("aria-label", copied ? `${t("copied")}: ${name.replace(/^\S+\s/, "")}` : name);
  return node;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className = "", text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function fact(list: HTMLElement, label: string, value: string | Node | undefined): void {
  if (value === undefined) {
    return;
  }
  const row = element("div", "okos-fact");
  const term = element("dt", "", label);
  const detail = element("dd");
  detail.append(value);
  row.append(term, detail);
  list.append(row);
}

function time(when: When | undefined, className = "okos-time"): HTMLElement | undefined {
  if (!when) {
    return undefined;
  }
  const node = element("time", className, when.relative);
  node.title = when.exact;
  return node;
}

function button(text: string, action: Action, onClick: () => void, key: string, className = "okos-button"): HTMLButtonElement {
  const node = element("button", className, text);
  node.type = "button";
  node.dataset.focusKey = key;
  node.disabled = !action.enabled;
  node.addEventListener("click", onClick);
  return node;
}

function actionButton(text: string, action: Action, onClick: () => void, key: string): HTMLElement {
  const wrapper = element("div", "okos-action");
  const node = button(text, action, onClick, key, key === "start" ? "okos-button okos-primary" : "okos-button");
  wrapper.append(node);
  if (action.reason) {
    const reason = element("span", "okos-disabled-reason", action.reason);
    reason.id = `okos-${key}-reason`;
    node.setAttribute("aria-describedby", reason.id);
    wrapper.append(reason);
  }
  return wrapper;
}
