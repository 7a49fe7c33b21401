/**
 * The smoothing slider of the compare view's and the run page's charts: an exponential moving
 * average's weight, 0 (off) to 0.99. While it is dragged only its label follows unless `live`
 * (redrawing is cheap), and the charts redraw when it is let go.
 */
import { useState } from 'react';
import { Slider, Stack, Text } from '@mantine/core';

const label = (v: number) => (v > 0 ? v.toFixed(2) : 'off');

export function SmoothingControl({
  id,
  value,
  onChange,
  live = false,
}: {
  /** The label's id (the slider is named by it). */
  id: string;
  value: number;
  onChange: (smoothing: number) => void;
  live?: boolean;
}) {
  const [draft, setDraft] = useState<number | null>(null);
  const shown = draft ?? value;
  return (
    <Stack gap={4} w={200}>
      <Text size="sm" fw={500} id={id}>
        Smoothing {label(shown)}
      </Text>
      <Slider
        thumbLabel="Smoothing"
        aria-labelledby={id}
        min={0}
        max={0.99}
        step={0.01}
        value={shown}
        onChange={(v) => (live ? onChange(v) : setDraft(v))}
        onChangeEnd={(v) => {
          setDraft(null);
          onChange(v);
        }}
        label={label}
        size="sm"
        mb={6}
      />
    </Stack>
  );
}
