// Peak resident memory of this process while a phase runs, sampled every 100 ms.

export interface MemoryPeak {
  baselineRss: number;
  peakRss: number;
  peakHeapUsed: number;
  samples: number;
}

export function sampleMemory(): { stop(): MemoryPeak } {
  const first = process.memoryUsage();
  const peak: MemoryPeak = { baselineRss: first.rss, peakRss: first.rss, peakHeapUsed: first.heapUsed, samples: 1 };
  const take = () => {
    const m = process.memoryUsage();
    peak.peakRss = Math.max(peak.peakRss, m.rss);
    peak.peakHeapUsed = Math.max(peak.peakHeapUsed, m.heapUsed);
    peak.samples++;
  };
  const timer = setInterval(take, 100);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { ...peak };
    },
  };
}
