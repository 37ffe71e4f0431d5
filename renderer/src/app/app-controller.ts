import type { Events } from '../../../shared/contract';
import type { AppInfo, LoginResult, RememberedProfile } from '../../../shared/dto';
import type { Reply } from '../../../shared/errors';
import type { AccountsClient } from './accounts-client';
import { liveProfiles, ProfileStore, type Profile } from './profile-store';

/** Side effects of the window: every action a screen, the switcher or the menu can take. */
export class AppController {
  readonly store = new ProfileStore();
  private readonly disposers: (() => void)[] = [];
  /**
   * The window's profile limit, learnt from TOO_MANY_PROFILES (app:info does not
   * tell it): "Add profile…" is disabled with an explanation once it is reached.
   */
  maxProfiles = Number.POSITIVE_INFINITY;
  /** From app:info: the configured idle timeout, for "after 15 minutes of inactivity". */
  idleTimeoutMs: number | undefined;

  constructor(
    readonly client: AccountsClient,
    /** Wall clock for notices ("signed out at 10:42") and the heartbeat: injectable for tests. */
    readonly now: () => number = () => Date.now(),
    /**
     * Whether an input event came from a person. Default: the browser's `isTrusted`
     * (false for events a script dispatched). Component tests, whose events are all
     * synthetic, inject their own.
     */
    readonly isTrustedInput: (e: Event) => boolean = (e) => e.isTrusted === true,
  ) {}

  /** Subscribes to the main process's events; returns the disposer. */
  start(): () => void {
    this.disposers.push(
      this.client.on('session:ended', (e) => this.onEnded(e)),
      this.client.on('session:locked', (e) => this.store.locked(e.sessionId, e.reason, this.now())),
      this.client.on('menu:command', (e) => void this.onMenuCommand(e)),
    );
    return () => this.stop();
  }

  stop(): void {
    for (const dispose of this.disposers.splice(0)) dispose();
  }

  async info(): Promise<Reply<AppInfo>> {
    const reply = await this.client.call('app:info', {});
    if (reply.ok) this.idleTimeoutMs = reply.data.sessions?.idleTimeoutMs;
    return reply;
  }

  async rememberedProfiles(): Promise<RememberedProfile[]> {
    const reply = await this.client.call('profiles:list', {});
    return reply.ok ? reply.data.items : [];
  }

  /** After any successful sign-in: show the profile, tell main, load its preferences. */
  async signedIn(result: LoginResult, viaKeychain = false, keepScreen = false): Promise<void> {
    this.store.signedIn(result, keepScreen, this.idleTimeoutMs);
    if (viaKeychain) this.store.setRemembered(result.user.username, true);
    await this.activate(result.sessionId);
    const prefs = await this.client.call('prefs:get', { sessionId: result.sessionId });
    if (prefs.ok) this.store.setPrefs(result.user.username, prefs.data);
  }

  async switchTo(username: string): Promise<void> {
    const profile = this.store.find(username);
    if (!profile) return;
    this.store.switchTo(username);
    if (profile.sessionId) await this.activate(profile.sessionId);
  }

  startAdding(): void {
    this.store.startAdding();
  }

  cancelAdding(): void {
    this.store.cancelAdding();
  }

  /** Call with the error of a sign-in attempt: remembers the limit the core enforces. */
  noteSignInError(code: string): void {
    if (code === 'TOO_MANY_PROFILES') this.maxProfiles = liveProfiles(this.store.getSnapshot()).length;
  }

  async lock(username: string): Promise<void> {
    const profile = this.store.find(username);
    if (!profile?.sessionId || profile.status.kind !== 'active') return;
    const sessionId = profile.sessionId;
    const reply = await this.client.call('auth:lock', { sessionId });
    // The core also sends session:locked; marking it here makes the lock screen immediate.
    if (reply.ok) this.store.locked(sessionId, 'manual', this.now());
  }

  async unlock(username: string, password: string): Promise<Reply<LoginResult>> {
    const profile = this.store.find(username);
    if (!profile?.sessionId) return { ok: false, error: { code: 'SESSION_INVALID', message: '' } };
    const reply = await this.client.call('auth:unlock', { sessionId: profile.sessionId, password });
    if (reply.ok) {
      this.store.signedIn(reply.data, true, this.idleTimeoutMs);
      await this.activate(reply.data.sessionId);
    }
    return reply;
  }

  /** Log out: the switcher, the lock screen and the Account menu all come here. */
  async logout(username: string, forget = false): Promise<void> {
    const profile = this.store.find(username);
    if (!profile) return;
    if (profile.sessionId) await this.client.call('auth:logout', { sessionId: profile.sessionId, forget });
    else if (forget) await this.client.call('profiles:forget', { username });
    this.store.remove(username);
    const next = this.store.active;
    if (next?.sessionId) await this.activate(next.sessionId);
  }

  /**
   * What every "Log out" control calls (switcher, lock screen, Account menu): a
   * remembered profile first asks whether to also forget this computer.
   */
  async requestLogout(username: string): Promise<void> {
    const profile = this.store.find(username);
    if (!profile) return;
    if (profile.remembered && profile.sessionId) this.store.setPendingLogout(username);
    else await this.logout(username);
  }

  dismiss(username: string): void {
    const profile = this.store.find(username);
    if (profile?.status.kind === 'ended') this.store.remove(username);
  }

  /** The heartbeat and "Stay signed in": real input keeps the active profile alive. */
  async activity(username: string): Promise<void> {
    const profile = this.store.find(username);
    if (!profile?.sessionId || profile.status.kind !== 'active') return;
    const reply = await this.client.call('auth:activity', { sessionId: profile.sessionId });
    if (reply.ok) this.store.setIdleExpiresAt(username, reply.data.idleExpiresAt);
  }

  /** A call answered SESSION_INVALID for a session still shown as signed in. */
  sessionVanished(sessionId: string): void {
    this.store.ended(sessionId, 'revoked', this.now());
  }

  private onEnded(e: Events['session:ended']): void {
    this.store.ended(e.sessionId, e.reason, this.now());
  }

  private async onMenuCommand(e: Events['menu:command']): Promise<void> {
    const active: Profile | null = this.store.active;
    switch (e.command) {
      case 'switch-profile':
        if (e.username) await this.switchTo(e.username);
        return;
      case 'add-profile':
        this.startAdding();
        return;
      case 'lock':
        if (active) await this.lock(active.username);
        return;
      case 'logout':
        if (active) await this.requestLogout(active.username);
        return;
      default:
        // 'lock-all' is done by main itself (core.lockAll); the session:locked events follow.
        return;
    }
  }

  /** Reports the active profile to main (`profiles:activate`), which rebuilds the Account menu. */
  private async activate(sessionId: string): Promise<void> {
    await this.client.call('profiles:activate', { sessionId });
  }
}
