package io.stagedrollout.core.judge;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads sample values from JSON: numbers, numeric strings ("NaN", "+Inf" included), null as NaN, or [time, value] pairs. */
final class Values {
    private Values() {}

    static double[] of(JsonNode array, String where) throws SourceException {
        if (array == null || !array.isArray()) {
            throw new SourceException(where + " is not a list of values");
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < array.size(); i++) {
            JsonNode e = array.get(i);
            if (e.isArray() && e.size() == 2) e = e.get(1);
            out[i] = value(e, where + "[" + i + "]");
        }
        return out;
    }

    static double value(JsonNode e, String where) throws SourceException {
        if (e == null || e.isNull()) return Double.NaN;
        if (e.isNumber()) return e.asDouble();
        if (e.isTextual()) return parse(e.asText(), where);
        throw new SourceException(where + " is not a number");
    }

    static double parse(String s, String where) throws SourceException {
        switch (s.trim()) {
            case "NaN": return Double.NaN;
            case "+Inf": case "Inf": case "inf": case "+inf": return Double.POSITIVE_INFINITY;
            case "-Inf": case "-inf": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw new SourceException(where + " is not a number: '" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'");
                }
        }
    }
}
