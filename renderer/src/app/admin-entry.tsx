import { lazy, Suspense, type ComponentType } from 'react';
import type { User } from '../../../shared/dto';
import type { AccountsClient } from './accounts-client';

/**
 * The admin console (renderer/src/admin/, its own issue) is loaded lazily: it is
 * not part of the initial bundle, and a user without admin permissions never
 * downloads it. `import.meta.glob` keeps the build working if the folder is absent.
 */
export interface AdminConsoleProps {
  client: AccountsClient;
  sessionId: string;
  user: User;
  onClose: () => void;
}

type AccessModule = { canOpenAdminConsole(permissions: readonly string[]): boolean };
type ConsoleModule = { AdminConsole: ComponentType<AdminConsoleProps> };

const accessModules = import.meta.glob<AccessModule>('../admin/admin-access.ts', { eager: true });
const consoleModules = import.meta.glob<ConsoleModule>('../admin/admin-console.tsx');

export function canOpenAdminConsole(user: User): boolean {
  const access = Object.values(accessModules)[0];
  const loader = Object.values(consoleModules)[0];
  return access !== undefined && loader !== undefined && access.canOpenAdminConsole(user.permissions);
}

const loader = Object.values(consoleModules)[0];
const LazyConsole = loader ? lazy(() => loader().then((m) => ({ default: m.AdminConsole }))) : null;

export function AdminConsoleMount(props: AdminConsoleProps & { fallback: React.ReactNode }) {
  const { fallback, ...rest } = props;
  if (!LazyConsole) return null;
  return (
    <Suspense fallback={fallback}>
      <LazyConsole {...rest} />
    </Suspense>
  );
}
