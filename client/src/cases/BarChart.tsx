import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";
import { useEffect, useRef } from "react";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** A horizontal bar chart (Chart.js on a canvas: light enough for old office PCs). */
export function BarChart({ labels, values, label, color = "#1f6fb8" }: { labels: string[]; values: number[]; label: string; color?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: "bar",
      data: { labels, datasets: [{ label, data: values, backgroundColor: color, borderRadius: 4 }] },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { tooltip: { enabled: true } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    return () => chart.destroy();
  }, [labels, values, label, color]);
  return (
    <div className="chart" style={{ height: `${Math.max(120, labels.length * 34 + 40)}px` }}>
      <canvas ref={canvas} role="img" aria-label={`${label}: ${labels.map((name, i) => `${name} ${values[i]}`).join(", ")}`} />
    </div>
  );
}
