/**
 * Dropping folders anywhere on the window adds them. Only the desktop app can learn a dropped
 * folder's path; the browser hides it, so there the drop opens the path dialog with an explanation.
 */
import { useEffect, useState } from 'react';
import { Text } from '@mantine/core';
import { client } from '../api-client';
import { useAddFolder } from './AddFolderDialog';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

export function FolderDrop() {
  const { addPath, openDialog } = useAddFolder();
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let depth = 0; // dragenter/leave fire for every child element crossed
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // allows the drop
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'link';
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // never let the browser navigate to the dropped file
      depth = 0;
      setDragging(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      const paths = files.map((f) => client.pathForFile(f)).filter((p): p is string => !!p);
      if (paths.length) paths.forEach(addPath);
      else
        openDialog(
          'Browsers do not reveal where a dropped folder lives, so type its path here. (Dropping works in the desktop app.)',
        );
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [addPath, openDialog]);

  if (!dragging) return null;
  return (
    <div className="ld-drop-overlay" aria-hidden>
      <Text size="lg" fw={600}>
        Drop a folder to add it as a source
      </Text>
    </div>
  );
}
