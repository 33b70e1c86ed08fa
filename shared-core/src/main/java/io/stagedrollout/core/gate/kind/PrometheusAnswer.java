package io.stagedrollout.core.gate.kind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an instant query through Prometheus' HTTP API ({@code /api/v1/query}) answered, reduced to the cases a gate
 * must tell apart: one number, no data, more series than one, or an answer that cannot be used. Handles the
 * envelope {@code {"status":"success","data":{"resultType":"vector","result":[…]}}} and the error envelope
 * {@code {"status":"error","errorType":"bad_data","error":"…"}}.
 */
sealed interface PrometheusAnswer {
    /** One sample; {@code value} may be NaN or infinite, which the gate treats as broken data. */
    record Sample(double value, Map<String, String> labels, List<String> warnings) implements PrometheusAnswer {}

    /** An empty vector: no series matched. */
    record NoData(List<String> warnings) implements PrometheusAnswer {}

    /** A vector of several series where one number was expected. */
    record SeveralSeries(List<Map<String, String>> series) implements PrometheusAnswer {}

    /** Prometheus refused or could not run the query, or answered something that is not this API's answer. */
    record Unusable(String reason) implements PrometheusAnswer {}

    ObjectMapper JSON = new ObjectMapper();

    static PrometheusAnswer parse(int httpStatus, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return new Unusable((httpStatus / 100 == 2 ? "malformed answer" : "HTTP " + httpStatus)
                    + ": not a Prometheus API answer (" + preview(body) + ")");
        }
        String status = root.path("status").asText("");
        if ("error".equals(status)) {
            return new Unusable("query rejected (HTTP " + httpStatus + ", " + root.path("errorType").asText("unknown error")
                    + "): " + root.path("error").asText("no message"));
        }
        if (httpStatus / 100 != 2) {
            return new Unusable("HTTP " + httpStatus + " (" + preview(body) + ")");
        }
        if (!"success".equals(status)) {
            return new Unusable("malformed answer: status is '" + preview(status) + "', expected 'success'");
        }
        List<String> warnings = new ArrayList<>();
        root.path("warnings").forEach(w -> warnings.add(w.asText()));
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        switch (type) {
            case "vector": {
                if (!result.isArray()) return new Unusable("malformed answer: data.result is not a list");
                if (result.isEmpty()) return new NoData(warnings);
                if (result.size() > 1) {
                    List<Map<String, String>> series = new ArrayList<>();
                    result.forEach(s -> series.add(labels(s.path("metric"))));
                    return new SeveralSeries(series);
                }
                JsonNode only = result.get(0);
                return sample(only.path("value"), labels(only.path("metric")), warnings);
            }
            case "scalar":
                return sample(result, Map.of(), warnings);
            case "matrix":
                return new Unusable("the query returns a range vector; a gate needs one number, e.g. "
                        + "wrap the range selector in rate(…) or avg_over_time(…) and aggregate with sum(…)");
            case "string":
                return new Unusable("the query returns a string, not a number");
            default:
                return new Unusable("malformed answer: unknown resultType '" + preview(type) + "'");
        }
    }

    private static PrometheusAnswer sample(JsonNode pair, Map<String, String> labels, List<String> warnings) {
        // [ <unix time>, "<value>" ]; values are strings so that NaN and ±Inf survive JSON
        if (!pair.isArray() || pair.size() != 2 || !pair.get(1).isTextual()) {
            return new Unusable("malformed answer: a sample is not [time, \"value\"]");
        }
        String text = pair.get(1).asText();
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return new Unusable("malformed answer: the sample value '" + preview(text) + "' is not a number");
        }
        return new Sample(v, labels, warnings);
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> m = new TreeMap<>();
        metric.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    /** {@code {__name__="up", job="api"}} style, for explanations. */
    static String describe(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        labels.forEach((k, v) -> {
            if (sb.length() > 1) sb.append(", ");
            sb.append(k).append("=\"").append(PromQlTemplate.escape(v, '"')).append('"');
        });
        return sb.append('}').toString();
    }

    static String preview(String s) {
        if (s == null || s.isBlank()) return "empty body";
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() > 120 ? one.substring(0, 120) + "…" : one;
    }
}
