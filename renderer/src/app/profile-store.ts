import type { EndReason, LockReason, LoginResult, Prefs, SessionInfo, User } from '../../../shared/dto';

/**
 * The window's profiles, in memory only: session IDs are never written to
 * storage, URLs or logs (a stolen ID would be a signed-in session). One store per
 * window, created by the App; screens read it through useApp()/useProfile().
 */

export type SettingsTab = 'profile' | 'security' | 'preferences';
/** What a signed-in profile was looking at: kept per profile, restored on switch. */
export type Screen = { name: 'home' } | { name: 'settings'; tab: SettingsTab } | { name: 'admin' };

export type ProfileStatus =
  | { kind: 'active' }
  | { kind: 'locked'; reason: LockReason; at: number }
  | { kind: 'ended'; reason: EndReason; at: number };

export interface PreviousSignIn {
  at: number | null;
  failedAttempts: number;
}

export interface Profile {
  /** Stable key: one profile per user per window (the core replaces a second login). */
  username: string;
  /** Null once the session ended: the profile stays listed with its reason. */
  sessionId: string | null;
  handle: string | null;
  user: User;
  session: SessionInfo | null;
  previousSignIn: PreviousSignIn | null;
  status: ProfileStatus;
  screen: Screen;
  prefs: Prefs | null;
  /** Sign-in order, for the switcher. */
  order: number;
  /** The idle timeout as the session reported it at sign-in (for "after 15 minutes"). */
  idleTimeoutMs: number;
  /** True when this computer remembers the profile (offers "Also forget this computer"). */
  remembered: boolean;
}

export interface WindowState {
  profiles: readonly Profile[];
  /** The profile on screen; null shows the sign-in form. */
  activeUsername: string | null;
  /** "Add profile…": the sign-in form over a window that still holds profiles. */
  adding: boolean;
  /** A remembered profile asked to log out: the dialog offering "Also forget this computer". */
  pendingLogout: string | null;
  /** The last profile that ended or locked on its own, for the window's live announcement. */
  lastChange: { username: string; seq: number } | null;
}

const INITIAL: WindowState = { profiles: [], activeUsername: null, adding: false, pendingLogout: null, lastChange: null };

export class ProfileStore {
  private state: WindowState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private counter = 0;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): WindowState => this.state;

  get active(): Profile | null {
    return this.find(this.state.activeUsername);
  }

  find(username: string | null): Profile | null {
    return this.state.profiles.find((p) => p.username === username) ?? null;
  }

  findBySession(sessionId: string): Profile | null {
    return this.state.profiles.find((p) => p.sessionId === sessionId) ?? null;
  }

  /** A sign-in (password, keychain, setup or unlock): the profile becomes active and shown. */
  signedIn(result: LoginResult, keepScreen = false, idleTimeoutMs?: number): void {
    const existing = this.find(result.user.username);
    const profile: Profile = {
      username: result.user.username,
      sessionId: result.sessionId,
      handle: result.session.handle,
      user: result.user,
      session: result.session,
      previousSignIn: result.previousSignIn ?? existing?.previousSignIn ?? null,
      status: { kind: 'active' },
      screen: keepScreen && existing ? existing.screen : { name: 'home' },
      prefs: existing?.prefs ?? null,
      order: existing?.order ?? this.counter++,
      // The configured timeout when app:info told it; else what this session reports.
      idleTimeoutMs: idleTimeoutMs ?? result.session.idleExpiresAt - result.session.lastActivityAt,
      remembered: result.remembered || (existing?.remembered ?? false),
    };
    const others = this.state.profiles.filter((p) => p.username !== profile.username);
    this.set({ ...this.state, profiles: sortByOrder([...others, profile]), activeUsername: profile.username, adding: false });
  }

  /** A new session ID for the same sign-in (password change): no screen change, no flash. */
  rotated(username: string, result: LoginResult): void {
    this.patch(username, {
      sessionId: result.sessionId,
      handle: result.session.handle,
      user: result.user,
      session: result.session,
    });
  }

  switchTo(username: string): void {
    if (!this.find(username)) return;
    this.set({ ...this.state, activeUsername: username, adding: false });
  }

  startAdding(): void {
    this.set({ ...this.state, adding: true });
  }

  cancelAdding(): void {
    this.set({ ...this.state, adding: false });
  }

  ended(sessionId: string, reason: EndReason, at: number): Profile | null {
    const profile = this.findBySession(sessionId);
    if (!profile) return null;
    this.patch(profile.username, { sessionId: null, status: { kind: 'ended', reason, at } });
    this.announce(profile.username);
    return profile;
  }

  locked(sessionId: string, reason: LockReason, at: number): void {
    const profile = this.findBySession(sessionId);
    if (!profile || profile.status.kind !== 'active') return;
    this.patch(profile.username, { status: { kind: 'locked', reason, at } });
    this.announce(profile.username);
  }

  private announce(username: string): void {
    this.set({ ...this.state, lastChange: { username, seq: (this.state.lastChange?.seq ?? 0) + 1 } });
  }

  /** Removes a profile from the list (dismissing an ended one, or after logging out). */
  remove(username: string): void {
    const profiles = this.state.profiles.filter((p) => p.username !== username);
    let activeUsername = this.state.activeUsername;
    if (activeUsername === username) {
      const next = profiles.filter((p) => p.status.kind !== 'ended').at(-1) ?? null;
      activeUsername = next?.username ?? null;
    }
    const pendingLogout = this.state.pendingLogout === username ? null : this.state.pendingLogout;
    this.set({ ...this.state, profiles, activeUsername, adding: activeUsername === null ? false : this.state.adding, pendingLogout });
  }

  setPendingLogout(username: string | null): void {
    this.set({ ...this.state, pendingLogout: username });
  }

  setScreen(username: string, screen: Screen): void {
    this.patch(username, { screen });
  }

  setUser(username: string, user: User): void {
    this.patch(username, { user });
  }

  setPrefs(username: string, prefs: Prefs): void {
    this.patch(username, { prefs });
  }

  setRemembered(username: string, remembered: boolean): void {
    this.patch(username, { remembered });
  }

  setIdleExpiresAt(username: string, idleExpiresAt: number): void {
    const profile = this.find(username);
    if (!profile?.session) return;
    this.patch(username, { session: { ...profile.session, idleExpiresAt } });
  }

  private patch(username: string, changes: Partial<Profile>): void {
    const profiles = this.state.profiles.map((p) => (p.username === username ? { ...p, ...changes } : p));
    this.set({ ...this.state, profiles });
  }

  private set(next: WindowState): void {
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }
}

function sortByOrder(profiles: Profile[]): Profile[] {
  return profiles.sort((a, b) => a.order - b.order);
}

/** Profiles that still hold a session (active or locked): what the window counts against its limit. */
export function liveProfiles(state: WindowState): Profile[] {
  return state.profiles.filter((p) => p.status.kind !== 'ended');
}
