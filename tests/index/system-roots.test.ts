import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { folderRefusal } from '../../src/folders/system-folders.js';
import { tempCore, tempDir } from '../helpers.js';

const realHome = process.env.HOME;
afterEach(() => {
  process.env.HOME = realHome;
});

describe('folders that must not become watched roots', () => {
  it.each(['/', '/proc', '/proc/self', '/sys', '/dev', '/etc', '/usr', '/var', '/run', '/boot'])(
    'refuses the system folder %s with a BadRequest that says what to add instead',
    async (folder) => {
      if (!fs.existsSync(folder)) return; // not on this system: nothing to add
      const core = await tempCore();
      await expect(core.api['roots.add']({ path: folder, confirm: true })).rejects.toMatchObject({
        name: 'BadRequest',
        message: expect.stringMatching(/is a system folder; Labdesk does not index it\. Add the project folder/),
      });
      expect(await core.api['roots.list']({})).toEqual([]);
    },
  );

  it('answers a path that is not a string with a BadRequest, not an internal error', async () => {
    const core = await tempCore();
    await expect(core.api['roots.add']({ path: 3 as unknown as string })).rejects.toMatchObject({
      name: 'BadRequest',
      message: expect.stringMatching(/^Give the folder as a path string/),
    });
  });

  it('takes the home folder only when confirmed, and folders inside it always', async () => {
    const home = fs.realpathSync(tempDir());
    fs.mkdirSync(path.join(home, 'project'));
    process.env.HOME = home;
    const core = await tempCore();
    for (const typed of [home, '~', `${home}/`]) {
      await expect(core.api['roots.add']({ path: typed })).rejects.toMatchObject({
        name: 'NeedsConfirm',
        message: `${home} is a home folder: indexing all of it is slow and finds caches and installed packages. ` +
          'Pick a project folder inside it, or confirm that you want all of it indexed.',
      });
    }
    expect(await core.api['roots.list']({})).toEqual([]);
    expect((await core.api['roots.add']({ path: '~/project' })).path).toBe(path.join(home, 'project'));
    expect((await core.api['roots.add']({ path: home, confirm: true })).path).toBe(home);
  });

  it('knows the Windows and macOS counterparts', () => {
    const win = (p: string, homes: string[] = []) => folderRefusal(p, 'win32', homes)?.kind ?? null;
    expect(win('C:\\')).toBe('system');
    expect(win('d:\\')).toBe('system');
    expect(win('C:\\Windows')).toBe('system');
    expect(win('c:\\windows\\')).toBe('system');
    expect(win('C:\\Program Files')).toBe('system');
    expect(win('C:\\Users')).toBe('home');
    expect(win('C:\\Users\\ada', ['C:\\Users\\ada'])).toBe('home');
    expect(win('C:\\Users\\ada\\runs', ['C:\\Users\\ada'])).toBeNull();
    expect(win('D:\\experiments')).toBeNull();
    const mac = (p: string) => folderRefusal(p, 'darwin', ['/Users/ada'])?.kind ?? null;
    expect(mac('/System')).toBe('system');
    expect(mac('/Library')).toBe('system');
    expect(mac('/private/var')).toBe('system');
    expect(mac('/Users')).toBe('home');
    expect(mac('/Users/ada')).toBe('home');
    expect(mac('/Users/ada/code/runs')).toBeNull();
    expect(mac('/Volumes/data/runs')).toBeNull();
  });
});
