package dev.ordercachesync.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Draws the run's figures as one PNG of four panels, with Java2D only (headless). */
final class Chart {
    private static final int W = 1400;
    private static final int H = 1000;
    private static final Color BASELINE = new Color(0xC0504D);
    private static final Color[] JOB = {new Color(0x4F81BD), new Color(0x1F4E79), new Color(0x7FA7D9), new Color(0x2E75B6)};
    private static final Color GOAL = new Color(0x2E7D32);
    private static final Color GRID = new Color(0xDDDDDD);
    private static final Stroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);

    private Chart() {}

    static void draw(Figures f, BenchOptions o, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(String.format(Locale.ROOT, "order-cache-sync vs the workshop Lambda — %d ms injected Momento latency, %s cores, load %s",
                o.latencyMillis, f.machine.get("cores (nproc)"), f.loadBefore), 30, 32);

        List<String> labels = new ArrayList<>();
        List<Color> colors = new ArrayList<>();
        for (int i = 0; i < f.sides.size(); i++) {
            Figures.Side s = f.sides.get(i);
            labels.add(i == 0 ? "Lambda" : "job p=" + s.parallelism);
            colors.add(i == 0 ? BASELINE : JOB[(i - 1) % JOB.length]);
        }

        double[] rates = new double[f.sides.size()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = f.sides.get(i).changesPerSecond;
        }
        Panel p1 = new Panel(g, 60, 70, 600, 380, "Sustained changes per second (log scale)");
        p1.logBars(labels, colors, rates, "%,.0f");

        Panel p2 = new Panel(g, 760, 70, 600, 380, "Momento operations per change (recorded pace)");
        p2.stackedOps(labels, f);

        Panel p3 = new Panel(g, 60, 560, 600, 380, "Freshness p50 / p99, all views (ms, log scale; goal is on p99)");
        p3.freshness(labels, colors, f);

        Panel p4 = new Panel(g, 760, 560, 600, 380, String.format(Locale.ROOT, "Time per change vs live orders (µs, log scale; job p=%d)", o.scalingParallelism()));
        p4.scaling(f);

        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static final class Panel {
        final Graphics2D g;
        final int x;
        final int y;
        final int w;
        final int h;

        Panel(Graphics2D g, int x, int y, int w, int h, String title) {
            this.g = g;
            this.x = x;
            this.y = y;
            this.w = w;
            this.h = h;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, x, y - 12);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        }

        /** Log axis from the decade below min to the decade above max; returns {lo, hi} exponents. */
        double[] logAxis(double min, double max) {
            double lo = Math.floor(Math.log10(Math.max(min, 1e-3)));
            double hi = Math.ceil(Math.log10(Math.max(max, 1e-3)));
            if (hi <= lo) {
                hi = lo + 1;
            }
            for (double e = lo; e <= hi; e++) {
                int yy = ly(Math.pow(10, e), lo, hi);
                g.setColor(GRID);
                g.drawLine(x, yy, x + w, yy);
                g.setColor(Color.DARK_GRAY);
                String label = e >= 0 ? String.format(Locale.ROOT, "%,.0f", Math.pow(10, e)) : String.format(Locale.ROOT, "%s", Math.pow(10, e));
                g.drawString(label, x - 8 - g.getFontMetrics().stringWidth(label), yy + 4);
            }
            axes();
            return new double[] {lo, hi};
        }

        int ly(double v, double lo, double hi) {
            double e = Math.log10(Math.max(v, Math.pow(10, lo)));
            return (int) Math.round(y + h - (e - lo) / (hi - lo) * h);
        }

        void axes() {
            g.setColor(Color.BLACK);
            g.drawLine(x, y, x, y + h);
            g.drawLine(x, y + h, x + w, y + h);
        }

        void logBars(List<String> labels, List<Color> colors, double[] values, String format) {
            double min = Double.MAX_VALUE;
            double max = 0;
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double[] axis = logAxis(min, max);
            int slot = w / values.length;
            for (int i = 0; i < values.length; i++) {
                int bx = x + i * slot + slot / 4;
                int top = ly(values[i], axis[0], axis[1]);
                g.setColor(colors.get(i));
                g.fillRect(bx, top, slot / 2, y + h - top);
                g.setColor(Color.BLACK);
                center(String.format(Locale.ROOT, format, values[i]), bx + slot / 4, top - 6);
                center(labels.get(i), bx + slot / 4, y + h + 18);
            }
        }

        void stackedOps(List<String> labels, Figures f) {
            double max = 0;
            for (Figures.Side s : f.sides) {
                max = Math.max(max, s.opsPerChange());
            }
            double top = Math.ceil(Math.max(max, Report.GOAL_OPS) + 0.5);
            for (int t = 0; t <= top; t++) {
                int yy = (int) (y + h - t / top * h);
                g.setColor(GRID);
                g.drawLine(x, yy, x + w, yy);
                g.setColor(Color.DARK_GRAY);
                g.drawString(Integer.toString(t), x - 16, yy + 4);
            }
            axes();
            Color[] parts = {new Color(0xF2A541), new Color(0x4F81BD), new Color(0x9BBB59)};
            String[] names = {"get", "set", "delete"};
            int slot = w / f.sides.size();
            for (int i = 0; i < f.sides.size(); i++) {
                Figures.Side s = f.sides.get(i);
                double[] per = {(double) s.pacedOps.gets / s.changes, (double) s.pacedOps.sets / s.changes,
                    (double) s.pacedOps.deletes / s.changes};
                int bx = x + i * slot + slot / 4;
                double acc = 0;
                for (int k = 0; k < 3; k++) {
                    int y0 = (int) (y + h - acc / top * h);
                    acc += per[k];
                    int y1 = (int) (y + h - acc / top * h);
                    g.setColor(parts[k]);
                    g.fillRect(bx, y1, slot / 2, y0 - y1);
                }
                g.setColor(Color.BLACK);
                center(String.format(Locale.ROOT, "%.2f", s.opsPerChange()), bx + slot / 4, (int) (y + h - acc / top * h) - 6);
                center(labels.get(i), bx + slot / 4, y + h + 18);
            }
            goalLine((int) (y + h - Report.GOAL_OPS / top * h), "goal ≤ 2.2");
            legend(parts, names, x + w - 90, y + 10);
        }

        void freshness(List<String> sideLabels, List<Color> sideColors, Figures f) {
            List<Figures.Side> sides = new ArrayList<>(f.sides);
            List<String> labels = new ArrayList<>(sideLabels);
            List<Color> colors = new ArrayList<>(sideColors);
            if (f.viaDynamoDb != null) {
                sides.add(f.viaDynamoDb);
                labels.add("job p=" + f.viaDynamoDb.parallelism + " via DynamoDB");
                colors.add(new Color(0x8064A2));
            }
            double min = Double.MAX_VALUE;
            double max = Report.GOAL_P99_MS;
            for (Figures.Side s : sides) {
                min = Math.min(min, Math.max(s.freshP50, 1));
                max = Math.max(max, s.freshP99);
            }
            double[] axis = logAxis(min, max);
            int slot = w / sides.size();
            for (int i = 0; i < sides.size(); i++) {
                Figures.Side s = sides.get(i);
                int bx = x + i * slot + slot / 6;
                int bw = slot / 3;
                double[] v = {s.freshP50, s.freshP99};
                for (int k = 0; k < 2; k++) {
                    int top = ly(v[k], axis[0], axis[1]);
                    g.setColor(k == 0 ? colors.get(i).brighter() : colors.get(i));
                    g.fillRect(bx + k * bw, top, bw - 4, y + h - top);
                    g.setColor(Color.BLACK);
                    center(Report.ms(v[k]), bx + k * bw + bw / 2, top - 6);
                }
                center(labels.get(i) + (i == 0 ? " (backlog)" : ""), bx + bw, y + h + 18);
            }
            goalLine(ly(Report.GOAL_P99_MS, axis[0], axis[1]), "goal p99 < 1 s");
        }

        void scaling(Figures f) {
            int n = f.scales.size();
            double[] job = new double[n];
            double[] base = new double[n];
            double min = Double.MAX_VALUE;
            double max = 0;
            for (int i = 0; i < n; i++) {
                job[i] = f.scales.get(i).jobMicrosPerChange;
                base[i] = f.scales.get(i).baselineMillisPerChange * 1000;
                min = Math.min(min, Math.min(job[i], base[i]));
                max = Math.max(max, Math.max(job[i], base[i]));
            }
            double[] axis = logAxis(min, max);
            int step = n > 1 ? (w - 80) / (n - 1) : 0;
            series(job, step, axis, JOB[1]);
            series(base, step, axis, BASELINE);
            g.setColor(Color.BLACK);
            for (int i = 0; i < n; i++) {
                center(String.format(Locale.ROOT, "%,d", f.scales.get(i).liveOrders), x + 40 + i * step, y + h + 18);
            }
            legend(new Color[] {BASELINE, JOB[1]}, new String[] {"Lambda", "job"}, x + w - 90, y + 10);
        }

        void series(double[] v, int step, double[] axis, Color color) {
            g.setColor(color);
            g.setStroke(new BasicStroke(2.5f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < v.length; i++) {
                int cx = x + 40 + i * step;
                int cy = ly(v[i], axis[0], axis[1]);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                }
                g.fillOval(cx - 5, cy - 5, 10, 10);
                String label = v[i] >= 1000 ? String.format(Locale.ROOT, "%,.1f ms", v[i] / 1000) : String.format(Locale.ROOT, "%,.0f µs", v[i]);
                g.drawString(label, cx + 8, cy - 8);
                px = cx;
                py = cy;
            }
            g.setStroke(new BasicStroke(1));
        }

        void goalLine(int yy, String text) {
            g.setColor(GOAL);
            Stroke old = g.getStroke();
            g.setStroke(DASHED);
            g.drawLine(x, yy, x + w, yy);
            g.setStroke(old);
            g.drawString(text, x + 6, yy - 4);
        }

        void legend(Color[] colors, String[] names, int lx, int ly) {
            for (int i = 0; i < colors.length; i++) {
                g.setColor(colors[i]);
                g.fillRect(lx, ly + i * 18, 12, 12);
                g.setColor(Color.BLACK);
                g.drawString(names[i], lx + 18, ly + i * 18 + 11);
            }
        }

        void center(String s, int cx, int baseline) {
            g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
        }
    }
}
