/** The x axis switch of metric charts (compare view and run page): step, wall time, relative time. */
import { SegmentedControl, Stack, Text } from '@mantine/core';
import type { XAxisMode } from './series';

export function XAxisControl({ id, value, onChange, timeless = false }: { id: string; value: XAxisMode; onChange: (mode: XAxisMode) => void; timeless?: boolean }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id={id}>
        X axis
      </Text>
      <SegmentedControl
        aria-labelledby={id}
        size="xs"
        value={value}
        onChange={(v) => onChange(v as XAxisMode)}
        data={[
          { value: 'step', label: 'Step' },
          { value: 'wall', label: 'Wall time', disabled: timeless },
          { value: 'relative', label: 'Relative time', disabled: timeless },
        ]}
      />
    </Stack>
  );
}
