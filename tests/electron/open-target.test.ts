import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAction } from '../../electron/main/open-target.js';
import { tempDir } from '../helpers.js';

/** A folder macOS would launch: an application bundle with an executable inside (never run here). */
function appBundle(parent: string, name: string): string {
  const app = path.join(parent, name);
  fs.mkdirSync(path.join(app, 'Contents', 'MacOS'), { recursive: true });
  fs.writeFileSync(path.join(app, 'Contents', 'Info.plist'), '<plist><dict><key>CFBundleExecutable</key><string>run</string></dict></plist>');
  fs.writeFileSync(path.join(app, 'Contents', 'MacOS', 'run'), '#!/bin/sh\ntouch /tmp/labdesk-launched\n', { mode: 0o755 });
  return app;
}

const actionFor = (target: string, platform: NodeJS.Platform) => openAction(target, fs.statSync(target).isDirectory(), platform);

describe('opening a run target from the desktop app', () => {
  it('on macOS reveals a run folder named like an app, never opens it', () => {
    const root = tempDir();
    const app = appBundle(root, 'Experiment.app');
    expect(actionFor(app, 'darwin')).toBe('reveal');
    expect(openAction(`${app}/`, true, 'darwin')).toBe('reveal');
    for (const name of ['x.bundle', 'Y.framework', 'z.PLUGIN', 'setup.pkg']) {
      const dir = path.join(root, name);
      fs.mkdirSync(dir);
      expect(actionFor(dir, 'darwin')).toBe('reveal');
    }
  });

  it('on macOS reveals every folder, and a file named like a package too', () => {
    const root = tempDir();
    const run = path.join(root, 'lightning_logs', 'version_0');
    fs.mkdirSync(run, { recursive: true });
    expect(actionFor(run, 'darwin')).toBe('reveal');
    const lying = path.join(root, 'notes.app');
    fs.writeFileSync(lying, 'not a bundle');
    expect(actionFor(lying, 'darwin')).toBe('reveal');
  });

  it('opens a notebook file in its app, and folders in the file manager elsewhere', () => {
    const root = tempDir();
    const nb = path.join(root, 'train.ipynb');
    fs.writeFileSync(nb, '{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}');
    expect(actionFor(nb, 'darwin')).toBe('open');
    const app = appBundle(root, 'Experiment.app');
    expect(actionFor(app, 'linux')).toBe('open');
    expect(actionFor(app, 'win32')).toBe('open');
  });
});
