/** plotly layout pieces shared by the compare tabs, in the colours of the current theme. */
import type { Layout } from 'plotly.js-strict-dist-min';
import { plotColors } from '../../theme';

export type Scheme = 'light' | 'dark';

/** Room right of the plot for the upright modebar (its buttons are 22 px wide). */
const MODEBAR_MARGIN = 34;

/** Solid backgrounds for exported images (on screen the charts are transparent over their card). */
export const exportBackground = (scheme: Scheme) => (scheme === 'dark' ? '#242424' : '#ffffff');

/**
 * Axes, fonts, hover labels and margins for a cartesian chart; callers add axis titles and ranges. The
 * modebar stands upright in a right margin of its own, so on hover it never covers the legend above the
 * plot (a horizontal modebar sits on the legend's row).
 */
export function baseLayout(scheme: Scheme): Layout {
  const c = plotColors(scheme);
  const axis = { gridcolor: c.grid, zerolinecolor: c.zero, linecolor: c.grid, automargin: true, tickfont: { size: 11 } };
  return {
    margin: { l: 52, r: MODEBAR_MARGIN, t: 10, b: 40 },
    modebar: { orientation: 'v', bgcolor: 'rgba(0,0,0,0)', color: c.zero, activecolor: c.text },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: c.text, size: 12, family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    hoverlabel: { bgcolor: c.hoverBg, bordercolor: c.grid, font: { color: c.text, size: 12 } },
    xaxis: { ...axis },
    yaxis: { ...axis, tickformat: '~g' },
    showlegend: false,
  };
}

/** A horizontal legend above the plot; clicks are off because the runs panel owns visibility. */
export function topLegend(scheme: Scheme): Layout['legend'] {
  const c = plotColors(scheme);
  return {
    orientation: 'h',
    x: 0,
    xanchor: 'left',
    y: 1.02,
    yanchor: 'bottom',
    font: { color: c.text, size: 11 },
    bgcolor: 'rgba(0,0,0,0)',
    itemclick: false,
    itemdoubleclick: false,
  };
}
