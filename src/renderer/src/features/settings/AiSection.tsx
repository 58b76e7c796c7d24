// Settings → AI and Settings → Templates. AI is off by default (templates only, no account
// needed); OpenAI or any OpenAI-compatible server (Ollama, LM Studio…) with a model. The key
// field is write-only: Settle only ever says whether a key is stored. Templates are edited per
// tone, with the placeholders listed and the core's validation errors shown.
import { useEffect, useState } from 'react';
import type { AiProvider, AiSettingsView, AiTestResult, DraftTone, TemplatesView } from '../../../../shared/model';
import { DRAFT_TONE_LABELS, DRAFT_TONES } from '../../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import './ai.css';
import { Segmented } from '../../components/Segmented';

const PROVIDERS: { id: AiProvider; label: string }[] = [
  { id: 'off', label: 'Off' },
  { id: 'openai', label: 'OpenAI' },
  { id: 'compatible', label: 'OpenAI-compatible' },
];

function AiSettings(): React.JSX.Element {
  const [view, setView] = useState<AiSettingsView | null>(null);
  const [baseURL, setBaseURL] = useState('');
  const [model, setModel] = useState('');
  const [key, setKey] = useState('');
  const { busy, error, setError, run } = useAction<string>();
  const [test, setTest] = useState<AiTestResult | null>(null);

  const adopt = (v: AiSettingsView): void => {
    setView(v);
    setBaseURL(v.baseURL ?? '');
    setModel(v.model);
  };
  useEffect(() => {
    void call('ai.get').then(adopt, (err: unknown) => setError((err as Error).message));
  }, [setError]);

  if (!view) {
    return <p className="muted">{error ?? 'Loading…'}</p>;
  }

  const provider = view.provider;
  return (
    <>
      <div className="setting">
        <div className="setting-text">
          <span className="setting-label" id="ai-provider-label">
            AI drafting
          </span>
          <span className="setting-help">
            Off drafts every reminder from your templates. With AI, drafts are written by the model from the same ledger facts and
            fact-checked the same way.
          </span>
        </div>
        <Segmented
          labelledBy="ai-provider-label"
          options={PROVIDERS.map((p) => ({ value: p.id, label: p.label }))}
          value={provider}
          disabled={busy !== null}
          onChange={(id) =>
            void run('provider', async () => {
              setTest(null);
              if (id === 'compatible' && !baseURL.trim()) {
                // Show the fields first; saving needs a base URL.
                setView({ ...view, provider: 'compatible' });
                return;
              }
              adopt(await call('ai.set', { provider: id, ...(id === 'compatible' ? { baseURL: baseURL.trim() } : {}) }));
            })
          }
        />
      </div>
      {provider !== 'off' && (
        <form
          className="ai-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run('save', async () => {
              setTest(null);
              adopt(await call('ai.set', { provider, model: model.trim(), ...(provider === 'compatible' ? { baseURL: baseURL.trim() } : {}) }));
              if (key.trim()) {
                adopt(await call('ai.setKey', { key: key.trim() }));
                setKey('');
              }
            });
          }}
        >
          {provider === 'compatible' && (
            <label className="ai-field">
              <span>Base URL</span>
              <input type="text" value={baseURL} placeholder="http://127.0.0.1:11434/v1" onChange={(e) => setBaseURL(e.target.value)} />
            </label>
          )}
          <label className="ai-field">
            <span>Model</span>
            <input type="text" value={model} placeholder="gpt-4o-mini" onChange={(e) => setModel(e.target.value)} />
          </label>
          <label className="ai-field">
            <span>API key {view.hasKey ? '(stored in the keychain)' : provider === 'compatible' ? '(optional for local servers)' : ''}</span>
            <input
              type="password"
              value={key}
              autoComplete="off"
              placeholder={view.hasKey ? '•••••••• (leave empty to keep)' : 'sk-…'}
              onChange={(e) => setKey(e.target.value)}
            />
          </label>
          <div className="ai-actions">
            <button type="submit" className="btn btn-primary" disabled={busy !== null}>
              {busy === 'save' && <Spinner size={12} />} Save
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy !== null}
              onClick={() =>
                void run('test', async () => {
                  setTest(await call('ai.test'));
                })
              }
            >
              {busy === 'test' && <Spinner size={12} />} Test connection
            </button>
            {view.hasKey && (
              <button type="button" className="btn btn-quiet" disabled={busy !== null} onClick={() => void run('forget', async () => adopt(await call('ai.setKey', { key: null })))}>
                Remove key
              </button>
            )}
            <span className="setting-help">Prompt {view.promptVersion}</span>
          </div>
          {test && (
            <p className={`banner ${test.ok ? 'banner-ok' : 'banner-error'}`} role="status" data-testid="ai-test">
              {test.ok ? `Connected to ${test.baseURL} with ${test.model} in ${test.latencyMs} ms.` : test.message}
            </p>
          )}
        </form>
      )}
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function TemplateEditor({ tone, view, onSaved }: { tone: DraftTone; view: TemplatesView; onSaved(v: TemplatesView): void }): React.JSX.Element {
  const t = view.templates.find((x) => x.tone === tone)!;
  const [subject, setSubject] = useState(t.subject);
  const [body, setBody] = useState(t.body);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const dirty = subject !== t.subject || body !== t.body;

  const act = async (fn: () => Promise<TemplatesView>): Promise<void> => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await fn();
      const mine = next.templates.find((x) => x.tone === tone)!;
      setSubject(mine.subject);
      setBody(mine.body);
      onSaved(next);
      setSaved(true);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tpl-editor">
      <label className="ai-field">
        <span>Subject</span>
        <input type="text" value={subject} aria-invalid={error?.startsWith('Subject') ?? false} onChange={(e) => setSubject(e.target.value)} />
      </label>
      <label className="ai-field">
        <span>Body</span>
        <textarea rows={12} value={body} aria-invalid={error?.includes('Body') ?? false} onChange={(e) => setBody(e.target.value)} />
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="ai-actions">
        <button type="button" className="btn btn-primary" disabled={!dirty || busy} onClick={() => void act(() => call('templates.set', { tone, subject, body }))}>
          Save {DRAFT_TONE_LABELS[tone].toLowerCase()} template
        </button>
        <button type="button" className="btn btn-quiet" disabled={!t.custom || busy} onClick={() => void act(() => call('templates.reset', { tone }))}>
          Restore the built-in one
        </button>
        <span className="setting-help">{t.custom ? 'Your template' : 'Built-in template'}</span>
        {saved && !dirty && <span className="setting-help">Saved.</span>}
      </div>
    </div>
  );
}

function Templates(): React.JSX.Element {
  const [view, setView] = useState<TemplatesView | null>(null);
  const [tone, setTone] = useState<DraftTone>('friendly');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void call('templates.get').then(setView, (err: unknown) => setError((err as Error).message));
  }, []);
  if (!view) return <p className="muted">{error ?? 'Loading…'}</p>;
  return (
    <div className="tpl">
      <Segmented<DraftTone> label="Template tone" options={DRAFT_TONES.map((t) => ({ value: t, label: DRAFT_TONE_LABELS[t] }))} value={tone} onChange={setTone} />
      <div className="tpl-grid">
        <TemplateEditor key={tone} tone={tone} view={view} onSaved={setView} />
        {/* It scrolls on its own, so it takes focus for keyboard users to scroll it (WCAG 2.1.1). */}
        <aside className="tpl-placeholders" aria-label="Placeholders" tabIndex={0}>
          <p className="setting-help">
            Placeholders, e.g. <code>{'{{customer.contact}}'}</code>; a section <code>{'{{#payments.list}}…{{/payments.list}}'}</code> shows only
            when it has a value.
          </p>
          <dl>
            {view.placeholders.map((p) => (
              <div key={p.name}>
                <dt>
                  <code>{`{{${p.name}}}`}</code>
                </dt>
                <dd>{p.description}</dd>
              </div>
            ))}
          </dl>
        </aside>
      </div>
    </div>
  );
}

export function AiSection(): React.JSX.Element {
  return (
    <>
      <section className="settings-section" aria-labelledby="set-ai">
        <h2 id="set-ai">AI</h2>
        <AiSettings />
      </section>
      <section className="settings-section" aria-labelledby="set-templates">
        <h2 id="set-templates">Templates</h2>
        <Templates />
      </section>
    </>
  );
}
