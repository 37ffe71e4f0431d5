import type { Session } from 'electron';

/**
 * Default deny for every web permission (camera, microphone, notifications,
 * geolocation, clipboard-read, HID, serial…): the app needs none, so a compromised
 * page gets none. Both handlers: the request handler answers prompts, the check
 * handler answers synchronous queries (navigator.permissions, feature checks).
 */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
