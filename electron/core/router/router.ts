import type { z } from 'zod';
import { MAX_PAYLOAD_BYTES, channels, isChannelName, type ChannelName } from '../../../shared/contract';
import type { Reply } from '../../../shared/errors';
import { hasPermissions } from '../auth/permissions';
import { describeSqliteError } from '../db/database';
import { AppError } from '../errors';
import { errorFacts, type Logger } from '../log';
import type { Services } from '../services';
import { sessionInvalid } from '../sessions/session-manager';
import { CHANNEL_ACCESS } from './channel-access';
import type { HandlerContext, HandlerMap } from './handler-types';
import { checkPayload } from './payload-guard';

/** Channels that only end access: served without the networked store (see dispatch). */
const OFFLINE_CHANNELS: ReadonlySet<ChannelName> = new Set(['auth:logout']);

const fail = (e: AppError): Reply => ({ ok: false, error: e.toBody() });

/** zod issues as `fields: { path: message }`, without echoing the input back. */
function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key =
      issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.map(String).join('.') || 'payload';
    fields[key] ??= issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
  }
  return fields;
}

/**
 * The IPC middleware, in the contract's order: channel, size, schema,
 * NOT_AUTHENTICATED, SESSION_INVALID, SESSION_LOCKED, PASSWORD_CHANGE_REQUIRED,
 * PERMISSION_DENIED, REAUTH_REQUIRED, then the handler. dispatch() never throws:
 * anything unexpected becomes INTERNAL with a generic message (details to the log).
 */
export class Router {
  constructor(
    private readonly s: Services,
    private readonly handlers: HandlerMap,
    private readonly log: Logger,
  ) {}

  async dispatch(senderId: number, channel: unknown, payload: unknown): Promise<Reply> {
    try {
      if (!isChannelName(channel)) return fail(new AppError('NOT_FOUND', 'Unknown channel.'));
      const tooBig = checkPayload(payload, MAX_PAYLOAD_BYTES);
      if (tooBig) return fail(tooBig);
      const parsed = channels[channel].request.safeParse(payload);
      if (!parsed.success) {
        return fail(new AppError('VALIDATION_ERROR', 'Some fields are not valid.', { fields: fieldErrors(parsed.error) }));
      }
      const request = parsed.data as { sessionId?: string };
      // A networked store (Redis): one round trip confirms the session before it is used,
      // and the reply waits until the store holds what the call wrote (a new session
      // above all). Signing out works even while the store is unreachable: it only
      // removes access, the ID is forgotten at once, and the key's deletion is replayed.
      const remote = this.s.sessions.remote && !OFFLINE_CHANNELS.has(channel);
      if (remote && typeof request.sessionId === 'string') await this.s.sessions.confirm(senderId, request.sessionId);
      const mark = remote ? this.s.sessions.mark() : 0;
      const ctx = this.authorize(senderId, channel, request);
      const handler = this.handlers[channel] as (c: HandlerContext, r: unknown) => unknown;
      const data = await handler(ctx, parsed.data);
      if (remote) await this.s.sessions.commit(mark);
      return { ok: true, data };
    } catch (e) {
      return this.toReply(e, String(channel));
    }
  }

  /** Resolves the session and applies the channel's access rules; counts activity once they pass. */
  private authorize(senderId: number, channel: ChannelName, request: { sessionId?: string }): HandlerContext {
    const access = CHANNEL_ACCESS[channel];
    if (access.kind === 'public') return { senderId, session: null, principal: null };
    if (!request.sessionId) throw new AppError('NOT_AUTHENTICATED', 'Sign in first.');
    const { sessions, directory, settings, clock } = this.s;
    const generation = this.s.changes.current();
    const session = sessions.resolve(senderId, request.sessionId, this.s.changes.externalSeen);
    // Looked up fresh for every call (cached only while the database is unchanged).
    const principal = directory.get(session.userId, generation);
    if (!principal || !principal.user.isActive) {
      sessions.end(session, principal ? 'deactivated' : 'deleted');
      throw sessionInvalid();
    }
    if (session.locked && !access.allowLocked) {
      throw new AppError('SESSION_LOCKED', 'This profile is locked. Enter your password to unlock it.');
    }
    if (principal.user.mustChangePassword && !access.allowMustChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'Choose a new password to continue.');
    }
    if (access.permissions && !hasPermissions(principal, access.permissions)) {
      throw new AppError('PERMISSION_DENIED', 'You do not have permission to do this.');
    }
    if (access.sudo && (session.authAt === null || clock.now() - session.authAt >= settings.sudoModeMs)) {
      throw new AppError('REAUTH_REQUIRED', 'Confirm your password to continue.');
    }
    sessions.touch(session);
    return { senderId, session, principal };
  }

  private toReply(e: unknown, channel: string): Reply {
    if (e instanceof AppError) return fail(e);
    const code = (e as { code?: unknown })?.code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      // The environment, not the caller: say what is wrong, never the SQL.
      this.log.error('database error', { channel, code });
      return fail(new AppError('INTERNAL', `The accounts database could not be used: ${describeSqliteError(e, 'an unexpected database error')}.`));
    }
    // Never the message: it may quote a password or a session ID (see errorFacts).
    this.log.error('handler failed', { channel, ...errorFacts(e) });
    return fail(new AppError('INTERNAL', 'Something went wrong. Please try again.'));
  }
}
