import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  Tooltip,
  type ChartData,
} from 'chart.js';
import { useEffect, useRef } from 'react';

// Only what the reports draw (bars, doughnut): chart.js is tree-shaken to these.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

/**
 * One chart.js chart on a canvas, redrawn when its data changes. The canvas is an image with a
 * text alternative; the figures themselves are always in the table beside it.
 */
export function ChartCanvas({
  type,
  data,
  label,
  testId,
  stacked = false,
  small = false,
}: {
  type: 'bar' | 'doughnut';
  data: ChartData<'bar' | 'doughnut'>;
  label: string;
  testId: string;
  stacked?: boolean;
  small?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type,
      data: data as ChartData<'bar'>,
      options: {
        responsive: true,
        maintainAspectRatio: false,
        // Printing and screenshots show the finished chart, not a frame of its animation.
        animation: false,
        plugins: { legend: { position: 'bottom', labels: { color: '#15171c', font: { size: 14 } } } },
        scales:
          type === 'bar'
            ? {
                x: { stacked, ticks: { color: '#15171c' } },
                y: { stacked, beginAtZero: true, ticks: { color: '#15171c', precision: 0 } },
              }
            : {},
      },
    });
    return () => chart.destroy();
  }, [type, data, stacked]);
  return (
    <div className={small ? 'reports-chart reports-chart-small' : 'reports-chart'}>
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId}>
        {label}
      </canvas>
    </div>
  );
}
