import type { DesktopBridge } from '../../src/api/contract';

declare global {
  interface Window {
    /** Present only in the Electron app (exposed by the preload). */
    labdesk?: DesktopBridge;
  }
}
