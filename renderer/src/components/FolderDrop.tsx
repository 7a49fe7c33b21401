/**
 * Dropping folders anywhere on the window adds them. The desktop app learns a dropped folder's path
 * and watches it in place; the browser hides paths, so there the folder is copied into Labdesk's
 * imports folder and the copy is indexed.
 */
import { useEffect, useState } from 'react';
import { Text } from '@mantine/core';
import { client } from '../api-client';
import { foldersFromDrop } from '../folder-import';
import { useAddFolder } from './AddFolderDialog';

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

export function FolderDrop() {
  const { addPath, openDialog, importFolders } = useAddFolder();
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
      if (paths.length) {
        paths.forEach(addPath);
        return;
      }
      // Read the entries now: the DataTransfer is emptied once this handler returns.
      const dt = e.dataTransfer;
      if (!dt) return;
      void foldersFromDrop(dt).then((folders) => {
        if (folders?.length) importFolders(folders);
        else openDialog('Drop a folder rather than single files, or type the path of a folder on the machine running Labdesk.');
      });
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
  }, [addPath, openDialog, importFolders]);

  if (!dragging) return null;
  return (
    <div className="ld-drop-overlay" aria-hidden>
      <Text size="lg" fw={600}>
        {client.shell === 'desktop' ? 'Drop a folder to add it as a source' : 'Drop a folder to copy it into Labdesk and index it'}
      </Text>
    </div>
  );
}
