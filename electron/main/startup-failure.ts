import { DatabaseOpenError, SettingsError } from '../core/index';
import { ShellArgsError } from './command-line';

export type StartupFailureKind =
  | 'locked'
  | 'corrupt'
  | 'newer-schema'
  | 'not-writable'
  | 'settings'
  | 'arguments'
  | 'unexpected';

export interface StartupFailure {
  kind: StartupFailureKind;
  title: string;
  /** What happened, naming the file (the core's own words). */
  message: string;
  /** What the person can do about it. Every variant says the file was left alone. */
  detail: string;
}

const UNTOUCHED = 'Nothing was changed, overwritten or repaired.';

const sqliteCode = (e: unknown): string => {
  const c = (e as { cause?: { code?: unknown } })?.cause?.code;
  return typeof c === 'string' ? c : '';
};

/**
 * Turns a failure of createCore into words for a dialog: which of the known cases
 * it is, and what to do. Never a stack trace; never advice to delete the file.
 */
export function describeStartupFailure(e: unknown, dataDir: string): StartupFailure {
  if (e instanceof ShellArgsError) {
    return { kind: 'arguments', title: 'Cannot start Local Accounts', message: e.message, detail: 'Check the command line and try again.' };
  }
  if (e instanceof SettingsError) {
    return {
      kind: 'settings',
      title: 'The settings file has a problem',
      message: e.message,
      detail: `Fix or remove the named key in ${dataDir}/settings.json, then start the app again. ${UNTOUCHED}`,
    };
  }
  if (e instanceof DatabaseOpenError) {
    const code = sqliteCode(e);
    const text = e.message;
    if (/^SQLITE_(BUSY|LOCKED)/.test(code) || /locked by another program/.test(text)) {
      return {
        kind: 'locked',
        title: 'The accounts database is in use',
        message: text,
        detail: `Another program holds the database (a manage command, a backup tool, or another copy of the app started with --data-dir). Close it and start the app again. ${UNTOUCHED}`,
      };
    }
    if (/newer than this version/.test(text)) {
      return {
        kind: 'newer-schema',
        title: 'This database needs a newer version of Local Accounts',
        message: text,
        detail: `Install the latest version of the app, or start this one with --data-dir pointing at another folder. ${UNTOUCHED}`,
      };
    }
    if (/^SQLITE_(NOTADB|CORRUPT)/.test(code) || /not a database|damaged|not an accounts database/.test(text)) {
      return {
        kind: 'corrupt',
        title: 'The accounts database cannot be read',
        message: text,
        detail: `Restore ${e.path} from a backup, or start the app with --data-dir pointing at another folder. ${UNTOUCHED}`,
      };
    }
    if (/^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/.test(code) || /read-only|not readable|Cannot create|is not a folder|permission/i.test(text)) {
      return {
        kind: 'not-writable',
        title: 'The data folder cannot be written',
        message: text,
        detail: `Give your user account write access to ${dataDir}, or start the app with --data-dir pointing at a folder you can write to. ${UNTOUCHED}`,
      };
    }
    return { kind: 'unexpected', title: 'The accounts database cannot be opened', message: text, detail: UNTOUCHED };
  }
  return {
    kind: 'unexpected',
    title: 'Local Accounts could not start',
    message: 'An unexpected error stopped the app while starting.',
    detail: `Details were written to the log. ${UNTOUCHED}`,
  };
}
