import type { ChannelName, ParsedRequestOf, ResponseOf } from '../../../shared/contract';
import type { Principal } from '../auth/permissions';
import type { LiveSession } from '../sessions/live-session';

/** Django's request, for one IPC call: who sent it, and the resolved session and user. */
export interface HandlerContext {
  senderId: number;
  /** Set for every channel that is not public (the router checked it). */
  session: LiveSession | null;
  principal: Principal | null;
}

/** A context whose session the router has resolved and checked. */
export interface AuthedContext extends HandlerContext {
  session: LiveSession;
  principal: Principal;
}

export type Handler<C extends ChannelName> = (
  ctx: HandlerContext,
  request: ParsedRequestOf<C>,
) => ResponseOf<C> | Promise<ResponseOf<C>>;

export type AuthedHandler<C extends ChannelName> = (
  ctx: AuthedContext,
  request: ParsedRequestOf<C>,
) => ResponseOf<C> | Promise<ResponseOf<C>>;

export type HandlerMap = { [C in ChannelName]: Handler<C> };

/** Narrows the context for channels the access table marks as needing a session. */
export function authed<C extends ChannelName>(fn: AuthedHandler<C>): Handler<C> {
  return (ctx, request) => {
    if (!ctx.session || !ctx.principal) throw new Error('channel needs a session but none was resolved');
    return fn(ctx as AuthedContext, request);
  };
}
