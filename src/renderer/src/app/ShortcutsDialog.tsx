// The `?` dialog: every shortcut, from the one table in shortcuts.ts.
import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { Fragment, useRef } from 'react';
import { Kbd } from '../components/Kbd';
import { shortcutsReturnFocus, useAppStore } from '../stores/app.store';
import { SHORTCUT_GROUPS } from './shortcuts';

export function ShortcutsDialog(): React.JSX.Element {
  const open = useAppStore((s) => s.shortcutsOpen);
  const setOpen = useAppStore((s) => s.setShortcutsOpen);
  const contentRef = useRef<HTMLDivElement>(null);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          ref={contentRef}
          className="modal shortcuts"
          onOpenAutoFocus={(e) => {
            // Focus the dialog itself rather than ringing its close button.
            e.preventDefault();
            contentRef.current?.focus();
          }}
          onCloseAutoFocus={(e) => {
            const back = shortcutsReturnFocus();
            if (back) {
              e.preventDefault();
              back.focus({ preventScroll: true });
            }
          }}
        >
          <div className="modal-head">
            <Dialog.Title className="modal-title">Keyboard shortcuts</Dialog.Title>
            <Dialog.Close className="icon-btn" aria-label="Close">
              <X size={16} aria-hidden="true" />
            </Dialog.Close>
          </div>
          <Dialog.Description className="visually-hidden">Every keyboard shortcut in Settle.</Dialog.Description>
          <div className="shortcut-groups">
            {SHORTCUT_GROUPS.map((g) => (
              <section key={g.title} className="shortcut-group">
                <h3>{g.title}</h3>
                <dl>
                  {g.items.map((s) => (
                    <Fragment key={`${g.title}:${s.keys.join('+')}:${s.does}`}>
                      <dt>
                        {s.keys.map((k, i) => (
                          <Fragment key={k}>
                            {i > 0 && <span className="kbd-sep">{s.keys[0] === 'g' ? 'then' : 'or'}</span>}
                            <Kbd>{k}</Kbd>
                          </Fragment>
                        ))}
                      </dt>
                      <dd>{s.does}</dd>
                    </Fragment>
                  ))}
                </dl>
              </section>
            ))}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
