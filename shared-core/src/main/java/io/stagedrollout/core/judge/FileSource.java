package io.stagedrollout.core.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.gate.MeasureContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code source: {kind: file, path: samples.jsonl, metric: p99-latency}}: JSON lines, one value per line,
 * {@code {"metric": "p99-latency", "group": "canary", "value": 0.231}} ({@code group} is canary or baseline;
 * {@code time} and other fields are ignored). Lines for other metrics are skipped; {@code metric} defaults to the
 * judge metric's name. The file is read afresh at every measurement, so a collector may keep appending to it.
 */
final class FileSource implements SampleSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String metric;

    FileSource(Path file, String metric) {
        this.file = file;
        this.metric = metric;
    }

    @Override
    public Samples fetch(MeasureContext ctx, Samples earlier) throws SourceException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SourceException("the sample file " + file + " does not exist");
        } catch (IOException e) {
            throw new SourceException("cannot read the sample file " + file + ": " + e.getMessage());
        }
        double[] canary = new double[lines.size()];
        double[] baseline = new double[lines.size()];
        int nc = 0;
        int nb = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String where = file.getFileName() + " line " + (i + 1);
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new SourceException(where + " is not JSON");
            }
            if (n == null || !n.isObject()) throw new SourceException(where + " is not a JSON object");
            if (!metric.equals(n.path("metric").asText())) continue;
            double v = Values.value(n.get("value"), where + " value");
            switch (n.path("group").asText()) {
                case "canary" -> canary[nc++] = v;
                case "baseline" -> baseline[nb++] = v;
                default -> throw new SourceException(where + ": group must be canary or baseline, not '" + n.path("group").asText() + "'");
            }
        }
        return new Samples(java.util.Arrays.copyOf(canary, nc), java.util.Arrays.copyOf(baseline, nb), "file " + file.getFileName());
    }

    @Override
    public String describe() {
        return "file " + file.getFileName();
    }
}
