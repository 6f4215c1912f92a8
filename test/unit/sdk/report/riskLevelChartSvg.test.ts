import { riskLevelChartSvg, riskLevelColors } from "../../../../sdk/report/riskLevelChartSvg";

const groups = [
    { key: "1", label: "Export 1", sublabel: "2025-01-30 08:00 UTC", counts: { high: 145, medium: 407, low: 1448 } },
    { key: "2", label: "Export 2", sublabel: "2025-01-31 08:00 UTC", counts: { high: 161, medium: 0, low: 1436 } },
];

interface Bar {
    level: string;
    exportKey: string;
    count: number;
    y: number;
    height: number;
    fill: string;
}

function barsOf(svg: string): Bar[] {
    return [
        ...svg.matchAll(
            /<rect class="bar bar-(\w+)" data-level="(\w+)" data-export="([^"]*)" data-count="(\d+)" x="[\d.]+" y="([\d.]+)" width="\d+" height="([\d.]+)" rx="2" fill="([^"]+)">/g,
        ),
    ].map((m) => {
        expect(m[1]).toBe(m[2]);
        return { level: m[2]!, exportKey: m[3]!, count: Number(m[4]), y: Number(m[5]), height: Number(m[6]), fill: m[7]! };
    });
}

describe("riskLevelChartSvg", () => {
    const svg = riskLevelChartSvg(groups, { title: "Users per risk level", idPrefix: "chart-1" });
    const bars = barsOf(svg);

    it("draws one bar per level per group, coloured by level, in the order high, medium, low", () => {
        expect(bars.map((b) => `${b.exportKey}:${b.level}:${b.count}`)).toEqual([
            "1:high:145",
            "1:medium:407",
            "1:low:1448",
            "2:high:161",
            "2:medium:0",
            "2:low:1436",
        ]);
        for (const b of bars) expect(b.fill).toBe(riskLevelColors[b.level as "high"]);
    });

    it("scales heights to counts on a shared baseline, with a hairline for zero", () => {
        const baselines = new Set(bars.map((b) => Math.round((b.y + b.height) * 10) / 10));
        expect(baselines.size).toBe(1);
        const low1 = bars[2]!;
        const high1 = bars[0]!;
        expect(high1.height / low1.height).toBeCloseTo(145 / 1448, 2);
        expect(bars[4]!.height).toBe(1);
        // The axis goes to a round number at or above the largest count: 1,500 for 1,448.
        expect(svg).toContain(">1,500</text>");
        expect(low1.height).toBeCloseTo((1448 / 1500) * 200, 0);
    });

    it("labels each bar with its count and level, each group with its export, and has a legend", () => {
        const counts = [...svg.matchAll(/<text class="bar-count"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
        expect(counts).toEqual(["145", "407", "1,448", "161", "0", "1,436"]);
        const levels = [...svg.matchAll(/<text class="bar-level"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);
        expect(levels).toEqual(["high", "medium", "low", "high", "medium", "low"]);
        expect([...svg.matchAll(/<text class="group-label"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(["Export 1", "Export 2"]);
        expect(svg).toContain(">2025-01-31 08:00 UTC</text>");
        expect([...svg.matchAll(/<g class="legend">([\s\S]*?)<\/g>/g)][0]![1]).toMatch(/>High<[\s\S]*>Medium<[\s\S]*>Low</);
        expect(svg).toContain(`<title id="chart-1-title">Users per risk level</title>`);
        expect(svg).toContain("Export 1 (2025-01-30 08:00 UTC): high 145, medium 407, low 1448");
    });

    it("escapes labels and the title, and refers to nothing outside itself", () => {
        const hostile = riskLevelChartSvg([{ key: `"x"`, label: "<script>1</script>", counts: { high: 1, medium: 2, low: 3 } }], {
            title: "a & <b>",
            idPrefix: `c"1`,
        });
        expect(hostile).not.toMatch(/<script|<b>/);
        expect(hostile).toContain("&lt;script&gt;1&lt;/script&gt;");
        expect(hostile).toContain(`data-export="&quot;x&quot;"`);
        expect(hostile).toContain(`id="c&quot;1-title"`);
        expect(hostile).not.toMatch(/href|src=|url\(/);
    });

    it("keeps a usable axis for tiny and empty counts", () => {
        const tiny = barsOf(
            riskLevelChartSvg([{ key: "1", label: "E", counts: { high: 0, medium: 1, low: 3 } }], { title: "t", idPrefix: "t" }),
        );
        expect(tiny.map((b) => b.height)).toEqual([1, 66.7, 200]);
        const empty = barsOf(
            riskLevelChartSvg([{ key: "1", label: "E", counts: { high: 0, medium: 0, low: 0 } }], { title: "t", idPrefix: "t" }),
        );
        expect(empty.map((b) => b.height)).toEqual([1, 1, 1]);
    });
});
