import { useApp } from './app-context';

/** Placeholder frame until the screens land: shows which view the window is in. */
export function WindowFrame(_props: { onSetupDone: () => void }) {
  const { info, state } = useApp();
  return (
    <main>
      {info.setupRequired ? 'setup' : state.activeUsername ? state.activeUsername : 'login'}
    </main>
  );
}
