/** Native dialogs used by both IPC (the renderer's "Add folder" button) and the File menu. */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';

/** Asks for one or more folders to index; [] when the user cancels. */
export async function pickFolders(parent: BrowserWindow | null, multiple: boolean): Promise<string[]> {
  const options: OpenDialogOptions = {
    title: 'Add a folder to Labdesk',
    buttonLabel: 'Add Folder',
    properties: multiple ? ['openDirectory', 'multiSelections'] : ['openDirectory'],
  };
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}
