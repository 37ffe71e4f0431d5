import { lazy } from 'react';

/**
 * Parts that are not needed for the first paint of the sign-in screen: the profile
 * switcher (only after a sign-in) and the confirmation dialogs (only when asked).
 * Keeping them, and the Radix menu/dialog code they pull in, out of the initial
 * bundle keeps the sign-in screen's JavaScript small; `preloadParts()` fetches them
 * right after boot so they are ready before anyone needs them.
 */
const loadSwitcher = () => import('./profile-switcher');
const loadDialog = () => import('../components/confirm-dialog');
const loadLogout = () => import('./logout-dialog');

export const LazyProfileSwitcher = lazy(() => loadSwitcher().then((m) => ({ default: m.ProfileSwitcher })));
export const LazyConfirmDialog = lazy(() => loadDialog().then((m) => ({ default: m.ConfirmDialog })));
export const LazyLogoutDialog = lazy(() => loadLogout().then((m) => ({ default: m.LogoutDialog })));

/** Account settings (Radix Tabs and three forms): loaded when first opened. */
export const LazySettings = lazy(() => import('../screens/settings-screen').then((m) => ({ default: m.SettingsScreen })));

export function preloadParts(): void {
  void loadSwitcher();
  void loadDialog();
  void loadLogout();
}
