import { createContext, useCallback, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { ChannelName, RequestOf, ResponseOf } from '../../../shared/contract';
import type { AppInfo } from '../../../shared/dto';
import type { Reply } from '../../../shared/errors';
import type { AppController } from './app-controller';
import type { Profile, WindowState } from './profile-store';

/**
 * How screens reach the window and their profile.
 *
 *   useApp()     -> { controller, client, info, state }: the whole window.
 *   useProfile() -> { profile, call }: inside a profile's subtree only. `call`
 *                   fills in that profile's sessionId, so screens never handle IDs.
 *
 * Each signed-in profile renders in its own subtree under <ProfileProvider>, kept
 * mounted (hidden) while another profile is shown: switching back is instant and
 * every form keeps what was typed.
 */

interface AppContextValue {
  controller: AppController;
  info: AppInfo;
}

const AppContext = createContext<AppContextValue | null>(null);
const ProfileContext = createContext<string | null>(null);

export function AppProvider(props: { controller: AppController; info: AppInfo; children: ReactNode }) {
  const value = useMemo(() => ({ controller: props.controller, info: props.info }), [props.controller, props.info]);
  return <AppContext.Provider value={value}>{props.children}</AppContext.Provider>;
}

export function ProfileProvider(props: { username: string; children: ReactNode }) {
  return <ProfileContext.Provider value={props.username}>{props.children}</ProfileContext.Provider>;
}

export function useApp(): AppContextValue & { state: WindowState } {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp() outside <AppProvider>');
  const state = useSyncExternalStore(value.controller.store.subscribe, value.controller.store.getSnapshot);
  return { ...value, state };
}

/** The session-bound call a screen uses: `sessionId` is added from the profile. */
export type ProfileCall = <C extends ChannelName>(
  channel: C,
  payload: Omit<RequestOf<C>, 'sessionId'>,
) => Promise<Reply<ResponseOf<C>>>;

export function useProfile(): { profile: Profile; call: ProfileCall } {
  const username = useContext(ProfileContext);
  const { controller, state } = useApp();
  if (username === null) throw new Error('useProfile() outside <ProfileProvider>');
  const profile = state.profiles.find((p) => p.username === username);
  if (!profile) throw new Error(`no profile ${username} in this window`);
  const call = useCallback<ProfileCall>(
    (channel, payload) => {
      const current = controller.store.find(username);
      const sessionId = current?.sessionId ?? '';
      return controller.client.call(channel, { ...payload, sessionId } as RequestOf<typeof channel>).then((reply) => {
        // The core normally says so with session:ended; this covers a session that
        // vanished without an event reaching this window (e.g. the app restarted).
        if (!reply.ok && reply.error.code === 'SESSION_INVALID' && sessionId) controller.sessionVanished(sessionId);
        return reply;
      });
    },
    [controller, username],
  );
  return { profile, call };
}
