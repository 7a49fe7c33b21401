/**
 * The run search box: autocomplete of fields, keys and statuses at the cursor, and a malformed
 * query's mistake underlined in the box itself with the parser's message under it — shown only after
 * a pause in typing (or on Enter), so a half-typed query is not called wrong while it is being written.
 */
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type Ref } from 'react';
import { CloseButton, Combobox, Kbd, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue, useMergedRef } from '@mantine/hooks';
import { IconAlertCircle, IconSearch } from '@tabler/icons-react';
import { focusRuns } from '../runs-focus';
import { useRunKeys, useRunValues } from '../../queries';
import { applySuggestion, suggestionsAt, valueFieldAt, type Suggestion } from './query-suggest';
import { useQueryProblem } from './query-problem';

/** How long typing must pause before a mistake is pointed out (Enter shows it at once). */
export const ERROR_PAUSE_MS = 600;

export function SearchBox({ value, onChange, inputRef }: { value: string; onChange: (value: string) => void; inputRef: Ref<HTMLInputElement> }) {
  const keys = useRunKeys();
  const combobox = useCombobox();
  const listId = useId();
  const ownRef = useRef<HTMLInputElement>(null);
  const ref = useMergedRef(ownRef, inputRef);
  const [cursor, setCursor] = useState(0);
  const [activeId, setActiveId] = useState<string | undefined>();
  const [revealedFor, setRevealedFor] = useState<string | null>(null);
  const [settled] = useDebouncedValue(value, ERROR_PAUSE_MS);

  const valueField = useMemo(() => valueFieldAt(value, cursor), [value, cursor]);
  const values = useRunValues(valueField);
  const { token, options } = useMemo(() => suggestionsAt(value, cursor, keys.data, values.data?.values), [value, cursor, keys.data, values.data]);
  const open = combobox.dropdownOpened && options.length > 0;

  const problem = useQueryProblem();
  const lead = value.length - value.trimStart().length;
  const showProblem = problem !== null && problem.query === value.trim() && (settled === value || revealedFor === value);

  // Suggestions open below the mistake's card, not over it.
  const inputId = useId();
  const [errorHeight, setErrorHeight] = useState(0);
  useEffect(() => {
    const card = showProblem ? document.getElementById(`${inputId}-error`) : null;
    const observer = new ResizeObserver(() => setErrorHeight(card?.offsetHeight ?? 0));
    if (card) observer.observe(card);
    else observer.observe(document.body);
    return () => observer.disconnect();
  }, [showProblem, inputId]);

  const change = (text: string, at: number) => {
    onChange(text);
    setCursor(at);
    setActiveId(undefined);
    combobox.resetSelectedOption();
    combobox.openDropdown();
  };

  const pick = (s: Suggestion) => {
    const next = applySuggestion(value, token, s);
    change(next.text, next.cursor);
    requestAnimationFrame(() => ownRef.current?.setSelectionRange(next.cursor, next.cursor));
  };

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(v) => {
        const s = options.find((o) => o.insert === v);
        if (s) pick(s);
      }}
      position="bottom-start"
      width="target"
      offset={errorHeight ? errorHeight + 8 : 4}
    >
      <Combobox.Target withKeyboardNavigation={false} withAriaAttributes={false}>
        <TextInput
          ref={ref}
          id={inputId}
          type="search"
          aria-label="Search runs"
          placeholder="Search runs — text, or metrics.val_acc > 0.9 and params.lr < 0.01"
          value={value}
          aria-autocomplete="list"
          aria-haspopup="listbox"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? activeId : undefined}
          onChange={(e) => change(e.currentTarget.value, e.currentTarget.selectionStart ?? e.currentTarget.value.length)}
          onSelect={(e) => setCursor(e.currentTarget.selectionStart ?? 0)}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            // Only while suggestions are open do the arrows and Enter belong to them; otherwise they pass on.
            if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
              e.preventDefault();
              setActiveId((e.key === 'ArrowDown' ? combobox.selectNextOption() : combobox.selectPreviousOption()) ?? undefined);
              return;
            }
            if (open && (e.key === 'Enter' || e.key === 'Tab') && combobox.getSelectedOptionIndex() !== -1) {
              e.preventDefault();
              combobox.clickSelectedOption();
              return;
            }
            // With no list open, ArrowDown goes on to the results; so does Enter with no option picked,
            // once the query has run without a mistake (right after typing, Enter first shows any mistake).
            // Enter does not wait for the list to close: whether suggestions are showing is a race.
            const ran = settled === value && !(problem && problem.query === value.trim());
            if ((!open && e.key === 'ArrowDown') || (e.key === 'Enter' && ran)) {
              e.preventDefault();
              combobox.closeDropdown();
              focusRuns();
              return;
            }
            if (e.key === 'Enter') {
              setRevealedFor(value);
              combobox.closeDropdown();
            }
            if (e.key === 'Escape') {
              if (open) {
                combobox.closeDropdown();
                return;
              }
              onChange('');
              e.currentTarget.blur();
            }
          }}
          leftSection={<IconSearch size={15} aria-hidden />}
          rightSectionWidth={value ? 32 : 40}
          rightSection={
            value ? (
              <CloseButton size="sm" aria-label="Clear search" onClick={() => onChange('')} />
            ) : (
              <Kbd size="xs" aria-hidden>
                /
              </Kbd>
            )
          }
          // Mantine's own error slot links the message to the box (aria-invalid, aria-describedby);
          // it is drawn as a card floating under the box so the 48 px top bar does not grow.
          error={
            showProblem ? (
              <>
                <IconAlertCircle size={16} aria-hidden style={{ flex: 'none', marginTop: 2 }} />
                <span>{problem.message}</span>
              </>
            ) : undefined
          }
          errorProps={{ role: 'alert' }}
          inputContainer={(input) => (
            <QueryOverlay input={input} inputRef={ownRef} text={value} at={showProblem && problem.at ? { start: problem.at.start + lead, end: problem.at.end + lead } : null} />
          )}
          classNames={{ root: 'ld-search-root', input: 'ld-mono', error: 'ld-search-error' }}
          style={{ flex: 1, maxWidth: 720 }}
          spellCheck={false}
          autoComplete="off"
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={options.length === 0}>
        <Combobox.Options id={listId} aria-label="Search suggestions" mah={320} style={{ overflowY: 'auto' }}>
          {groups(options).map(([group, items]) => (
            <Combobox.Group label={group} key={group}>
              {items.map((o) => (
                <Combobox.Option value={o.insert} key={o.insert} className="ld-mono">
                  {o.label}
                </Combobox.Option>
              ))}
            </Combobox.Group>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

function groups(options: Suggestion[]): [string, Suggestion[]][] {
  const by = new Map<string, Suggestion[]>();
  for (const o of options) by.set(o.group, [...(by.get(o.group) ?? []), o]);
  return [...by];
}

/**
 * The input with a copy of its text drawn behind it in transparent ink, where only the span the
 * parser names carries a wavy underline: the mark sits exactly under the typed characters.
 */
function QueryOverlay({
  input, inputRef, text, at,
}: { input: ReactNode; inputRef: React.RefObject<HTMLInputElement | null>; text: string; at: { start: number; end: number } | null }) {
  const layer = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = inputRef.current;
    const l = layer.current;
    if (!el || !l) return;
    const css = getComputedStyle(el);
    Object.assign(l.style, {
      left: `${el.offsetLeft}px`, top: `${el.offsetTop}px`, width: `${el.offsetWidth}px`, height: `${el.offsetHeight}px`,
      paddingLeft: css.paddingLeft, paddingRight: css.paddingRight, font: css.font, letterSpacing: css.letterSpacing,
      lineHeight: `${el.clientHeight}px`,
    });
    const sync = () => (l.scrollLeft = el.scrollLeft);
    sync();
    el.addEventListener('scroll', sync);
    return () => el.removeEventListener('scroll', sync);
  });
  const end = at ? Math.max(at.end, at.start + 1) : 0;
  return (
    <div style={{ position: 'relative' }}>
      {input}
      {at && (
        <div ref={layer} aria-hidden className="ld-search-underline">
          {text.slice(0, at.start)}
          <mark className="ld-query-error">{text.slice(at.start, end) || ' '}</mark>
          {text.slice(end)}
        </div>
      )}
    </div>
  );
}
