/**
 * The one error banner of a form: role="alert", so screen readers announce it the
 * moment it appears. Always rendered (empty when there is no error) so the live
 * region exists before its text arrives.
 */
export function AlertBanner({ message }: { message: string | null }) {
  return (
    <div role="alert" className={message ? 'banner banner--error' : 'banner banner--empty'}>
      {message && (
        <>
          <span className="banner__icon" aria-hidden="true">!</span>
          <span>{message}</span>
        </>
      )}
    </div>
  );
}
