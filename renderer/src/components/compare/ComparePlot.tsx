/**
 * The compare view's plotly wrapper: like components/Plot, plus what comparing needs — any trace type
 * (parcoords too), export as PNG/SVG, plotly events, and `data-traces` / `data-renders` attributes set
 * each time plotly has drawn (tests and the benchmark wait on them).
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ActionIcon, Center, Group, Loader, Menu, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconFileTypeSvg, IconPhoto } from '@tabler/icons-react';
import type { Config, Layout, PlotData } from 'plotly.js-strict-dist-min';
import { preloadPlotly, usePlotly } from '../use-plotly';

/** A plotly trace of any type; the renderer's plotly typings only describe scatter traces. */
export type Trace = Record<string, unknown>;

export { preloadPlotly };

/**
 * Draws run one per task, in the order asked: with 100 runs a chart takes a few hundred ms to draw,
 * and drawing four in one task would freeze the page for all of them. Between draws the browser
 * paints (the first chart appears sooner) and handles input.
 */
const drawQueue: (() => Promise<void>)[] = [];
let drawing = false;
function scheduleDraw(draw: () => Promise<void>): void {
  drawQueue.push(draw);
  if (drawing) return;
  drawing = true;
  void (async () => {
    while (drawQueue.length) {
      await drawQueue.shift()!().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    drawing = false;
  })();
}

/** plotly's element, with the events it adds and the data it keeps. */
export type PlotElement = HTMLDivElement & {
  on?: (event: string, handler: (e: unknown) => void) => void;
  removeListener?: (event: string, handler: (e: unknown) => void) => void;
  data?: Trace[];
};

/**
 * Whether WebGL here is drawn by a GPU. Headless browsers and blocklisted GPUs fall back to a software
 * rasterizer (SwiftShader, llvmpipe) where plotly's scattergl is slower than SVG: measured with 100 runs,
 * a 6 s main-thread block against 1.4 s. scattergl is used only where it is the faster choice.
 */
export const hardwareWebgl: boolean = (() => {
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !/swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
  } catch {
    return false;
  }
})();

const CONFIG: Config = {
  displaylogo: false,
  displayModeBar: 'hover',
  modeBarButtonsToRemove: ['lasso2d', 'select2d', 'toImage'],
  responsive: false,
};

function safeFileName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || 'chart';
}

export function ComparePlot({
  data,
  layout,
  height,
  label,
  exportName,
  exportBackground,
  onEvent,
  title,
  actions,
}: {
  /** The header's left side (the metric name, say); the export menu sits on its right. */
  title: ReactNode;
  /** Extra controls beside the export menu. */
  actions?: ReactNode;
  data: Trace[];
  layout: Layout;
  height: number;
  /** The accessible name of the chart (role img). */
  label: string;
  /** Base of the exported file names; also names the export menu. */
  exportName: string;
  /** Exports get a solid background (the page's), not the transparent one shown in a card. */
  exportBackground: string;
  /** plotly events to listen to, e.g. `plotly_restyle` for parcoords brushing. */
  onEvent?: { name: string; handler: (el: PlotElement) => void };
}) {
  const ref = useRef<PlotElement>(null);
  const { plotly, error: loadError } = usePlotly();
  const [drawError, setError] = useState<string | null>(null);
  const error = loadError ?? drawError;

  useEffect(() => {
    const el = ref.current;
    if (!plotly || !el) return;
    let alive = true;
    // A draw superseded before its turn (new data, unmounted) is skipped.
    scheduleDraw(async () => {
      if (!alive) return;
      try {
        await plotly.react(el, data as PlotData[], { ...layout, height, autosize: true }, CONFIG);
        if (!alive) return;
        el.dataset.traces = String(data.length);
        el.dataset.renders = String(Number(el.dataset.renders ?? 0) + 1);
      } catch (e) {
        if (alive) setError(String(e));
      }
    });
    return () => {
      alive = false;
    };
  }, [plotly, data, layout, height]);

  useEffect(() => {
    const el = ref.current;
    if (!plotly || !el || !onEvent) return;
    const handler = () => onEvent.handler(el);
    el.on?.(onEvent.name, handler);
    return () => el.removeListener?.(onEvent.name, handler);
  }, [plotly, onEvent]);

  useEffect(() => {
    const el = ref.current;
    if (!plotly || !el) return;
    const observer = new ResizeObserver(() => {
      if (el.dataset.traces !== undefined) plotly.Plots.resize(el);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plotly.purge(el);
    };
  }, [plotly]);

  const download = async (format: 'png' | 'svg') => {
    const el = ref.current;
    if (!plotly || !el) return;
    const shown = { paper_bgcolor: layout.paper_bgcolor ?? 'rgba(0,0,0,0)', plot_bgcolor: layout.plot_bgcolor ?? 'rgba(0,0,0,0)' };
    await plotly.relayout(el, { paper_bgcolor: exportBackground, plot_bgcolor: exportBackground });
    try {
      await plotly.downloadImage(el, { format, filename: safeFileName(exportName), width: el.clientWidth, height, scale: format === 'png' ? 2 : 1 });
    } finally {
      await plotly.relayout(el, shown);
    }
  };

  return (
    <div>
      <Group justify="space-between" gap="xs" wrap="nowrap" mb={4} mih={26}>
        <div style={{ minWidth: 0, flex: 1 }}>{title}</div>
        <Group gap={4} wrap="nowrap">
          {actions}
          <Menu position="bottom-end" withinPortal disabled={!plotly}>
            <Menu.Target>
              <Tooltip label="Export as PNG or SVG" withArrow openDelay={400}>
                <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Export ${exportName}`} disabled={!plotly}>
                  <IconDownload size={15} aria-hidden />
                </ActionIcon>
              </Tooltip>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPhoto size={14} aria-hidden />} onClick={() => void download('png')}>
                Download PNG
              </Menu.Item>
              <Menu.Item leftSection={<IconFileTypeSvg size={14} aria-hidden />} onClick={() => void download('svg')}>
                Download SVG
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <div style={{ position: 'relative', height }}>
        <div ref={ref} role="img" aria-label={label} style={{ height, width: '100%' }} />
        {(!plotly || error) && (
          <Center pos="absolute" inset={0}>
            {error ? (
              <Text size="sm" c="red">
                Could not draw this chart: {error}
              </Text>
            ) : (
              <Loader size="sm" aria-label="Loading chart" />
            )}
          </Center>
        )}
      </div>
    </div>
  );
}
