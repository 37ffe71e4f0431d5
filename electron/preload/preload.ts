import { contextBridge, ipcRenderer } from 'electron';
import { ACCOUNTS_API_KEY, buildAccountsApi } from './accounts-api';

/**
 * Preload entry (sandboxed: bundled into one CommonJS file that requires only
 * 'electron'). Exposes exactly `window.accounts = { invoke, on }`.
 */
contextBridge.exposeInMainWorld(ACCOUNTS_API_KEY, buildAccountsApi(ipcRenderer));
