/** The app's identity: keychain service name and the version app:info reports. */
export const APP_ID = 'dev.local-accounts.desktop';
export const APP_NAME = 'Local Accounts';
/** Kept equal to package.json's version by a test. */
export const APP_VERSION = '0.1.0';
