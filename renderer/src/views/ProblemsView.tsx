/** Every file Labdesk could not read, newest first, with the reason. */
import { Alert, Box, Group, Loader, Text, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { EmptyState } from '../components/EmptyState';
import { ProblemsTable } from '../components/ProblemsTable';
import { plural } from '../format';
import { useProblems } from '../queries';

export function ProblemsView() {
  const problems = useProblems();

  return (
    <Box p="md">
      <Group justify="space-between" mb="sm">
        <Title order={1}>Problems</Title>
        {problems.data && problems.data.length > 0 && (
          <Text size="sm" c="dimmed">
            {plural(problems.data.length, 'file')} could not be read
          </Text>
        )}
      </Group>
      {problems.isPending && <Loader size="sm" aria-label="Loading problems" />}
      {problems.error && (
        <Alert color="red" title="Could not list problems" role="alert">
          {problems.error.message}
        </Alert>
      )}
      {problems.data?.length === 0 && (
        <EmptyState color="teal" icon={<IconCircleCheck size={26} />} title="No problems: every file was read">
          <Text c="dimmed">
            When a file cannot be read — truncated, malformed, or in a format Labdesk does not know
            yet — it is listed here with the reason, and the rest of the run is still indexed.
          </Text>
        </EmptyState>
      )}
      {problems.data && problems.data.length > 0 && <ProblemsTable problems={problems.data} />}
    </Box>
  );
}
